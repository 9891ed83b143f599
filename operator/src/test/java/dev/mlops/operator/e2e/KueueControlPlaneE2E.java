package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * TrainingJobs handed over to the real Kueue (v0.17.1, its webhooks registered: see {@link KueueController}) on the
 * test plane, the operator with exactly the chart's RBAC: Kueue missing, then installed; quota for two gangs with
 * three submitted; a higher priority preempting a running gang, which restarts uncounted and runs again when the
 * quota frees.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KueueControlPlaneE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static KubernetesClient client;
  private static ChartRbacOperator operator;
  private static KueueController kueue;
  private static String namespace;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    assumeTrue(KueueController.built().isPresent(), KueueController.SKIPPED);
    client = TestPlane.clientWithCrds();
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS, values -> { },
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(30)));
    namespace = "e2e-kueue-" + UUID.randomUUID().toString().substring(0, 6);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (client != null && namespace != null) {
      client.resources(TrainingJob.class).inNamespace(namespace).delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> client.pods().inNamespace(namespace).list().getItems().isEmpty());
      client.namespaces().withName(namespace).delete();
    }
    if (kueue != null) {
      kueue.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.resources(io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class).withName("e2e-kueue-urgent")
          .delete();
      client.close();
    }
  }

  private static void create(String name, int nodes, String scheduling) {
    TrainingJob tj = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          command: [torchrun, train.py]
          nodes: %d
          gpusPerNode: 8
          scheduling: %s
          podTemplate: {labels: {testcluster.mlops.dev/hold: "true"}}
        """.formatted(name, nodes, scheduling), TrainingJob.class);
    tj.getMetadata().setNamespace(namespace);
    client.resource(tj).create();
  }

  private static TrainingJob awaitStatus(String name, Predicate<TrainingJobStatus> reached, Duration within) {
    return TestPlane.awaitTrainingJob(client, namespace, name, reached, within);
  }

  private static void apply(String yaml) {
    for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(yaml)) {
      GenericKubernetesResource object = Serialization.jsonMapper().convertValue(document, GenericKubernetesResource.class);
      client.resource(object).forceConflicts().serverSideApply();
    }
  }

  /** Kueue is not there yet: the job says what to install, and goes on by itself once Kueue is. */
  @Test
  @Order(1)
  void withoutKueueTheJobSaysSoAndProceedsOnceKueueIsInstalled() throws Exception {
    assumeTrue(client.apiextensions().v1().customResourceDefinitions().withName("workloads.kueue.x-k8s.io").get() == null,
        "Kueue's CRDs are on this plane already");
    create("early", 2, "{queue: gpu}");
    TrainingJob waiting = awaitStatus("early", st -> "KueueNotInstalled".equals(st.getReason()), Duration.ofSeconds(60));
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(Conditions.find(waiting.getStatus().getConditions(), "Admitted").orElseThrow().getMessage())
        .startsWith("Kueue is not installed: CRD workloads.kueue.x-k8s.io not found. Install Kueue");

    kueue = KueueController.start(client, KueueController.built().get(), TestPlane.kubeconfig().get());
    apply("""
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: ResourceFlavor
        metadata: {name: a100-80gb}
        spec: {nodeLabels: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}}
        ---
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: ClusterQueue
        metadata: {name: e2e-gpu}
        spec:
          namespaceSelector: {}
          preemption: {withinClusterQueue: LowerPriority}
          resourceGroups:
            - coveredResources: [nvidia.com/gpu, cpu, memory]
              flavors:
                - name: a100-80gb
                  resources:
                    - {name: nvidia.com/gpu, nominalQuota: 32}
                    - {name: cpu, nominalQuota: 1000}
                    - {name: memory, nominalQuota: 10Ti}
        ---
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: LocalQueue
        metadata: {name: gpu, namespace: %s}
        spec: {clusterQueue: e2e-gpu}
        """.formatted(namespace));
    // Within 15 s of the CRDs (plus Kueue's admission), the job runs on the flavor's product.
    TrainingJob running = awaitStatus("early", st -> "Running".equals(st.getPhase()), Duration.ofSeconds(90));
    assertThat(running.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(Conditions.find(running.getStatus().getConditions(), "Admitted").orElseThrow().getMessage())
        .startsWith("Kueue admitted attempt 1 (LocalQueue gpu, Workload ");
    var job = client.batch().v1().jobs().inNamespace(namespace).withName("early").get();
    assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB");
    assertThat(job.getMetadata().getAnnotations()).as("no built-in pinning").doesNotContainKey("mlops.dev/admitted-nodes");
  }

  /**
   * Quota for two gangs (32 GPUs), three submitted: two run, the third waits with Kueue's own reason; a higher priority
   * preempts one, which says Preempted, does not spend its backoffLimit, and runs again when the quota frees.
   */
  @Test
  @Order(2)
  void kueueAdmitsWithinQuotaAndAPreemptedGangRestartsUncounted() {
    assumeTrue(kueue != null && kueue.alive(), "Kueue was started by the first test");
    create("second", 2, "{queue: gpu}");
    awaitStatus("second", st -> "Running".equals(st.getPhase()), Duration.ofSeconds(90));
    create("third", 2, "{queue: gpu}");
    TrainingJob third = awaitStatus("third", st -> "Queued".equals(st.getPhase())
        && "Pending".equals(st.getReason()), Duration.ofSeconds(60));
    assertThat(Conditions.find(third.getStatus().getConditions(), "Admitted").orElseThrow().getMessage())
        .startsWith("Kueue: couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in"
            + " flavor a100-80gb, 16 more needed").contains("(LocalQueue gpu, Workload ");
    assertThat(client.pods().inNamespace(namespace).withLabel("mlops.dev/trainingjob", "third").list().getItems())
        .as("no worker of a gang Kueue holds").isEmpty();

    client.resource(new io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder().withNewMetadata()
        .withName("e2e-kueue-urgent").endMetadata().withValue(1000).withPreemptionPolicy("Never").build())
        .forceConflicts().serverSideApply();
    create("urgent", 2, "{queue: gpu, priorityClassName: e2e-kueue-urgent}");
    awaitStatus("urgent", st -> "Running".equals(st.getPhase()), Duration.ofSeconds(90));
    // One of the two running gangs was preempted for it: a restart, not a failure.
    await().atMost(Duration.ofSeconds(60)).until(() -> List.of("early", "second").stream()
        .map(n -> client.resources(TrainingJob.class).inNamespace(namespace).withName(n).get().getStatus())
        .anyMatch(st -> st.getLastFailure() != null && "Preempted".equals(st.getLastFailure().getReason())));
    TrainingJobStatus preempted = List.of("early", "second").stream()
        .map(n -> client.resources(TrainingJob.class).inNamespace(namespace).withName(n).get().getStatus())
        .filter(st -> st.getLastFailure() != null).findFirst().orElseThrow();
    assertThat(preempted.getFailures()).as("not counted against backoffLimit").isZero();
    assertThat(preempted.getAttempt()).isEqualTo(2);
    assertThat(preempted.getLastFailure().getMessage()).startsWith("Kueue preempted the gang (InClusterQueue): ");
    String victim = client.resources(TrainingJob.class).inNamespace(namespace).list().getItems().stream()
        .filter(t -> t.getStatus().getLastFailure() != null).findFirst().orElseThrow().getMetadata().getName();

    // The quota frees: the preempted gang (ahead of third: Kueue orders evicted workloads by eviction time, and
    // third waited since before) or third runs; once urgent and the other are gone, both do.
    client.resources(TrainingJob.class).inNamespace(namespace).withName("urgent").delete();
    String other = victim.equals("early") ? "second" : "early";
    client.resources(TrainingJob.class).inNamespace(namespace).withName(other).delete();
    TrainingJob back = awaitStatus(victim, st -> "Running".equals(st.getPhase()), Duration.ofSeconds(120));
    assertThat(back.getStatus().getAttempt()).isEqualTo(2);
    assertThat(back.getStatus().getFailures()).isZero();
    awaitStatus("third", st -> "Running".equals(st.getPhase()), Duration.ofSeconds(120));
    assertThat(operator.requests().failures().keySet()).as("the chart's RBAC suffices (Workloads read only)")
        .noneMatch(k -> k.startsWith("403"));
  }
}
