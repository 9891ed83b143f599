package dev.mlops.operator.cli;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.NasVolumeMount;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.manifest.ManifestReader.Manifest;
import dev.mlops.operator.manifest.ManifestReader.StatusPolicy;
import dev.mlops.operator.manifest.ManifestReader;
import dev.mlops.operator.manifest.ResourceKinds;
import dev.mlops.operator.nas.NasKinds;
import dev.mlops.operator.nas.NasRender;
import dev.mlops.operator.pipeline.PipelineKinds;
import dev.mlops.operator.pipeline.PipelineRender;
import dev.mlops.operator.redis.RedisKinds;
import dev.mlops.operator.redis.RedisRender;
import dev.mlops.operator.trainingjob.TrainingJobRender;
import dev.mlops.operator.trainingjob.TrainingJobValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints what the operator's first reconcile would create for the custom resources in the files,
 * then each resource with the status the operator would write. Uses the reconciler's own planner.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = {"Print, as multi-document YAML, every object the operator's first reconcile would create for the"
        + " custom resources in FILE, followed by each resource with the status the operator would write.",
        "Input status is ignored, as the API server ignores it on create; --cluster objects keep theirs.",
        "Exit 0 when rendering worked (also when a job cannot be placed: its status says why; warnings go to"
            + " stderr), 2 when the input is unusable or a spec is invalid: one line on stderr names the file,"
            + " the document, the field and the value."})
public final class RenderCommand implements Callable<Integer> {

  public static final int INVALID = 2;

  /** Admission over --cluster's nodes and pods, shared by the jobs of one run. */
  private dev.mlops.operator.trainingjob.TrainingJobPlanner.Admission admission;

  static final ManifestReader JOBS =
      new ManifestReader("render", StatusPolicy.IGNORE, ResourceKinds.own());
  /** Nodes, Namespaces and PriorityClasses given with -f: read as --cluster reads them (status kept), other kinds left out. */
  static final ManifestReader CLUSTER_INPUT_IN_FILES =
      new ManifestReader("render -f", StatusPolicy.KEEP, List.of(ResourceKinds.NODE, ResourceKinds.NAMESPACE,
          ResourceKinds.PRIORITY_CLASS));
  static final ManifestReader CLUSTER =
      new ManifestReader("render --cluster", StatusPolicy.KEEP, List.of(ResourceKinds.NODE, ResourceKinds.NAMESPACE,
          NasKinds.SERVER_RESOURCE, NasKinds.VOLUME_RESOURCE, RedisKinds.RESOURCE, PipelineKinds.PIPELINE_RESOURCE,
          ResourceKinds.POD, ResourceKinds.PRIORITY_CLASS));

  @Option(names = {"-f", "--filename"}, required = true,
      description = "YAML or JSON file with TrainingJobs, NasServers, NasVolumes, RedisInstances, Pipelines and"
          + " PipelineRuns, '-' for stdin (repeatable).")
  List<Path> files;

  @Option(names = "--cluster", paramLabel = "<cluster>",
      description = "YAML file with the cluster objects the operator reads: Nodes,"
      + " Namespaces (their labels), NasServers, NasVolumes and RedisInstances with their status, the Pipelines that"
      + " PipelineRuns name, the Pods that use GPUs (what they request is not free: a gang that does not fit is rendered"
      + " Queued with its place) and PriorityClasses (e.g. kubectl get"
      + " nodes,namespaces,nasservers,nasvolumes,redisinstances,pipelines,pods,priorityclasses -A -o yaml; repeatable)."
      + " Objects of other kinds (a Secret in a dump) are skipped with one warning naming them.")
  List<Path> clusters = new ArrayList<>();

  @Option(names = "--operator-namespace", defaultValue = "mlops-system",
      description = "Namespace the operator runs in (default ${DEFAULT-VALUE}, the install guide's): a RedisInstance's"
          + " NetworkPolicy admits the operator from there only.")
  String operatorNamespace;

  @Option(names = "--assume-ready", description = "Render a TrainingJob's Job as if the NasVolumes it mounts were"
      + " Bound and the RedisInstances it binds were Ready, when the files and --cluster do not show them so (a"
      + " warning names each assumption).")
  boolean assumeReady;

  /** At most this many bad documents are reported, one line each. */
  static final int MAX_ERRORS = 20;

  /** Kinds of cluster input that -f takes too (examples/cluster-nodes.yaml): read as --cluster objects. */
  private static final java.util.Set<String> CLUSTER_KINDS_IN_FILES = java.util.Set.of("Node", "Namespace",
      "PriorityClass");

  @Override
  public Integer call() {
    PrintStream out = System.out;
    List<HasMetadata> output = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    Map<String, Namespace> namespaces = new LinkedHashMap<>();
    Map<String, NasServer> servers = new LinkedHashMap<>();
    List<NasVolume> volumes = new ArrayList<>();
    List<RedisInstance> redisInstances = new ArrayList<>();
    List<io.fabric8.kubernetes.api.model.Pod> pods = new ArrayList<>();
    List<io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass> priorityClasses = new ArrayList<>();
    Map<String, Pipeline> pipelines = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    List<Manifest> clusterObjects = new ArrayList<>(CLUSTER.readEach(clusters, errors, skipped::add));
    if (!skipped.isEmpty()) {
      warnings.add("skipped " + skipped.size() + " object(s) of --cluster that render does not read (their data is not"
          + " read): " + String.join("; ", skipped.subList(0, Math.min(skipped.size(), MAX_ERRORS)))
          + (skipped.size() > MAX_ERRORS ? "; and " + (skipped.size() - MAX_ERRORS) + " more" : ""));
    }
    // Nodes and Namespaces given with -f are cluster input (examples/cluster-nodes.yaml): read with their status.
    List<String> clusterKindsInFiles = new ArrayList<>();
    List<Manifest> manifests = JOBS.readEach(files, errors, CLUSTER_KINDS_IN_FILES::contains, clusterKindsInFiles::add);
    if (!clusterKindsInFiles.isEmpty()) {
      List<Path> clusterFiles = files.stream().filter(f -> clusterKindsInFiles.stream()
          .anyMatch(line -> line.startsWith(f + ", document"))).toList();
      clusterObjects.addAll(CLUSTER_INPUT_IN_FILES.readEach(clusterFiles, errors, kind -> true, line -> { }));
    }
    for (Manifest m : clusterObjects) {
      if (m.object() instanceof Node node) {
        nodes.add(node);
      } else if (m.object() instanceof Namespace ns) {
        namespaces.put(ns.getMetadata().getName(), ns);
      } else if (m.object() instanceof NasServer server) {
        servers.put(server.getMetadata().getName(), server);
      } else if (m.object() instanceof NasVolume nv) {
        volumes.add(nv);
      } else if (m.object() instanceof RedisInstance ri) {
        redisInstances.add(ri);
      } else if (m.object() instanceof Pipeline p) {
        pipelines.put(namespaced(p), p);
      } else if (m.object() instanceof io.fabric8.kubernetes.api.model.Pod pod) {
        pods.add(pod);
      } else if (m.object() instanceof io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass pc) {
        priorityClasses.add(pc);
      }
    }
    // The files' own NasServers and NasVolumes are there for the others (a volume names a server).
    manifests.stream().map(Manifest::object).filter(NasServer.class::isInstance).map(NasServer.class::cast)
        .forEach(s -> servers.put(s.getMetadata().getName(), s));
    List<NasVolume> fileVolumes = manifests.stream().map(Manifest::object).filter(NasVolume.class::isInstance)
        .map(NasVolume.class::cast).toList();
    // A PipelineRun names a Pipeline of the files (before or after it) or of the cluster.
    manifests.stream().map(Manifest::object).filter(Pipeline.class::isInstance).map(Pipeline.class::cast)
        .forEach(p -> pipelines.put(namespaced(p), p));
    List<NasVolume> allVolumes = new ArrayList<>(volumes);
    allVolumes.addAll(fileVolumes);
    Instant now = Instant.now();
    // One admission for the whole run: the jobs of the files are admitted in file order on what --cluster leaves free.
    java.util.Set<String> assumedClasses = new java.util.LinkedHashSet<>();
    admission = TrainingJobRender.admission(nodes, pods, priorityClasses, now, assumedClasses::add);
    for (Manifest manifest : manifests) {
      HasMetadata object = manifest.object();
      String subject = manifest.origin() + ": " + object.getKind() + " " + namespaced(object);
      if (object instanceof Pipeline || object instanceof PipelineRun) {
        PipelineRender.Result result = object instanceof Pipeline p ? PipelineRender.pipeline(p, now)
            : PipelineRender.run((PipelineRun) object, pipelines, now);
        if (refused(result.errors(), subject, errors)) {
          continue;
        }
        if (object instanceof Pipeline p) {
          missingVolumes(p, allVolumes).forEach(w -> warnings.add(subject + ": " + w));
        }
        output.addAll(result.objects());
      } else if (object instanceof NasServer server) {
        NasRender.Result result = NasRender.server(server, allVolumes, now);
        if (refused(result.errors(), subject, errors)) {
          continue;
        }
        output.addAll(result.objects());
      } else if (object instanceof NasVolume nv) {
        NasRender.Result result = NasRender.volume(nv, servers, namespaces, now);
        if (refused(result.errors(), subject, errors)) {
          continue;
        }
        if (!namespaces.containsKey(nv.getMetadata().getNamespace())) {
          warnings.add(subject + ": namespace " + nv.getMetadata().getNamespace()
              + " is not in --cluster, so its labels are unknown: rendered as if NasServer " + nv.getSpec().getServer()
              + " allowed it (on the cluster, its spec.allowedNamespaces decides)");
        }
        volumes.add(nv);
        output.addAll(result.objects());
      } else if (object instanceof RedisInstance ri) {
        RedisRender.Result result = RedisRender.render(ri, now, operatorNamespace);
        if (refused(result.errors(), subject, errors)) {
          continue;
        }
        result.warnings().forEach(w -> warnings.add(subject + ": " + w));
        redisInstances.add(ri);
        output.addAll(result.objects());
      } else {
        renderTrainingJob((TrainingJob) object, subject, nodes, namespaces, volumes, redisInstances, now, output, errors,
            warnings);
      }
    }
    if (!errors.isEmpty()) {
      // Every bad document, one line each (up to MAX_ERRORS), no warnings about what is not rendered anyway, and
      // nothing on stdout: half a rendering piped into kubectl apply would be worse than none.
      errors.stream().limit(MAX_ERRORS).forEach(e -> System.err.println("render: " + e));
      if (errors.size() > MAX_ERRORS) {
        System.err.println("render: ... and " + (errors.size() - MAX_ERRORS) + " more bad document(s)");
      }
      return INVALID;
    }
    assumedClasses.forEach(w -> warnings.add(w));
    warnings.forEach(w -> System.err.println("render: warning: " + w));
    for (HasMetadata object : output) {
      out.print(Serialization.asYaml(object));
    }
    out.flush();
    return 0;
  }

  /** Whether a render was refused; if so, its one line (every problem of the object) is added to {@code errors}. */
  private static boolean refused(List<String> problems, String subject, List<String> errors) {
    if (problems.isEmpty()) {
      return false;
    }
    errors.add(subject + ": " + String.join("; ", problems));
    return true;
  }

  private void renderTrainingJob(TrainingJob tj, String subject, List<Node> nodes, Map<String, Namespace> namespaces,
      List<NasVolume> volumes, List<RedisInstance> redisInstances, Instant now, List<HasMetadata> output,
      List<String> errors, List<String> warnings) {
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    namespaces.forEach((n, ns) -> labels.put(n, ns.getMetadata().getLabels() == null ? Map.of()
        : ns.getMetadata().getLabels()));
    List<NasVolume> jobVolumes = volumes;
    List<RedisInstance> jobRedis = redisInstances;
    if (assumeReady) {
      TrainingJobRender.Ready ready = TrainingJobRender.assumeReady(tj, volumes, redisInstances);
      jobVolumes = ready.nasVolumes();
      jobRedis = ready.redisInstances();
      ready.assumed().forEach(a -> warnings.add(subject + ": --assume-ready: " + a));
    }
    TrainingJobRender.Result result = TrainingJobRender.render(tj, nodes, jobVolumes, jobRedis, labels, admission, now);
    if (refused(result.errors(), subject, errors)) {
      return;
    }
    TrainingJobValidator.warnings(tj).forEach(w -> warnings.add(subject + ": " + w));
    if (tj.getStatus() != null && Conditions.find(tj.getStatus().getConditions(), "VolumesReady")
        .map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false)) {
      warnings.add(subject + " waits for its NasVolumes, so no Job is rendered; a new claim is bound by Kubernetes"
          + " after it is created. To render the Job, give the NasVolumes as the cluster has them, Bound, in --cluster"
          + " (kubectl get nasvolumes -n " + tj.getMetadata().getNamespace() + " -o yaml), or add --assume-ready.");
    }
    if (tj.getStatus() != null && Conditions.find(tj.getStatus().getConditions(), "RedisReady")
        .map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false)) {
      warnings.add(subject + " waits for its RedisInstances ("
          + Conditions.find(tj.getStatus().getConditions(), "RedisReady").get().getMessage() + "), so no Job is"
          + " rendered. To render the Job, give them as the cluster has them, Ready, in --cluster (kubectl get"
          + " redisinstances -A -o yaml), or add --assume-ready.");
    } else if (tj.getSpec().getRedis() != null && tj.getSpec().getRedis().stream().anyMatch(b -> b.getNamespace() != null
        && !b.getNamespace().equals(tj.getMetadata().getNamespace()))
        && !namespaces.containsKey(tj.getMetadata().getNamespace())) {
      warnings.add(subject + ": namespace " + tj.getMetadata().getNamespace()
          + " is not in --cluster, so its labels are unknown: rendered as if every RedisInstance it binds allowed it");
    }
    output.addAll(result.objects());
  }

  /**
   * NasVolumes a Pipeline mounts (spec.volumes) that neither the files nor --cluster have: the Pipeline compiles,
   * but once run its pods cannot mount them and its training tasks wait for them (VolumesReady=False).
   */
  static List<String> missingVolumes(Pipeline pipeline, List<NasVolume> known) {
    String namespace = pipeline.getMetadata().getNamespace() == null ? "default" : pipeline.getMetadata().getNamespace();
    java.util.Set<String> names = new java.util.TreeSet<>();
    if (pipeline.getSpec() != null && pipeline.getSpec().getVolumes() != null) {
      pipeline.getSpec().getVolumes().stream().map(NasVolumeMount::getNasVolume).filter(java.util.Objects::nonNull)
          .forEach(names::add);
    }
    return names.stream().filter(n -> known.stream().noneMatch(v -> n.equals(v.getMetadata().getName())
            && namespace.equals(v.getMetadata().getNamespace() == null ? "default" : v.getMetadata().getNamespace())))
        .map(n -> "NasVolume " + namespace + "/" + n + " (spec.volumes) is in neither the files nor --cluster: on the"
            + " cluster the Pipeline's pods cannot mount it, and its training tasks wait (VolumesReady=False), until it"
            + " exists and is Bound")
        .toList();
  }

  private static String namespaced(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return (ns == null ? "default" : ns) + "/" + object.getMetadata().getName();
  }
}
