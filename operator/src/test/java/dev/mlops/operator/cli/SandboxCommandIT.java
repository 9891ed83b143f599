package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox as a user runs it: the whole operator on one machine, exit codes included. */
class SandboxCommandIT {

  record Run(int exit, String out, String err) {
    Run(int exit, String out) {
      this(exit, out, "");
    }
  }

  static Run sandbox(String... args) {
    List<String> all = new ArrayList<>(List.of("sandbox", "--start-seconds", "0.2", "--run-seconds", "1"));
    all.addAll(List.of(args));
    Cli.Output output = Cli.execute(all);
    return new Run(output.exit(), output.out(), output.err());
  }

  static Path example(String name) {
    return Path.of(System.getProperty("mlops.repoRoot", "..")).resolve("examples").resolve(name).toAbsolutePath();
  }

  @Test
  void defaultSetFinishesByItselfIncludingAGangRestart() {
    Run run = sandbox("--until-done", "--timeout", "90");
    assertThat(run.exit()).as(run.out()).isEqualTo(SandboxCommand.ALL_SUCCEEDED);
    assertThat(run.out()).contains("bert-recovers").contains("all jobs succeeded");
    // Contention: llama-ft and mistral-eval cannot both hold the A100-80GB nodes; one waited in the queue.
    assertThat(run.out()).containsPattern("(llama-ft|mistral-eval) +Queued +InsufficientFreeGpus +1 ");
    String finalTables = run.out().substring(run.out().lastIndexOf("["));
    // Why the gang restarted, not only that it did; and the NasVolumes the job mounts, Bound.
    assertThat(finalTables).containsPattern("bert-recovers +Succeeded +AllWorkersSucceeded +- +2 .* OOMKilled \\(exit 137\\)");
    assertThat(finalTables).containsPattern("NASVOLUME").containsPattern("ml-team +\\S+ +Bound +Bound +\\S+");
  }

  @Test
  void shippedExamplesThatCanBePlacedRunToCompletion() {
    Run run = sandbox("-f", example("cluster-priorityclasses.yaml").toString(),
        "-f", example("trainingjob-llama-ft.yaml").toString(),
        "-f", example("trainingjob-auto-product.yaml").toString(),
        "-f", example("trainingjob-cpu-smoke.yaml").toString(), "--until-done", "--timeout", "90");
    assertThat(run.exit()).as(run.out()).isEqualTo(SandboxCommand.ALL_SUCCEEDED);
  }

  @Test
  void unplaceableExampleTimesOutSayingWhatItWaitsFor() {
    Run run = sandbox("-f", example("trainingjob-unplaceable.yaml").toString(), "--until-done", "--timeout", "3");
    assertThat(run.exit()).isEqualTo(SandboxCommand.TIMED_OUT);
    assertThat(run.out()).contains("ml-team/too-big: Pending - InsufficientGpuNodes: Needs 16 nodes");
  }

  @Test
  void aFailedJobMakesExitCodeOne() throws Exception {
    Path fatal = Path.of(getClass().getClassLoader().getResource("sandbox/fatal-failure.yaml").toURI());
    Run run = sandbox("-f", fatal.toString(), "--until-done", "--timeout", "60");
    assertThat(run.exit()).as(run.out()).isEqualTo(SandboxCommand.SOME_FAILED);
  }

  @Test
  void customNodesAndKubeconfig(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Run run = sandbox("--gpu-nodes", "NVIDIA-A100-SXM4-80GB=16x8", "-f", example("trainingjob-unplaceable.yaml").toString(),
        "--until-done", "--timeout", "60", "--kubeconfig-out", kubeconfig.toString());
    assertThat(run.exit()).as(run.out()).isEqualTo(SandboxCommand.ALL_SUCCEEDED);
    assertThat(Files.readString(kubeconfig)).contains("server: http://").contains("current-context: mlops-sandbox");
  }

  @Test
  void badNodeSpecIsExitTwo() {
    Run run = sandbox("--gpu-nodes", "A100=lots");
    assertThat(run.exit()).isEqualTo(SandboxCommand.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo(
        "sandbox: --gpu-nodes entry 'A100=lots' must look like PRODUCT=COUNTxGPUS, e.g. NVIDIA-A100-SXM4-80GB=4x8");
  }

  @Test
  void untilDoneWithNothingToRunIsExitTwoNotAWaitForever(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
    Run run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sandbox("-f", empty.toString(), "--until-done"));
    assertThat(run.exit()).isEqualTo(SandboxCommand.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo("sandbox: " + empty + ": no resource in the file (the sandbox reads"
        + " mlops.dev/v1alpha1 TrainingJob, mlops.dev/v1alpha1 NasServer, mlops.dev/v1alpha1 NasVolume,"
        + " mlops.dev/v1alpha1 RedisInstance, mlops.dev/v1alpha1 Pipeline, mlops.dev/v1alpha1 PipelineRun, v1 Node,"
        + " v1 Namespace, scheduling.k8s.io/v1 PriorityClass)");

    Path onlyNodes = Files.writeString(dir.resolve("nodes.yaml"), "apiVersion: v1\nkind: Node\nmetadata: {name: extra}\n");
    run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sandbox("-f", onlyNodes.toString(), "--until-done"));
    assertThat(run.exit()).isEqualTo(SandboxCommand.BAD_INPUT);
    assertThat(run.err()).contains("--until-done").contains("hold no TrainingJob");
  }

  @Test
  void badInputMeetsTheSameContractAsRender(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: typo, namespace: ml-team}
        spec: {image: "pytorch:24.05", nodes: two, gpusPerNode: 8}
        """);
    Run run = sandbox("-f", bad.toString(), "--until-done");
    assertThat(run.exit()).isEqualTo(SandboxCommand.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo("sandbox: " + bad + ", document 1, line 4: TrainingJob ml-team/typo:"
        + " spec.nodes: expected an integer, got \"two\"");
  }

  @Test
  void timeoutBoundsBuildingTheSimulatedCluster() {
    // Half a million nodes take minutes to create on the embedded server; --timeout 2 must not.
    Run run = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> sandbox("--gpu-nodes", "NVIDIA-A100-SXM4-80GB=500000x8", "--until-done", "--timeout", "2"));
    assertThat(run.exit()).as(run.out()).isEqualTo(SandboxCommand.TIMED_OUT);
    assertThat(run.out()).contains("timed out after 2s while creating the simulated nodes");
  }
}
