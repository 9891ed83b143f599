package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator against upstream etcd, kube-apiserver, kube-controller-manager and kube-scheduler,
 * with KWOK nodes (testcluster/): what Kubernetes itself enforces — the CRD's schema and CEL rules
 * within the API server's cost budget, the real Job controller running the Indexed Job, the real
 * scheduler honouring GPU-product affinity and taints — shown where the mock server cannot.
 *
 * <p>The operator runs with exactly the Helm chart's RBAC: its client impersonates the chart's
 * ServiceAccount, bound to the chart's ClusterRoles, and no request of it may be forbidden.
 */
class TrainingJobControlPlaneE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static KubernetesClient client;
  private static ChartRbacOperator operator;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS, values -> { },
        OperatorSettings.defaults().withResyncInterval(RESYNC));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  /**
   * Each test's namespace, emptied after it so that held workers free their GPU nodes for the next
   * test: the TrainingJobs are deleted first (their children go by garbage collection), and only
   * then the namespace, so the operator never writes into a terminating namespace (a 403 that is
   * not RBAC's).
   */
  private static String namespace;

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      String ns = namespace;
      client.resources(TrainingJob.class).inNamespace(ns).delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> client.resources(TrainingJob.class).inNamespace(ns).list()
          .getItems().isEmpty() && client.pods().inNamespace(ns).list().getItems().isEmpty());
      client.namespaces().withName(ns).delete();
      namespace = null;
    }
  }

  private static String namespace() {
    String ns = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    namespace = ns;
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    return ns;
  }

  private static TrainingJob job(String ns, String yaml) {
    TrainingJob tj = Serialization.unmarshal(yaml, TrainingJob.class);
    tj.getMetadata().setNamespace(ns);
    return tj;
  }

  private static TrainingJob awaitPhase(String ns, String name, String phase, Duration within) {
    return awaitStatus(ns, name, st -> phase.equals(st.getPhase()), within);
  }

  private static TrainingJob awaitStatus(String ns, String name, Predicate<TrainingJobStatus> reached) {
    return awaitStatus(ns, name, reached, Duration.ofSeconds(90));
  }

  private static TrainingJob awaitStatus(String ns, String name, Predicate<TrainingJobStatus> reached, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
      TrainingJob current = client.resources(TrainingJob.class).inNamespace(ns).withName(name).get();
      return current != null && current.getStatus() != null && reached.test(current.getStatus());
    });
    return client.resources(TrainingJob.class).inNamespace(ns).withName(name).get();
  }


  @Test
  void theApiServerEnforcesTheCrdsSchemaAndCelRules() {
    String ns = namespace();
    assertThatThrownBy(() -> client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: zero}
        spec: {image: "nvcr.io/nvidia/pytorch:24.05-py3", nodes: 0, gpusPerNode: 8}
        """)).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.nodes");
    assertThatThrownBy(() -> client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: cpu-pinned}
        spec: {image: "python:3.12", nodes: 2, gpusPerNode: 0, gpu: {product: NVIDIA-A100-SXM4-80GB}}
        """)).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.gpu.product needs spec.gpusPerNode of at least 1");
  }

  @Test
  void aGpuJobRunsOnOneProductThroughTheRealJobControllerAndScheduler() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: llama}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          command: [torchrun, train.py]
          nodes: 2
          gpusPerNode: 8
          gpu: {product: NVIDIA-A100-SXM4-80GB}
          podTemplate:
            annotations: {testcluster.mlops.dev/run-for: "3s"}
        """)).create();
    TrainingJob running = awaitPhase(ns, "llama", "Running", Duration.ofSeconds(90));
    assertThat(running.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", "llama").list().getItems();
    assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).startsWith("nvidia-a100-sxm4-80gb-"));
    assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).distinct()).as("one worker per node").hasSize(2);

    TrainingJob done = awaitPhase(ns, "llama", "Succeeded", Duration.ofSeconds(90));
    assertThat(done.getStatus().getRestarts()).isZero();
    assertThat(Conditions.find(done.getStatus().getConditions(), "Succeeded").orElseThrow().getStatus()).isEqualTo("True");

    // Nothing changes any more: resyncs (every 2 s here) reconcile it and write nothing.
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> {
      long before = operator.requests().writes();
      Thread.sleep(3 * RESYNC.toMillis());
      return operator.requests().writes() == before;
    });
    long writes = operator.requests().writes();
    long reconciles = operator.operator().trainingJobs().reconcileCount();
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.operator().trainingJobs().reconcileCount() >= reconciles + 2);
    assertThat(operator.requests().writes()).as("writes in two resyncs of a finished job").isEqualTo(writes);
  }

  /**
   * What the example job met on a fresh cluster: its PriorityClass does not exist (the operator sees that itself,
   * before any pod is asked for), then the real Job controller cannot create the pods (the ServiceAccount does not
   * exist) and says so only in the Job's Events. The TrainingJob says both in its own status and as its own Warnings,
   * and runs once the causes are fixed.
   */
  @Test
  void aPodTheJobControllerCannotCreateIsSaidInTheTrainingJobsStatus() {
    String ns = namespace();
    String priorityClass = "e2e-high-" + ns;
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: refused}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          command: [torchrun, train.py]
          nodes: 2
          gpusPerNode: 8
          scheduling: {priorityClassName: %s}
          podTemplate:
            serviceAccountName: trainer
            annotations: {testcluster.mlops.dev/run-for: "600s"}
        """.formatted(priorityClass))).create();
    TrainingJob noPriority = awaitStatus(ns, "refused", st -> "PriorityClassNotFound".equals(st.getReason()));
    assertThat(noPriority.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(Conditions.find(noPriority.getStatus().getConditions(), "Admitted").orElseThrow().getMessage())
        .startsWith("PriorityClass " + priorityClass + " does not exist");
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName("refused").get()).as("no Job before its class").isNull();

    client.resource(new io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder().withNewMetadata()
        .withName(priorityClass).endMetadata().withValue(1000).build()).create();
    try {
      TrainingJob noAccount = awaitStatus(ns, "refused", st -> "FailedCreate".equals(st.getReason()));
      assertThat(noAccount.getStatus().getPhase()).isEqualTo("Starting");
      assertThat(Conditions.find(noAccount.getStatus().getConditions(), "Running").orElseThrow().getMessage())
          .startsWith("The Job controller cannot create 2 of 2 worker pods (attempt 1): ")
          .contains("serviceaccount \"trainer\" not found");
      await().atMost(Duration.ofSeconds(30)).until(() -> warnings(ns, "refused").stream()
          .anyMatch(e -> "FailedCreate".equals(e.getReason()) && e.getMessage().contains("serviceaccount \"trainer\"")));
      assertThat(warnings(ns, "refused")).anyMatch(e -> "PriorityClassNotFound".equals(e.getReason()));

      client.serviceAccounts().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
          .withNewMetadata().withName("trainer").endMetadata().build()).create();
      TrainingJob running = awaitPhase(ns, "refused", "Running", Duration.ofSeconds(180));
      assertThat(running.getStatus().getReason()).isEqualTo("AllWorkersRunning");
      assertThat(client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", "refused").list().getItems())
          .allMatch(p -> priorityClass.equals(p.getSpec().getPriorityClassName()) && p.getSpec().getPriority() == 1000);
    } finally {
      client.resource(new io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder().withNewMetadata()
          .withName(priorityClass).endMetadata().withValue(1000).build()).delete();
    }
  }

  /**
   * Workers the real scheduler cannot place (more CPU than any node has): after spec.scheduling.startupTimeoutSeconds
   * the gang is torn down and started again without spending the backoff limit (Requeue), or the job fails (Fail).
   */
  @Test
  void aGangThatDoesNotStartInTimeIsRequeuedUncountedOrFailed() {
    String ns = namespace();
    for (String on : List.of("Requeue", "Fail")) {
      client.resource(job(ns, """
          apiVersion: mlops.dev/v1alpha1
          kind: TrainingJob
          metadata: {name: stuck-%s}
          spec:
            image: nvcr.io/nvidia/pytorch:24.05-py3
            nodes: 2
            gpusPerNode: 8
            resources: {requests: {cpu: "500"}}
            scheduling: {startupTimeoutSeconds: 10, onStartupTimeout: %s}
            runPolicy: {backoffLimit: 0}
          """.formatted(on.toLowerCase(), on))).create();
    }
    TrainingJob requeued = awaitStatus(ns, "stuck-requeue", st -> st.getAttempt() != null && st.getAttempt() >= 2,
        Duration.ofSeconds(90));
    assertThat(requeued.getStatus().getFailures()).as("not counted against backoffLimit 0").isZero();
    assertThat(requeued.getStatus().getPhase()).isNotEqualTo("Failed");
    assertThat(requeued.getStatus().getLastFailure().getReason()).isEqualTo("StartupTimeout");
    assertThat(requeued.getStatus().getLastFailure().getMessage()).contains("did not start within 10s")
        .contains("Insufficient cpu");
    TrainingJob failed = awaitPhase(ns, "stuck-fail", "Failed", Duration.ofSeconds(90));
    assertThat(failed.getStatus().getReason()).isEqualTo("StartupTimeout");
    await().atMost(Duration.ofSeconds(60)).until(() -> client.batch().v1().jobs().inNamespace(ns).withName("stuck-fail")
        .get() == null);
  }

  /**
   * Workers whose image cannot be pulled (a KWOK stage plays the kubelet's ImagePullBackOff): the job says so in the
   * kubelet's words while it waits, and the startup timeout requeues the gang without spending the backoff limit.
   */
  @Test
  void anImageThatCannotBePulledIsSaidAndTheGangIsRequeuedAfterTheStartupTimeout() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: typo-image}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3-typo
          nodes: 2
          gpusPerNode: 8
          scheduling: {startupTimeoutSeconds: 15}
          runPolicy: {backoffLimit: 0}
          podTemplate: {annotations: {testcluster.mlops.dev/image-pull: fail}}
        """)).create();
    TrainingJob waiting = awaitStatus(ns, "typo-image", st -> "ImagePullBackOff".equals(st.getReason()),
        Duration.ofSeconds(60));
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Starting");
    assertThat(Conditions.find(waiting.getStatus().getConditions(), "Running").orElseThrow().getMessage())
        .contains("ImagePullBackOff").contains("nvcr.io/nvidia/pytorch:24.05-py3-typo");
    TrainingJob requeued = awaitStatus(ns, "typo-image", st -> st.getAttempt() != null && st.getAttempt() >= 2,
        Duration.ofSeconds(60));
    assertThat(requeued.getStatus().getFailures()).as("not counted against backoffLimit 0").isZero();
    assertThat(requeued.getStatus().getLastFailure().getReason()).isEqualTo("StartupTimeout");
    assertThat(requeued.getStatus().getLastFailure().getMessage()).contains("did not start within 15s")
        .contains("ImagePullBackOff");
  }

  private static List<io.fabric8.kubernetes.api.model.Event> warnings(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && "TrainingJob".equals(e.getInvolvedObject().getKind())
            && name.equals(e.getInvolvedObject().getName())).toList();
  }

  @Test
  void anOomKilledWorkerRestartsTheWholeGang() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: bert}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 4
          runPolicy: {backoffLimit: 2}
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
            annotations: {testcluster.mlops.dev/exit-code: "137", testcluster.mlops.dev/reason: OOMKilled}
        """)).create();
    awaitPhase(ns, "bert", "Running", Duration.ofSeconds(90));
    Pod worker = client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", "bert").list().getItems().get(0);
    client.pods().inNamespace(ns).withName(worker.getMetadata().getName())
        .edit(p -> {
          p.getMetadata().getLabels().put("testcluster.mlops.dev/fail", "true");
          return p;
        });
    TrainingJob restarted = awaitStatus(ns, "bert", st -> st.getAttempt() == 2 && "Running".equals(st.getPhase()));
    assertThat(restarted.getStatus().getRestarts()).isEqualTo(1);
    assertThat(restarted.getStatus().getLastFailure().getReason()).isEqualTo("OOMKilled");
    assertThat(restarted.getStatus().getLastFailure().getExitCode()).isEqualTo(137);
  }

  private static void failWorker(String ns, String job, int index) {
    Pod worker = client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", job).list().getItems().stream()
        .filter(p -> String.valueOf(index)
            .equals(p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index")))
        .findFirst().orElseThrow();
    client.pods().inNamespace(ns).withName(worker.getMetadata().getName()).edit(p -> {
      p.getMetadata().getLabels().put("testcluster.mlops.dev/fail", "true");
      return p;
    });
  }

  @Test
  void aNonRetryableExitCodeFailsTheJobAtOnce() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: fatal}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          runPolicy: {backoffLimit: 3, nonRetryableExitCodes: [2]}
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
            annotations: {testcluster.mlops.dev/exit-code: "2"}
        """)).create();
    awaitPhase(ns, "fatal", "Running", Duration.ofSeconds(90));
    failWorker(ns, "fatal", 1);
    TrainingJob failed = awaitPhase(ns, "fatal", "Failed", Duration.ofSeconds(90));
    assertThat(failed.getStatus().getRestarts()).isZero();
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("NonRetryableExitCode");
    assertThat(failed.getStatus().getLastFailure().getWorker()).isEqualTo(1);
  }

  @Test
  void afterTheTtlTheRealGarbageCollectorRemovesTheWorkersAndTheTrainingJobStays() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: short}
        spec:
          image: python:3.12
          nodes: 2
          gpusPerNode: 0
          runPolicy: {ttlSecondsAfterFinished: 2}
          podTemplate:
            annotations: {testcluster.mlops.dev/run-for: "1s"}
        """)).create();
    awaitPhase(ns, "short", "Succeeded", Duration.ofSeconds(90));
    // The operator deletes the Job (background propagation) and the Service; the pods go through
    // their ownerReferences, by the garbage collector of kube-controller-manager.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
        client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty()
            && client.services().inNamespace(ns).list().getItems().isEmpty()
            && client.pods().inNamespace(ns).list().getItems().isEmpty());
    TrainingJob kept = client.resources(TrainingJob.class).inNamespace(ns).withName("short").get();
    assertThat(kept.getStatus().getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void anOperatorRestartMidJobCreatesNothingTwice() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: steady}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
        """)).create();
    awaitPhase(ns, "steady", "Running", Duration.ofSeconds(90));
    long creates = creates();
    operator.restart();
    long reconciles = operator.operator().trainingJobs().reconcileCount();
    await().atMost(Duration.ofSeconds(60)).until(() -> operator.operator().trainingJobs().reconcileCount() >= reconciles + 3);
    assertThat(creates()).as("creates by the restarted operator").isEqualTo(creates);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(2);
    assertThat(client.resources(TrainingJob.class).inNamespace(ns).withName("steady").get().getStatus().getAttempt())
        .isEqualTo(1);
  }

  @Test
  void anEvictedWorkerRestartsTheGangWithoutSpendingTheBackoffLimit() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: drained}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          runPolicy: {backoffLimit: 0}
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
        """)).create();
    awaitPhase(ns, "drained", "Running", Duration.ofSeconds(90));
    Pod worker = client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", "drained").list().getItems().get(0);
    // What kubectl drain does: the Eviction API, which marks the pod DisruptionTarget and deletes it.
    assertThat(client.pods().inNamespace(ns).withName(worker.getMetadata().getName()).evict()).isTrue();
    TrainingJob restarted = awaitStatus(ns, "drained", st -> st.getAttempt() == 2 && "Running".equals(st.getPhase()));
    assertThat(restarted.getStatus().getRestarts()).isEqualTo(1);
    assertThat(restarted.getStatus().getFailures()).as("restarts counted against backoffLimit 0").isZero();
  }

  @Test
  void aDeadlineFailsTheJobAndReleasesItsGpus() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: late}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          runPolicy: {activeDeadlineSeconds: 3}
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
        """)).create();
    TrainingJob failed = awaitPhase(ns, "late", "Failed", Duration.ofSeconds(90));
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("DeadlineExceeded");
    await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty());
  }

  @Test
  void suspendReleasesTheWorkersAndResumeStartsANewAttempt() {
    String ns = namespace();
    client.resource(job(ns, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: paused}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          runPolicy: {suspend: false}
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
        """)).create();
    awaitPhase(ns, "paused", "Running", Duration.ofSeconds(90));
    client.resources(TrainingJob.class).inNamespace(ns).withName("paused")
        .edit(tj -> {
          tj.getSpec().getRunPolicy().setSuspend(true);
          return tj;
        });
    awaitPhase(ns, "paused", "Suspended", Duration.ofSeconds(90));
    await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty());

    client.resources(TrainingJob.class).inNamespace(ns).withName("paused")
        .edit(tj -> {
          tj.getSpec().getRunPolicy().setSuspend(false);
          return tj;
        });
    TrainingJob resumed = awaitPhase(ns, "paused", "Running", Duration.ofSeconds(90));
    assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(2);
    assertThat(resumed.getStatus().getFailures()).isZero();
  }

  private static long creates() {
    return operator.requests().snapshot().entrySet().stream().filter(e -> e.getKey().startsWith("create "))
        .mapToLong(Map.Entry::getValue).sum();
  }
}
