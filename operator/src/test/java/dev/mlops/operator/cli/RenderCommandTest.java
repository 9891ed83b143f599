package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.YamlDocs;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

  record Run(int exit, String out, String err) {
    List<String> docs() {
      return YamlDocs.documents(out);
    }

    String kinds() {
      return String.join(",", docs().stream()
          .map(d -> Serialization.unmarshal(d, GenericKubernetesResource.class).getKind()).toList());
    }
  }

  static Path examples() {
    return Path.of(System.getProperty("mlops.repoRoot", "..")).resolve("examples").toAbsolutePath().normalize();
  }

  static Run render(String... args) {
    List<String> full = new ArrayList<>(List.of("render"));
    full.addAll(List.of(args));
    Cli.Output output = Cli.execute(full);
    return new Run(output.exit(), output.out(), output.err());
  }

  @Test
  void rendersServiceJobAndTheStatusTheOperatorWouldWrite() {
    Run run = render("-f", examples().resolve("trainingjob-llama-ft.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.kinds()).isEqualTo("Service,Job,TrainingJob");
    Job job = Serialization.unmarshal(run.docs().get(1), Job.class);
    assertThat(job.getSpec().getParallelism()).isEqualTo(4);
    TrainingJob tj = Serialization.unmarshal(run.docs().get(2), TrainingJob.class);
    assertThat(tj.getStatus().getPhase()).isEqualTo("Starting");
    assertThat(tj.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(tj.getStatus().getGpus()).isEqualTo(32);
  }

  @Test
  void unplaceableJobRendersOnlyItsStatusAndStillExitsZero() {
    Run run = render("-f", examples().resolve("trainingjob-unplaceable.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.kinds()).isEqualTo("TrainingJob");
    TrainingJob tj = Serialization.unmarshal(run.docs().get(0), TrainingJob.class);
    assertThat(tj.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(tj.getStatus().getConditions()).anyMatch(c -> "InsufficientGpuNodes".equals(c.getReason())
        && c.getMessage().contains("Needs 16 nodes of NVIDIA-A100-SXM4-80GB"));
  }

  @Test
  void invalidSpecExitsTwoWithOneLineNamingTheField(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: bad, namespace: ml-team}
        spec:
          image: pytorch
          nodes: 0
          gpusPerNode: 8
        """);
    Run run = render("-f", bad.toString());
    assertThat(run.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString().contains("spec.nodes").contains("ml-team/bad");
  }

  @Test
  void everyTrainingJobExampleRenders() throws IOException {
    try (var files = Files.list(examples())) {
      List<Path> trainingJobs = files.filter(p -> p.getFileName().toString().startsWith("trainingjob-")).toList();
      assertThat(trainingJobs).hasSizeGreaterThanOrEqualTo(4);
      for (Path file : trainingJobs) {
        Run run = render("-f", file.toString(), "--cluster", examples().resolve("cluster-nodes.yaml").toString());
        assertThat(run.exit()).as(file + ": " + run.err()).isZero();
        assertThat(run.kinds()).as(file.toString()).endsWith("TrainingJob");
      }
    }
  }

  @Test
  void deviceCheckEnvironmentIsWhatRenderGivesAWorker() throws IOException {
    // device-check/run.sh starts torchrun with worker-env.json; it must be the env the operator
    // renders today, or the GPU check proves nothing about the current code.
    Path deviceCheck = examples().resolveSibling("device-check");
    Run run = render("-f", deviceCheck.resolve("ddp-check.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).isZero();
    Job job = Serialization.unmarshal(run.docs().get(1), Job.class);
    var rendered = new java.util.LinkedHashMap<String, Object>();
    for (var env : job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      rendered.put(env.getName(), env.getValue() != null ? env.getValue()
          : java.util.Map.of("fieldRef", env.getValueFrom().getFieldRef().getFieldPath()));
    }
    var committed = Serialization.jsonMapper().readValue(
        Files.readString(deviceCheck.resolve("worker-env.json")), java.util.LinkedHashMap.class);
    assertThat(committed).isEqualTo(rendered);
  }
}
