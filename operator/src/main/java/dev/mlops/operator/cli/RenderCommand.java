package dev.mlops.operator.cli;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.manifest.ManifestException;
import dev.mlops.operator.manifest.ManifestReader;
import dev.mlops.operator.manifest.ManifestReader.Manifest;
import dev.mlops.operator.manifest.ManifestReader.StatusPolicy;
import dev.mlops.operator.manifest.ResourceKinds;
import dev.mlops.operator.trainingjob.TrainingJobRender;
import dev.mlops.operator.trainingjob.TrainingJobValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
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
        "Input status is ignored, as the API server ignores it on create; --cluster objects keep theirs.",
        "Exit 0 when rendering worked (also when a job cannot be placed: its status says why; warnings go to"
            + " stderr), 2 when the input is unusable or a spec is invalid: one line on stderr names the file,"
            + " the document, the field and the value."})
public final class RenderCommand implements Callable<Integer> {

  public static final int INVALID = 2;

  static final ManifestReader JOBS =
      new ManifestReader("render", StatusPolicy.IGNORE, ResourceKinds.own());
  static final ManifestReader CLUSTER =
      new ManifestReader("render --cluster", StatusPolicy.KEEP, List.of(ResourceKinds.NODE));

  @Option(names = {"-f", "--filename"}, required = true,
      description = "YAML or JSON file with TrainingJobs, '-' for stdin (repeatable).")
  List<Path> files;

  @Option(names = "--cluster", description = "YAML file with the cluster objects the operator reads: Nodes"
      + " (e.g. kubectl get nodes -o yaml).")
  Path cluster;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    List<HasMetadata> output = new ArrayList<>();
    try {
      List<Node> nodes = new ArrayList<>();
      if (cluster != null) {
        CLUSTER.read(cluster).forEach(m -> nodes.add((Node) m.object()));
      }
      Instant now = Instant.now();
      for (Manifest manifest : JOBS.readAll(files)) {
        TrainingJob tj = (TrainingJob) manifest.object();
        String subject = manifest.origin() + ": TrainingJob " + tj.getMetadata().getNamespace() + "/"
            + tj.getMetadata().getName();
        TrainingJobRender.Result result = TrainingJobRender.render(tj, nodes, now);
        if (!result.errors().isEmpty()) {
          System.err.println("render: " + subject + ": " + String.join("; ", result.errors()));
          return INVALID;
        }
        TrainingJobValidator.warnings(tj).forEach(w -> System.err.println("render: warning: " + subject + ": " + w));
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
}
