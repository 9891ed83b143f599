package dev.mlops.operator.cli;

import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.manifest.ManifestException;
import dev.mlops.operator.manifest.ManifestReader.Manifest;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.Sandbox;
import dev.mlops.operator.sandbox.SimulatedCluster;
import dev.mlops.operator.trainingjob.TrainingJobPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import dev.mlops.operator.runtime.Preflight;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole operator on one machine with no cluster: embedded API server, simulated GPU nodes and
 * control plane, the real operator, and a live table of the TrainingJobs.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Run the real operator against an embedded API server with simulated GPU nodes, a simulated"
        + " Job controller, scheduler and kubelet, and print the TrainingJobs as they change.",
        "Exit codes with --until-done: 0 all Succeeded, 1 any Failed, 2 bad input, 3 --timeout reached."})
public final class SandboxCommand implements Callable<Integer> {

  public static final int ALL_SUCCEEDED = 0;
  public static final int SOME_FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int TIMED_OUT = 3;
  static final String DEFAULT_JOBS = "sandbox/default-jobs.yaml";

  @Option(names = {"-f", "--filename"}, description = "YAML with TrainingJobs (and Nodes) to apply (repeatable)."
      + " Default: a built-in set that finishes by itself, one job recovering from a worker failure.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--gpu-nodes", defaultValue = NodePool.DEFAULT,
      description = "Simulated nodes as PRODUCT=COUNTxGPUS,... ('cpu=COUNTx0' for CPU-only nodes)."
          + " Default: ${DEFAULT-VALUE}")
  String gpuNodes;

  @Option(names = "--until-done", description = "Exit when every TrainingJob has finished.")
  boolean untilDone;

  @Option(names = "--timeout", description = "Give up after this many seconds (exit 3, saying what each"
      + " unfinished job waits for).")
  Integer timeoutSeconds;

  @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Run on this real cluster instead of the"
      + " embedded one (e.g. the plane of testcluster/up): no simulation, Nodes in the files are not applied, the"
      + " operator's CRDs must be installed.")
  Path kubeconfig;

  @Option(names = "--kubeconfig-out", description = "Write a kubeconfig for the embedded API server here.")
  Path kubeconfigOut;

  @Option(names = "--start-seconds", defaultValue = "1",
      description = "Seconds the simulated kubelet takes to start a bound pod (default ${DEFAULT-VALUE}).")
  double startSeconds;

  @Option(names = "--run-seconds", defaultValue = "5", description = "Seconds a worker runs before it exits 0,"
      + " unless its pod annotation sandbox.mlops.dev/run-seconds says otherwise (default ${DEFAULT-VALUE}).")
  double runSeconds;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Instant started = Instant.now();
    Instant deadline = timeoutSeconds == null ? null : started.plusSeconds(timeoutSeconds);
    List<NodePool> pools;
    List<HasMetadata> objects = new ArrayList<>();
    try {
      if (timeoutSeconds != null && timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
      }
      pools = NodePool.parseAll(gpuNodes);
      if (kubeconfigOut != null && !Files.isDirectory(kubeconfigOut.toAbsolutePath().getParent())) {
        throw new IllegalArgumentException("--kubeconfig-out " + kubeconfigOut + ": the folder "
            + kubeconfigOut.toAbsolutePath().getParent() + " does not exist");
      }
      List<Manifest> manifests = files.isEmpty()
          ? Sandbox.READER.read(defaultJobs(), DEFAULT_JOBS) : Sandbox.READER.readAll(files);
      manifests.forEach(m -> objects.add(m.object()));
      if (untilDone && objects.stream().noneMatch(TrainingJob.class::isInstance)) {
        throw new IllegalArgumentException("--until-done: " + String.join(", ", files.stream().map(Path::toString).toList())
            + " hold no TrainingJob, so there is nothing to wait for");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("sandbox: " + e.getMessage());
      return BAD_INPUT;
    } catch (ManifestException e) {
      System.err.println("sandbox: " + e.getMessage());
      return BAD_INPUT;
    }
    var settings = OperatorSettings.defaults().withResyncInterval(Duration.ofMinutes(1));
    if (kubeconfig != null) {
      return onCluster(objects, settings, out, started, deadline);
    }
    var simulation = new SimulatedCluster.Settings(seconds(startSeconds), seconds(runSeconds), Duration.ofMillis(100));
    Sandbox built;
    try {
      built = deadline == null ? new Sandbox(pools, simulation, settings)
          : Sandbox.startBy(deadline, pools, simulation, settings);
    } catch (TimeoutException e) {
      out.println("sandbox: timed out after " + timeoutSeconds + "s while creating the simulated nodes ("
          + gpuNodes + "); no job was started");
      return TIMED_OUT;
    }
    try (Sandbox sandbox = built) {
      out.println("sandbox: API server " + sandbox.server().url() + ", nodes " + gpuNodes);
      if (kubeconfigOut != null) {
        Files.writeString(kubeconfigOut, sandbox.kubeconfig());
        out.println("sandbox: kubeconfig written to " + kubeconfigOut + " (kubectl --kubeconfig " + kubeconfigOut
            + " get tj -A)");
      }
      sandbox.startOperator();
      try {
        sandbox.apply(objects);
      } catch (KubernetesClientException e) {
        System.err.println("sandbox: could not apply: " + firstLine(e.getMessage()));
        return BAD_INPUT;
      }
      return watch(sandbox::trainingJobs, () -> sandbox.client().resources(NasVolume.class).inAnyNamespace().list()
          .getItems(), out, started, deadline);
    }
  }

  /**
   * The same jobs and table on a real cluster (the test plane of testcluster/, or any cluster with
   * KWOK or real GPU nodes): the real operator in this process, the cluster's own controllers, no
   * simulation. Nodes in the files are not applied: the cluster has its own. The jobs stay when the
   * command ends.
   */
  private int onCluster(List<HasMetadata> objects, OperatorSettings settings, PrintStream out, Instant started,
      Instant deadline) throws Exception {
    Config config;
    try {
      KubeconfigFile file = KubeconfigFile.read(kubeconfig);
      // run's pre-flight (reachable, authenticated, CRDs served, RBAC); any failure is this command's bad input.
      Preflight.Result preflight = new Preflight(Duration.ofSeconds(10), Set.of(), null).check(file.config());
      if (!preflight.passed()) {
        System.err.println("sandbox: " + preflight.message());
        return BAD_INPUT;
      }
      config = file.config();
    } catch (KubeconfigFile.BadKubeconfig e) {
      System.err.println("sandbox: " + e.getMessage());
      return BAD_INPUT;
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      out.println("sandbox: cluster " + config.getMasterUrl() + " (--kubeconfig " + kubeconfig + ")");
      try (MlopsOperator operator = new MlopsOperator(client, settings)) {
        operator.start();
        Set<String> applied = new LinkedHashSet<>();
        for (HasMetadata object : objects) {
          if (object instanceof Node) {
            continue;
          }
          String ns = object.getMetadata().getNamespace();
          if (ns != null && client.namespaces().withName(ns).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
          }
          if (object instanceof TrainingJob tj) {
            client.resource(tj).create();
            applied.add(ns + "/" + tj.getMetadata().getName());
          } else if (object instanceof io.fabric8.kubernetes.api.model.Namespace namespace) {
            Sandbox.applyNamespace(client, namespace);
          } else {
            // NasServers and NasVolumes: the cluster's own, if it has them already, stay as they are.
            try {
              client.resource(object).create();
            } catch (KubernetesClientException e) {
              if (e.getCode() != 409) {
                throw e;
              }
            }
          }
        }
        return watch(() -> client.resources(TrainingJob.class).inAnyNamespace().list().getItems().stream()
            .filter(t -> applied.contains(t.getMetadata().getNamespace() + "/" + t.getMetadata().getName())).toList(),
            () -> client.resources(NasVolume.class).inAnyNamespace().list().getItems().stream()
                .filter(v -> applied.contains(v.getMetadata().getNamespace() + "/" + v.getMetadata().getName())).toList(),
            out, started, deadline);
      } catch (KubernetesClientException e) {
        System.err.println("sandbox: could not apply: " + firstLine(e.getMessage()));
        return BAD_INPUT;
      }
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse(message);
  }

  private int watch(Supplier<List<TrainingJob>> trainingJobs, Supplier<List<NasVolume>> nasVolumes, PrintStream out,
      Instant started, Instant deadline) throws InterruptedException {
    String lastTable = "";
    while (true) {
      List<TrainingJob> jobs = new ArrayList<>(trainingJobs.get());
      jobs.sort(Comparator.comparing((TrainingJob t) -> t.getMetadata().getNamespace())
          .thenComparing(t -> t.getMetadata().getName()));
      List<NasVolume> volumes = new ArrayList<>(nasVolumes.get());
      volumes.sort(Comparator.comparing((NasVolume v) -> v.getMetadata().getNamespace())
          .thenComparing(v -> v.getMetadata().getName()));
      String table = table(jobs) + (volumes.isEmpty() ? "" : volumeTable(volumes));
      String withoutAge = table.replaceAll("(?m) +\\S+$", "");
      if (!withoutAge.equals(lastTable)) {
        out.printf("%n[%ss]%n%s", Duration.between(started, Instant.now()).toSeconds(), table);
        out.flush();
        lastTable = withoutAge;
      }
      boolean allDone = !jobs.isEmpty() && jobs.stream().allMatch(t -> t.getStatus() != null
          && TrainingJobPhase.isFinished(t.getStatus().getPhase()));
      if (untilDone && allDone) {
        boolean anyFailed = jobs.stream().anyMatch(t -> TrainingJobPhase.FAILED.equals(t.getStatus().getPhase()));
        out.println(anyFailed ? "sandbox: done, some jobs failed" : "sandbox: done, all jobs succeeded");
        return anyFailed ? SOME_FAILED : ALL_SUCCEEDED;
      }
      if (deadline != null && Instant.now().isAfter(deadline)) {
        out.println("sandbox: timed out after " + timeoutSeconds + "s; unfinished:");
        jobs.stream().filter(t -> t.getStatus() == null || !TrainingJobPhase.isFinished(t.getStatus().getPhase()))
            .forEach(t -> out.println("  " + t.getMetadata().getNamespace() + "/" + t.getMetadata().getName()
                + ": " + waitingFor(t)));
        return TIMED_OUT;
      }
      Thread.sleep(250);
    }
  }

  /** The NasVolumes the run applied: whether each is Bound, and why not. */
  static String volumeTable(List<NasVolume> volumes) {
    StringBuilder s = new StringBuilder(String.format("%-14s %-24s %-11s %-20s %s%n",
        "NAMESPACE", "NASVOLUME", "PHASE", "REASON", "CLAIM"));
    for (NasVolume v : volumes) {
      var st = v.getStatus();
      s.append(String.format("%-14s %-24s %-11s %-20s %s%n", v.getMetadata().getNamespace(), v.getMetadata().getName(),
          st == null || st.getPhase() == null ? "-" : st.getPhase(), st == null || st.getReason() == null ? "-"
          : st.getReason(), st == null || st.getPersistentVolumeClaimName() == null ? "-"
          : st.getPersistentVolumeClaimName()));
    }
    return s.toString();
  }

  /**
   * The TrainingJobs as {@code kubectl get tj} would show them, with the reason of the phase and, for a job
   * that restarted, why the last restart happened (the failed worker's reason, e.g. OOMKilled).
   */
  static String table(List<TrainingJob> jobs) {
    StringBuilder s = new StringBuilder(String.format("%-14s %-24s %-11s %-26s %-5s %-8s %-6s %-23s %-24s %s%n",
        "NAMESPACE", "NAME", "PHASE", "REASON", "QUEUE", "ATTEMPT", "READY", "PRODUCT", "LAST-RESTART", "AGE"));
    for (TrainingJob t : jobs) {
      var st = t.getStatus();
      String phase = st == null || st.getPhase() == null ? "-" : st.getPhase();
      String attempt = st == null || st.getAttempt() == null ? "-" : String.valueOf(st.getAttempt());
      String ready = (st == null || st.getWorkers() == null ? 0 : st.getWorkers().getReady()) + "/" + t.getSpec().getNodes();
      String product = st == null || st.getGpuProduct() == null ? (t.getSpec().getGpusPerNode() == 0 ? "cpu" : "-")
          : st.getGpuProduct();
      String reason = st == null || st.getReason() == null ? "-" : st.getReason();
      String queue = st == null || st.getQueue() == null || st.getQueue().getPosition() == null ? "-"
          : String.valueOf(st.getQueue().getPosition());
      String lastRestart = st == null || st.getLastFailure() == null ? "-" : st.getLastFailure().getReason()
          + (st.getLastFailure().getExitCode() == null ? "" : " (exit " + st.getLastFailure().getExitCode() + ")");
      s.append(String.format("%-14s %-24s %-11s %-26s %-5s %-8s %-6s %-23s %-24s %s%n", t.getMetadata().getNamespace(),
          t.getMetadata().getName(), phase, reason, queue, attempt, ready, product, lastRestart, age(t)));
    }
    return s.toString();
  }

  /** Whole seconds since creation; the table is reprinted only when a row changes, so age is coarse. */
  private static String age(TrainingJob t) {
    String created = t.getMetadata().getCreationTimestamp();
    if (created == null) {
      return "-";
    }
    long seconds = Math.max(0, Duration.between(Instant.parse(created), Instant.now()).toSeconds());
    return seconds + "s";
  }

  /** What an unfinished job waits for, in the words of its own conditions. */
  static String waitingFor(TrainingJob t) {
    if (t.getStatus() == null) {
      return "not reconciled yet";
    }
    var conditions = t.getStatus().getConditions();
    var why = Conditions.find(conditions, "Valid").filter(c -> "False".equals(c.getStatus()))
        .or(() -> Conditions.find(conditions, "Schedulable").filter(c -> "False".equals(c.getStatus())))
        .or(() -> Conditions.find(conditions, "Running"));
    return t.getStatus().getPhase() + why.map(c -> " - " + c.getReason() + ": " + c.getMessage()).orElse("");
  }

  private static Duration seconds(double value) {
    return Duration.ofMillis((long) (value * 1000));
  }

  static String defaultJobs() throws IOException {
    try (InputStream in = SandboxCommand.class.getClassLoader().getResourceAsStream(DEFAULT_JOBS)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
