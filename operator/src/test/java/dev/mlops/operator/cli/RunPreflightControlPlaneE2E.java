package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.cli.RunPreflightTest.Run;
import dev.mlops.operator.e2e.TestPlane;
import dev.mlops.operator.runtime.LogSetup;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run's pre-flight against the real kube-apiserver, which answers over HTTP/2 and in its own ways
 * (an unauthenticated client gets a GOAWAY next to the 401): each failure is still its one line.
 */
class RunPreflightControlPlaneE2E {

  private String savedKubeconfig;

  @BeforeEach
  void plane() {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    savedKubeconfig = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
  }

  @AfterEach
  void restore() {
    if (savedKubeconfig == null) {
      System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    } else {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, savedKubeconfig);
    }
    LogSetup.configure(LogSetup.Format.PLAIN, "INFO");
  }

  /** The plane's kubeconfig with its admin user replaced by {@code user} (a YAML flow map). */
  private static Path kubeconfigWith(Path dir, String user) throws IOException {
    String admin = Files.readString(TestPlane.kubeconfig().orElseThrow());
    String replaced = admin.replaceAll("(?s)users:\n- name: admin\n  user:\n.*?\ncontexts:",
        "users:\n- name: admin\n  user: " + user.replace("$", "\\$") + "\ncontexts:");
    assertThat(replaced).isNotEqualTo(admin);
    Path file = Files.writeString(dir.resolve("kubeconfig"), replaced);
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, file.toString());
    return file;
  }

  @Test
  void aTokenTheServerDoesNotKnowIsAuthenticationRefused(@TempDir Path dir) throws IOException {
    kubeconfigWith(dir, "{token: not-a-token}");
    Run run = RunPreflightTest.run();
    assertThat(run.exit()).as(run.err()).isEqualTo(4);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("run: authentication refused (401");
  }

  @Test
  void noCredentialsAtAllIsAnAuthenticationProblemNotAnRbacOne(@TempDir Path dir) throws IOException {
    kubeconfigWith(dir, "{}");
    Run run = RunPreflightTest.run();
    assertThat(run.exit()).as(run.err()).isEqualTo(4);
    assertThat(run.err().strip().lines()).singleElement().asString().contains("authentication refused");
  }
}
