package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real thing on a real API server, scheduler, Job controller and kubelet: k3s in a container.
 * Skipped automatically where no Docker engine runs (this project's CI machine has none).
 */
@Testcontainers(disabledWithoutDocker = true)
class TrainingJobK3sE2E {

  @Container
  static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  @Test
  void cpuOnlyTrainingJobRunsToCompletion() {
    Config config = Config.fromKubeconfig(K3S.getKubeConfigYaml());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      // The CRD goes through the real API server: its schema and CEL rules must be accepted as written.
      EmbeddedApiServer.crds().forEach(crd -> client.apiextensions().v1().customResourceDefinitions()
          .resource(crd).create());
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ml-team").endMetadata().build())
          .create();
      await().atMost(Duration.ofSeconds(60)).until(() -> client.apiextensions().v1().customResourceDefinitions()
          .withName("trainingjobs.mlops.dev").get().getStatus().getConditions().stream()
          .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
      try (MlopsOperator operator = new MlopsOperator(client, OperatorSettings.defaults())) {
        operator.start();
        TrainingJob tj = Serialization.unmarshal("""
            apiVersion: mlops.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: smoke, namespace: ml-team}
            spec:
              image: busybox:1.36
              command: ["sh", "-c", "echo rank $NODE_RANK of $PET_NNODES master $MASTER_ADDR world $WORLD_SIZE"]
              nodes: 1
              gpusPerNode: 0
            """, TrainingJob.class);
        client.resource(tj).create();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> {
          TrainingJob current = client.resources(TrainingJob.class).inNamespace("ml-team").withName("smoke").get();
          return current.getStatus() != null && "Succeeded".equals(current.getStatus().getPhase());
        });
        TrainingJob done = client.resources(TrainingJob.class).inNamespace("ml-team").withName("smoke").get();
        assertThat(done.getStatus().getAttempt()).isEqualTo(1);
        assertThat(done.getStatus().getRestarts()).isZero();
      }
    }
  }
}
