package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a new user sees first, on the real plane with the operator under the chart's RBAC: {@code kubectl get}
 * (the API server's own table, from the CRD's printer columns) tells apart a job waiting for Redis, an invalid
 * job and a job short of GPU nodes by their REASON; a PipelineRun with a misspelt Pipeline or a param of the
 * wrong type says so, and a Warning Event, whether or not Argo Workflows is installed.
 */
class StatusSaysWhyControlPlaneE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static KubernetesClient client;
  private static ChartRbacOperator operator;
  private static String namespace;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
    namespace = "e2e-why-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS, values -> { },
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    if (client != null && namespace != null) {
      client.resources(TrainingJob.class).inNamespace(namespace).delete();
      client.resources(PipelineRun.class).inNamespace(namespace).delete();
      client.resources(Pipeline.class).inNamespace(namespace).delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(TrainingJob.class).inNamespace(namespace)
          .list().getItems().isEmpty() && client.resources(PipelineRun.class).inNamespace(namespace).list().getItems()
          .isEmpty());
    }
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.namespaces().withName(namespace).delete();
      client.close();
    }
  }

  private static <T extends HasMetadata> void create(Class<T> type, String yaml) {
    T object = Serialization.unmarshal(yaml, type);
    object.getMetadata().setNamespace(namespace);
    client.resource(object).create();
  }

  @Test
  void kubectlGetTellsTheWaitingJobsApartByTheirReason() throws IOException, InterruptedException {
    create(TrainingJob.class, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: waits-for-redis}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 1
          gpusPerNode: 8
          redis: [{name: feature-cache}]
        """);
    create(TrainingJob.class, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: invalid}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 1
          gpusPerNode: 8
          resources: {limits: {memory: 16Gi}}
          shmSize: 64Gi
        """);
    create(TrainingJob.class, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: too-big}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 16
          gpusPerNode: 8
          gpu: {product: NVIDIA-A100-SXM4-80GB}
        """);
    await().atMost(Duration.ofSeconds(60)).until(() -> reason("waits-for-redis") != null && reason("invalid") != null
        && reason("too-big") != null);
    String table = TestPlane.kubectl("get", "trainingjobs", "-n", namespace);
    assertThat(table.lines().findFirst().orElseThrow()).containsPattern("NAME +PHASE +REASON +QUEUE +NODES");
    assertThat(table).containsPattern("invalid +Invalid +InvalidSpec ")
        .containsPattern("too-big +Pending +InsufficientGpuNodes ")
        .containsPattern("waits-for-redis +Pending +RedisNotReady ");
    assertThat(warnings("invalid")).anyMatch(e -> "InvalidSpec".equals(e.getReason())
        && e.getMessage().contains("spec.shmSize"));
  }

  @Test
  void aPipelineRunsOwnMistakesAreSaidBeforeAnythingAboutArgo() {
    create(PipelineRun.class, """
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: typo}
        spec: {pipelineRef: nightlly}
        """);
    create(Pipeline.class, """
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: nightly}
        spec:
          params: [{name: epochs, type: int, default: "3"}]
          tasks:
            - name: train
              container: {image: "registry.example.com/ml/train:1.0", args: ["--epochs", "{{params.epochs}}"]}
        """);
    create(PipelineRun.class, """
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: wrong-type}
        spec: {pipelineRef: nightly, params: {epochs: many}}
        """);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      PipelineRun typo = client.resources(PipelineRun.class).inNamespace(namespace).withName("typo").get();
      assertThat(typo.getStatus().getReason()).isEqualTo("PipelineNotFound");
      assertThat(Conditions.find(typo.getStatus().getConditions(), "Valid").orElseThrow().getMessage())
          .startsWith("Pipeline nightlly (spec.pipelineRef) is not in namespace " + namespace);
      PipelineRun wrong = client.resources(PipelineRun.class).inNamespace(namespace).withName("wrong-type").get();
      assertThat(wrong.getStatus().getPhase()).isEqualTo("Invalid");
      assertThat(wrong.getStatus().getReason()).isEqualTo("InvalidParams");
      assertThat(wrong.getStatus().getMessage()).contains("'many' is not an int");
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> warnings("typo").stream()
        .anyMatch(e -> "PipelineNotFound".equals(e.getReason())) && warnings("wrong-type").stream()
        .anyMatch(e -> "InvalidParams".equals(e.getReason())));
  }

  private static String reason(String job) {
    TrainingJob tj = client.resources(TrainingJob.class).inNamespace(namespace).withName(job).get();
    return tj == null || tj.getStatus() == null ? null : tj.getStatus().getReason();
  }

  private static List<Event> warnings(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && name.equals(e.getInvolvedObject().getName())).toList();
  }

}
