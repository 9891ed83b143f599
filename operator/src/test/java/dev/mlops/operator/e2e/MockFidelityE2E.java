package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.Sandbox;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fidelity of the fast tier: the same TrainingJob scenarios on the embedded API server with our
 * simulated Job controller, scheduler and kubelet ({@code *IT}) and on the real plane ({@code *E2E}),
 * compared at the same checkpoints on what a user and the operator read: the TrainingJob's status
 * (phase, attempt, counters, conditions with their reasons, the last failure), the Job's spec and
 * terminal conditions, and the pods' labels, annotations, hostnames and terminated states. Timestamps,
 * generated names and free-text messages are left out. A difference fails the build: either the
 * simulation is fixed, or the difference is named in docs/testing.md and left out here, on purpose.
 */
@SuppressWarnings("unchecked")
class MockFidelityE2E {

  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static KubernetesClient real;
  private static MlopsOperator realOperator;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    real = TestPlane.clientWithCrds();
    realOperator = new MlopsOperator(real, OperatorSettings.defaults().withResyncInterval(RESYNC));
    realOperator.start();
  }

  @AfterAll
  static void stop() {
    if (realOperator != null) {
      realOperator.close();
    }
    if (real != null) {
      real.close();
    }
  }

  /** One side of the comparison: a client, and the levers that make a worker fail or be evicted. */
  interface Tier extends AutoCloseable {
    KubernetesClient client();

    String namespace();

    /** Makes the worker exit with the code its pod's annotations name. */
    void fail(Pod worker, int exitCode);

    void evict(Pod worker);

    @Override
    void close();
  }

  static final class MockTier implements Tier {
    private final Sandbox sandbox;

    MockTier(Duration runFor) {
      sandbox = new Sandbox(List.of(new NodePool("NVIDIA-A100-SXM4-80GB", 4, 8)),
          new SimulatedCluster.Settings(Duration.ofMillis(500), runFor, Duration.ofMillis(100)),
          OperatorSettings.defaults().withResyncInterval(RESYNC));
      sandbox.startOperator();
    }

    @Override
    public KubernetesClient client() {
      return sandbox.client();
    }

    @Override
    public String namespace() {
      return "default";
    }

    @Override
    public void fail(Pod worker, int exitCode) {
      sandbox.cluster().failPod(worker.getMetadata().getNamespace(), worker.getMetadata().getName(), exitCode);
    }

    @Override
    public void evict(Pod worker) {
      sandbox.cluster().disruptPod(worker.getMetadata().getNamespace(), worker.getMetadata().getName());
    }

    @Override
    public void close() {
      sandbox.close();
    }
  }

  static final class RealTier implements Tier {
    private final String namespace = "fidelity-" + UUID.randomUUID().toString().substring(0, 8);

    RealTier() {
      real.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }

    @Override
    public KubernetesClient client() {
      return real;
    }

    @Override
    public String namespace() {
      return namespace;
    }

    @Override
    public void fail(Pod worker, int exitCode) {
      // testcluster/stages/pod.yaml: the label fails the pod with the exit code of its annotation.
      real.pods().inNamespace(namespace).withName(worker.getMetadata().getName()).edit(p -> {
        p.getMetadata().getLabels().put("testcluster.mlops.dev/fail", "true");
        return p;
      });
    }

    @Override
    public void evict(Pod worker) {
      assertThat(real.pods().inNamespace(namespace).withName(worker.getMetadata().getName()).evict()).isTrue();
    }

    @Override
    public void close() {
      real.resources(TrainingJob.class).inNamespace(namespace).delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> real.resources(TrainingJob.class).inNamespace(namespace)
          .list().getItems().isEmpty() && real.pods().inNamespace(namespace).list().getItems().isEmpty());
      real.namespaces().withName(namespace).delete();
    }
  }

  /** The job of every scenario: two workers of 8 GPUs, held running unless the scenario says otherwise. */
  private static TrainingJob job(Tier tier, String name, String runPolicy, Map<String, String> annotations, boolean hold) {
    String yaml = """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          gpu: {product: NVIDIA-A100-SXM4-80GB}
          runPolicy: %s
        """.formatted(name, runPolicy);
    TrainingJob tj = Serialization.unmarshal(yaml, TrainingJob.class);
    tj.getMetadata().setNamespace(tier.namespace());
    var overrides = new dev.mlops.operator.api.v1alpha1.PodTemplateOverrides();
    // The test plane's pods: held running, and told how to fail (the simulation ignores both).
    Map<String, String> labels = new TreeMap<>();
    if (hold) {
      labels.put("testcluster.mlops.dev/hold", "true");
    }
    overrides.setLabels(labels);
    overrides.setAnnotations(annotations);
    tj.getSpec().setPodTemplate(overrides);
    return tj;
  }

  private static TrainingJob awaitStatus(Tier tier, String name, Predicate<TrainingJobStatus> reached) {
    KubernetesClient c = tier.client();
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
        TrainingJob t = c.resources(TrainingJob.class).inNamespace(tier.namespace()).withName(name).get();
        return t != null && t.getStatus() != null && reached.test(t.getStatus());
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      TrainingJob t = c.resources(TrainingJob.class).inNamespace(tier.namespace()).withName(name).get();
      throw new AssertionError(tier.getClass().getSimpleName() + ": " + name + " did not reach the checkpoint; status: "
          + (t == null ? null : status(t)) + "; children: " + children(tier, name), e);
    }
    return c.resources(TrainingJob.class).inNamespace(tier.namespace()).withName(name).get();
  }

  private static Predicate<TrainingJobStatus> phase(String phase, int attempt) {
    return st -> phase.equals(st.getPhase()) && st.getAttempt() != null && st.getAttempt() == attempt
        && st.getWorkers() != null && ("Running".equals(phase) ? st.getWorkers().getReady() == 2 : true);
  }

  /** What the user reads in the TrainingJob, without timestamps, messages and generated names. */
  static Map<String, Object> status(TrainingJob tj) {
    TrainingJobStatus st = tj.getStatus();
    Map<String, Object> view = new TreeMap<>();
    view.put("phase", st.getPhase());
    view.put("attempt", st.getAttempt());
    view.put("restarts", st.getRestarts());
    view.put("failures", st.getFailures());
    view.put("gpuProduct", st.getGpuProduct());
    view.put("gpus", st.getGpus());
    view.put("workers", st.getWorkers() == null ? null : Serialization.asJson(st.getWorkers()));
    view.put("conditions", st.getConditions() == null ? List.of() : st.getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + ":" + c.getReason()).sorted().toList());
    var failure = st.getLastFailure();
    view.put("lastFailure", failure == null ? null
        : "worker " + failure.getWorker() + ", exit " + failure.getExitCode() + ", " + failure.getReason());
    return view;
  }

  /** The Job and its pods as the operator reads them. */
  static Map<String, Object> children(Tier tier, String name) {
    KubernetesClient c = tier.client();
    Map<String, Object> view = new TreeMap<>();
    List<Job> jobs = c.batch().v1().jobs().inNamespace(tier.namespace()).withLabel("mlops.dev/trainingjob", name)
        .list().getItems();
    view.put("jobs", jobs.size());
    for (Job job : jobs) {
      view.put("job.spec", List.of("completionMode=" + job.getSpec().getCompletionMode(),
          "completions=" + job.getSpec().getCompletions(), "parallelism=" + job.getSpec().getParallelism(),
          "backoffLimit=" + job.getSpec().getBackoffLimit()));
      view.put("job.conditions", job.getStatus() == null || job.getStatus().getConditions() == null ? List.of()
          : job.getStatus().getConditions().stream().filter(jc -> "True".equals(jc.getStatus()))
              .map(jc -> jc.getType() + ":" + jc.getReason()).sorted().toList());
    }
    List<String> pods = new ArrayList<>();
    for (Pod pod : c.pods().inNamespace(tier.namespace()).withLabel("mlops.dev/trainingjob", name).list().getItems()) {
      var terminated = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.<String>of()
          : pod.getStatus().getContainerStatuses().stream().filter(cs -> cs.getState() != null
              && cs.getState().getTerminated() != null)
              .map(cs -> "exit " + cs.getState().getTerminated().getExitCode() + " " + cs.getState().getTerminated()
                  .getReason()).toList();
      pods.add(String.join("; ", List.of(
          "phase=" + (pod.getStatus() == null ? null : pod.getStatus().getPhase()),
          "labels=" + keys(pod.getMetadata().getLabels()),
          "annotations=" + keys(pod.getMetadata().getAnnotations()),
          "hostname=" + pod.getSpec().getHostname(),
          "subdomain=" + pod.getSpec().getSubdomain(),
          "terminated=" + terminated)));
    }
    pods.sort(null);
    view.put("pods", pods);
    return view;
  }

  /** Label and annotation keys, less the test plane's own steering ones. */
  private static TreeSet<String> keys(Map<String, String> map) {
    return map == null ? new TreeSet<>() : map.keySet().stream().filter(k -> !k.startsWith("testcluster.mlops.dev/"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Pod worker(Tier tier, String name, int index) {
    return tier.client().pods().inNamespace(tier.namespace()).withLabel("mlops.dev/trainingjob", name).list().getItems()
        .stream().filter(p -> String.valueOf(index).equals(p.getMetadata().getLabels()
            .get("batch.kubernetes.io/job-completion-index")))
        .findFirst().orElseThrow();
  }

  /** Runs {@code scenario} on both tiers; their views at each checkpoint must be equal. */
  private static void compare(Duration mockRunFor, Scenario scenario) {
    List<Map<String, Object>> mock;
    try (MockTier tier = new MockTier(mockRunFor)) {
      mock = scenario.run(tier);
    }
    List<Map<String, Object>> plane;
    try (RealTier tier = new RealTier()) {
      plane = scenario.run(tier);
    }
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < plane.size(); i++) {
      var m = mock.get(i);
      var r = plane.get(i);
      for (String key : new TreeSet<>(r.keySet())) {
        if (!java.util.Objects.equals(m.get(key), r.get(key))) {
          differences.add("checkpoint " + (i + 1) + ", " + key + ":\n  real plane: " + r.get(key) + "\n  mock tier:  "
              + m.get(key));
        }
      }
    }
    assertThat(differences).as("where the mock tier differs from the real plane").isEmpty();
  }

  @FunctionalInterface
  interface Scenario {
    List<Map<String, Object>> run(Tier tier);
  }

  /**
   * The views once {@code reached} holds and nothing has changed for a second: terminating pods and a
   * Job's last status write land at different moments on the two tiers, and only where each settles
   * is compared.
   */
  private static Map<String, Object> checkpoint(Tier tier, String name, Predicate<TrainingJobStatus> reached) {
    awaitStatus(tier, name, reached);
    Map<String, Object>[] last = new Map[] {null};
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      TrainingJob tj = tier.client().resources(TrainingJob.class).inNamespace(tier.namespace()).withName(name).get();
      Map<String, Object> view = new TreeMap<>(status(tj));
      view.putAll(children(tier, name));
      boolean settled = view.equals(last[0]) && reached.test(tj.getStatus());
      last[0] = view;
      return settled;
    });
    return last[0];
  }

  @Test
  void aJobThatSucceeds() {
    compare(Duration.ofSeconds(5), tier -> {
      tier.client().resource(job(tier, "ok", "{}", Map.of("testcluster.mlops.dev/run-for", "5s"), false)).create();
      return List.of(
          checkpoint(tier, "ok", phase("Running", 1)),
          checkpoint(tier, "ok", phase("Succeeded", 1)));
    });
  }

  @Test
  void anOomKilledWorkerRestartsTheGang() {
    compare(null, tier -> {
      tier.client().resource(job(tier, "oom", "{backoffLimit: 2}", Map.of("testcluster.mlops.dev/exit-code", "137",
          "testcluster.mlops.dev/reason", "OOMKilled"), true)).create();
      var running = checkpoint(tier, "oom", phase("Running", 1));
      tier.fail(worker(tier, "oom", 1), 137);
      return List.of(running, checkpoint(tier, "oom", phase("Running", 2)));
    });
  }

  @Test
  void aNonRetryableExitCodeFails() {
    compare(null, tier -> {
      tier.client().resource(job(tier, "fatal", "{backoffLimit: 3, nonRetryableExitCodes: [2]}",
          Map.of("testcluster.mlops.dev/exit-code", "2"), true)).create();
      var running = checkpoint(tier, "fatal", phase("Running", 1));
      tier.fail(worker(tier, "fatal", 0), 2);
      return List.of(running, checkpoint(tier, "fatal", st -> "Failed".equals(st.getPhase())));
    });
  }

  @Test
  void anEvictedWorkerRestartsTheGangUncounted() {
    compare(null, tier -> {
      tier.client().resource(job(tier, "drained", "{backoffLimit: 0}", Map.of(), true)).create();
      var running = checkpoint(tier, "drained", phase("Running", 1));
      tier.evict(worker(tier, "drained", 0));
      return List.of(running, checkpoint(tier, "drained", phase("Running", 2)));
    });
  }

  @Test
  void aDeadlineFailsTheJob() {
    compare(null, tier -> {
      tier.client().resource(job(tier, "late", "{activeDeadlineSeconds: 3}", Map.of(), true)).create();
      return List.of(checkpoint(tier, "late", st -> "Failed".equals(st.getPhase())));
    });
  }

  @Test
  void suspendAndResume() {
    compare(null, tier -> {
      tier.client().resource(job(tier, "paused", "{suspend: false}", Map.of(), true)).create();
      var running = checkpoint(tier, "paused", phase("Running", 1));
      setSuspend(tier, "paused", true);
      var suspended = checkpoint(tier, "paused", st -> "Suspended".equals(st.getPhase()));
      setSuspend(tier, "paused", false);
      return List.of(running, suspended, checkpoint(tier, "paused", st -> "Running".equals(st.getPhase())
          && st.getWorkers() != null && st.getWorkers().getReady() == 2));
    });
  }

  private static void setSuspend(Tier tier, String name, boolean suspend) {
    tier.client().resources(TrainingJob.class).inNamespace(tier.namespace()).withName(name).edit(tj -> {
      tj.getSpec().getRunPolicy().setSuspend(suspend);
      return tj;
    });
  }
}
