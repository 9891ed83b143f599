package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.e2e.TestPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sandbox --kubeconfig}: the default job set, run by the real operator on the real plane. */
class SandboxControlPlaneE2E {

  @Test
  void theDefaultJobsFinishOnTheRealPlane() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    try (KubernetesClient admin = TestPlane.clientWithCrds()) {
      Cli.Output run = Cli.execute(List.of("sandbox", "--kubeconfig", TestPlane.kubeconfig().get().toString(),
          "--until-done", "--timeout", "180"));
      assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(SandboxCommand.ALL_SUCCEEDED);
      assertThat(run.out()).contains("sandbox: cluster https://127.0.0.1:").contains("all jobs succeeded");
      List<TrainingJob> jobs = admin.resources(TrainingJob.class).inAnyNamespace().list().getItems().stream()
          .filter(t -> "Succeeded".equals(t.getStatus() == null ? null : t.getStatus().getPhase())).toList();
      assertThat(jobs).isNotEmpty();
      // llama-ft mounts the default NasVolumes: it could only start once the real PV binder had bound them.
      assertThat(admin.resources(NasVolume.class).inNamespace("ml-team").list().getItems())
          .extracting(v -> v.getMetadata().getName() + "=" + v.getStatus().getPhase())
          .containsExactlyInAnyOrder("checkpoints=Bound", "imagenet=Bound");
      TrainingJob llama = admin.resources(TrainingJob.class).inNamespace("ml-team").withName("llama-ft").get();
      assertThat(llama.getStatus().getConditions()).anyMatch(c -> "VolumesReady".equals(c.getType())
          && "True".equals(c.getStatus()));
      admin.resources(TrainingJob.class).inAnyNamespace().list().getItems().forEach(t -> admin.resource(t).delete());
      // Their workers go by garbage collection; wait, so that the next test finds the GPU nodes free.
      await().atMost(Duration.ofSeconds(90)).until(() -> admin.pods().inAnyNamespace().withLabel("mlops.dev/trainingjob")
          .list().getItems().isEmpty());
      admin.resources(NasVolume.class).inAnyNamespace().delete();
      admin.resources(NasServer.class).delete();
    }
  }

  @Test
  void anUnreadableKubeconfigIsOneLine() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    Cli.Output run = Cli.execute(List.of("sandbox", "--kubeconfig", "/nonexistent/kubeconfig", "--until-done"));
    assertThat(run.exit()).isEqualTo(SandboxCommand.BAD_INPUT);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("sandbox: --kubeconfig /nonexistent/kubeconfig:");
  }
}
