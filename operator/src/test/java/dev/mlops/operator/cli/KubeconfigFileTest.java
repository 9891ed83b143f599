package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kubeconfig} of sandbox and bench: a file that is not a kubeconfig, and one whose cluster does
 * not answer, are one line and exit 2, not an "unexpected error" or a wait for kubernetes.default.svc.
 */
class KubeconfigFileTest {

  private static final String NOT_A_KUBECONFIG = """
      apiVersion: mlops.dev/v1alpha1
      kind: TrainingJob
      metadata: {name: a}
      """;

  private static final String NOBODY_LISTENS = """
      apiVersion: v1
      kind: Config
      clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
      users: [{name: u, user: {token: t}}]
      contexts: [{name: x, context: {cluster: c, user: u}}]
      current-context: x
      """;

  @Test
  void aFileThatIsNotAKubeconfigIsBadInputForBothCommands(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("job.yaml"), NOT_A_KUBECONFIG);
    for (String command : List.of("sandbox", "bench")) {
      Cli.Output run = Cli.execute(List.of(command, "--kubeconfig", file.toString()));
      assertThat(run.exit()).as(command).isEqualTo(2);
      assertThat(run.err().strip()).as(command).isEqualTo(command + ": --kubeconfig " + file
          + ": not a kubeconfig with a current context (kubectl config current-context --kubeconfig " + file + ")");
    }
  }

  @Test
  void aClusterThatDoesNotAnswerIsOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("kubeconfig"), NOBODY_LISTENS);
    Cli.Output sandbox = Cli.execute(List.of("sandbox", "--kubeconfig", file.toString(), "--until-done"));
    assertThat(sandbox.exit()).isEqualTo(SandboxCommand.BAD_INPUT);
    assertThat(sandbox.err().strip().lines()).singleElement().asString().startsWith("sandbox: ")
        .contains("127.0.0.1:1");
    Cli.Output bench = Cli.execute(List.of("bench", "--kubeconfig", file.toString()));
    assertThat(bench.exit()).as("run's exit code for an unreachable server").isEqualTo(3);
    assertThat(bench.err().strip().lines()).singleElement().asString().startsWith("bench: ").contains("127.0.0.1:1");
  }
}
