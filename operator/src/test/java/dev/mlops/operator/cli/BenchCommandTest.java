package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench's bad options: exit 2 and one line naming the option and the value, before anything starts. */
class BenchCommandTest {

  @Test
  void zeroJobsIsRefused() {
    Cli.Output run = Cli.execute(List.of("bench", "--jobs", "0"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("bench: --jobs,");
  }

  @Test
  void negativeWarmupIsRefused() {
    Cli.Output run = Cli.execute(List.of("bench", "--warmup-jobs", "-1"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("bench: --warmup-jobs must be 0 or more, not -1");
  }

  @Test
  void aGpuProductNeedsACluster() {
    Cli.Output run = Cli.execute(List.of("bench", "--gpu-product", "NVIDIA-A100-SXM4-80GB"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo(
        "bench: --gpu-product NVIDIA-A100-SXM4-80GB needs --kubeconfig: the embedded server has its own nodes");
  }

  @Test
  void aMissingKubeconfigIsOneLine() {
    Cli.Output run = Cli.execute(List.of("bench", "--kubeconfig", "/nonexistent/kubeconfig"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).singleElement().asString()
        .startsWith("bench: --kubeconfig /nonexistent/kubeconfig:");
  }

  @Test
  void aKubeconfigThatIsNotOneIsOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("kubeconfig"), "clusters: [unbalanced\n");
    Cli.Output run = Cli.execute(List.of("bench", "--kubeconfig", file.toString()));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("bench: --kubeconfig " + file + ":");
  }
}
