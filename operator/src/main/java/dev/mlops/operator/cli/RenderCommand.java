package dev.mlops.operator.cli;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.YamlDocuments;
import dev.mlops.operator.trainingjob.TrainingJobRender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        "Exit 0 when rendering worked (also when a job cannot be placed: its status says why), 2 when a spec is invalid."})
public final class RenderCommand implements Callable<Integer> {

  public static final int INVALID = 2;

  @Option(names = {"-f", "--filename"}, required = true, description = "YAML file with TrainingJobs (repeatable).")
  List<Path> files;

  @Option(names = "--cluster", description = "YAML file with cluster objects the operator reads: Nodes.")
  Path cluster;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    List<Node> nodes = new ArrayList<>();
    if (cluster != null) {
      for (String doc : documents(cluster)) {
        GenericKubernetesResource generic = Serialization.unmarshal(doc, GenericKubernetesResource.class);
        if ("Node".equals(generic.getKind())) {
          nodes.add(Serialization.unmarshal(doc, Node.class));
        }
      }
    }
    List<HasMetadata> output = new ArrayList<>();
    Instant now = Instant.now();
    for (Path file : files) {
      for (String doc : documents(file)) {
        GenericKubernetesResource generic = Serialization.unmarshal(doc, GenericKubernetesResource.class);
        if (!"TrainingJob".equals(generic.getKind())) {
          System.err.println("render: " + file + ": skipping " + generic.getKind() + " " + name(generic)
              + " (render supports TrainingJob)");
          continue;
        }
        TrainingJob tj = Serialization.unmarshal(doc, TrainingJob.class);
        TrainingJobRender.Result result = TrainingJobRender.render(tj, nodes, now);
        if (!result.errors().isEmpty()) {
          System.err.println("render: " + file + ": TrainingJob " + name(tj) + " is invalid: "
              + String.join("; ", result.errors()));
          return INVALID;
        }
        output.addAll(result.objects());
      }
    }
    for (HasMetadata object : output) {
      out.print(Serialization.asYaml(object));
    }
    out.flush();
    return 0;
  }

  private static String name(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return (ns == null ? "" : ns + "/") + object.getMetadata().getName();
  }

  static List<String> documents(Path file) throws IOException {
    return YamlDocuments.split(Files.readString(file));
  }
}
