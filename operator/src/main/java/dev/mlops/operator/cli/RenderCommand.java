package dev.mlops.operator.cli;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.manifest.ManifestException;
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

  static final ManifestReader JOBS =
      new ManifestReader("render", StatusPolicy.IGNORE, ResourceKinds.own());
  static final ManifestReader CLUSTER =
      new ManifestReader("render --cluster", StatusPolicy.KEEP, List.of(ResourceKinds.NODE, ResourceKinds.NAMESPACE,
          NasKinds.SERVER_RESOURCE, NasKinds.VOLUME_RESOURCE, RedisKinds.RESOURCE, PipelineKinds.PIPELINE_RESOURCE));

  @Option(names = {"-f", "--filename"}, required = true,
      description = "YAML or JSON file with TrainingJobs, NasServers, NasVolumes, RedisInstances, Pipelines and"
          + " PipelineRuns, '-' for stdin (repeatable).")
  List<Path> files;

  @Option(names = "--cluster", description = "YAML file with the cluster objects the operator reads: Nodes,"
      + " Namespaces (their labels), NasServers, NasVolumes and RedisInstances with their status, and the Pipelines that"
      + " PipelineRuns name (e.g. kubectl get nodes,namespaces,nasservers,nasvolumes,redisinstances,pipelines -A -o"
      + " yaml).")
  Path cluster;

  @Option(names = "--operator-namespace", defaultValue = "mlops-system",
      description = "Namespace the operator runs in (default ${DEFAULT-VALUE}, the install guide's): a RedisInstance's"
          + " NetworkPolicy admits the operator from there only.")
  String operatorNamespace;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    List<HasMetadata> output = new ArrayList<>();
    try {
      List<Node> nodes = new ArrayList<>();
      Map<String, Namespace> namespaces = new LinkedHashMap<>();
      Map<String, NasServer> servers = new LinkedHashMap<>();
      List<NasVolume> volumes = new ArrayList<>();
      List<RedisInstance> redisInstances = new ArrayList<>();
      Map<String, Pipeline> pipelines = new LinkedHashMap<>();
      if (cluster != null) {
        for (Manifest m : CLUSTER.read(cluster)) {
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
          }
        }
      }
      List<Manifest> manifests = JOBS.readAll(files);
      // The files' own NasServers and NasVolumes are there for the others (a volume names a server).
      manifests.stream().map(Manifest::object).filter(NasServer.class::isInstance).map(NasServer.class::cast)
          .forEach(s -> servers.put(s.getMetadata().getName(), s));
      List<NasVolume> fileVolumes = manifests.stream().map(Manifest::object).filter(NasVolume.class::isInstance)
          .map(NasVolume.class::cast).toList();
      // A PipelineRun names a Pipeline of the files (before or after it) or of the cluster.
      manifests.stream().map(Manifest::object).filter(Pipeline.class::isInstance).map(Pipeline.class::cast)
          .forEach(p -> pipelines.put(namespaced(p), p));
      Instant now = Instant.now();
      for (Manifest manifest : manifests) {
        if (manifest.object() instanceof Pipeline || manifest.object() instanceof PipelineRun) {
          HasMetadata object = manifest.object();
          PipelineRender.Result result = object instanceof Pipeline p ? PipelineRender.pipeline(p, now)
              : PipelineRender.run((PipelineRun) object, pipelines, now);
          if (!result.errors().isEmpty()) {
            System.err.println("render: " + manifest.origin() + ": " + object.getKind() + " " + namespaced(object) + ": "
                + String.join("; ", result.errors()));
            return INVALID;
          }
          output.addAll(result.objects());
          continue;
        }
        if (manifest.object() instanceof NasServer server) {
          List<NasVolume> all = new ArrayList<>(volumes);
          all.addAll(fileVolumes);
          NasRender.Result result = NasRender.server(server, all, now);
          if (!result.errors().isEmpty()) {
            System.err.println("render: " + manifest.origin() + ": NasServer " + server.getMetadata().getName() + ": "
                + String.join("; ", result.errors()));
            return INVALID;
          }
          output.addAll(result.objects());
          continue;
        }
        if (manifest.object() instanceof NasVolume nv) {
          NasRender.Result result = NasRender.volume(nv, servers, namespaces, now);
          String subject = manifest.origin() + ": NasVolume " + nv.getMetadata().getNamespace() + "/"
              + nv.getMetadata().getName();
          if (!result.errors().isEmpty()) {
            System.err.println("render: " + subject + ": " + String.join("; ", result.errors()));
            return INVALID;
          }
          if (!namespaces.containsKey(nv.getMetadata().getNamespace())) {
            System.err.println("render: warning: " + subject + ": namespace " + nv.getMetadata().getNamespace()
                + " is not in --cluster, so its labels are unknown: rendered as if NasServer " + nv.getSpec().getServer()
                + " allowed it (on the cluster, its spec.allowedNamespaces decides)");
          }
          volumes.add(nv);
          output.addAll(result.objects());
          continue;
        }
        if (manifest.object() instanceof RedisInstance ri) {
          RedisRender.Result result = RedisRender.render(ri, now, operatorNamespace);
          String subject = manifest.origin() + ": RedisInstance " + ri.getMetadata().getNamespace() + "/"
              + ri.getMetadata().getName();
          if (!result.errors().isEmpty()) {
            System.err.println("render: " + subject + ": " + String.join("; ", result.errors()));
            return INVALID;
          }
          result.warnings().forEach(w -> System.err.println("render: warning: " + subject + ": " + w));
          redisInstances.add(ri);
          output.addAll(result.objects());
          continue;
        }
        TrainingJob tj = (TrainingJob) manifest.object();
        String subject = manifest.origin() + ": TrainingJob " + tj.getMetadata().getNamespace() + "/"
            + tj.getMetadata().getName();
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        namespaces.forEach((n, ns) -> labels.put(n, ns.getMetadata().getLabels() == null ? Map.of()
            : ns.getMetadata().getLabels()));
        TrainingJobRender.Result result = TrainingJobRender.render(tj, nodes, volumes, redisInstances, labels, now);
        if (!result.errors().isEmpty()) {
          System.err.println("render: " + subject + ": " + String.join("; ", result.errors()));
          return INVALID;
        }
        TrainingJobValidator.warnings(tj).forEach(w -> System.err.println("render: warning: " + subject + ": " + w));
        if (tj.getStatus() != null && Conditions.find(tj.getStatus().getConditions(), "VolumesReady")
            .map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false)) {
          System.err.println("render: warning: " + subject + " waits for its NasVolumes, so no Job is rendered; a new"
              + " claim is bound by Kubernetes after it is created. To render the Job, give the NasVolumes as the cluster"
              + " has them, Bound, in --cluster (kubectl get nasvolumes -n " + tj.getMetadata().getNamespace()
              + " -o yaml).");
        }
        if (tj.getStatus() != null && Conditions.find(tj.getStatus().getConditions(), "RedisReady")
            .map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false)) {
          System.err.println("render: warning: " + subject + " waits for its RedisInstances ("
              + Conditions.find(tj.getStatus().getConditions(), "RedisReady").get().getMessage() + "), so no Job is"
              + " rendered. To render the Job, give them as the cluster has them, Ready, in --cluster (kubectl get"
              + " redisinstances -A -o yaml).");
        } else if (tj.getSpec().getRedis() != null && tj.getSpec().getRedis().stream().anyMatch(b -> b.getNamespace() != null
            && !b.getNamespace().equals(tj.getMetadata().getNamespace()))
            && !namespaces.containsKey(tj.getMetadata().getNamespace())) {
          System.err.println("render: warning: " + subject + ": namespace " + tj.getMetadata().getNamespace()
              + " is not in --cluster, so its labels are unknown: rendered as if every RedisInstance it binds allowed it");
        }
        output.addAll(result.objects());
      }
    } catch (ManifestException e) {
      System.err.println("render: " + e.getMessage());
      return INVALID;
    }
    for (HasMetadata object : output) {
      out.print(Serialization.asYaml(object));
    }
    out.flush();
    return 0;
  }

  private static String namespaced(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return (ns == null ? "default" : ns) + "/" + object.getMetadata().getName();
  }
}
