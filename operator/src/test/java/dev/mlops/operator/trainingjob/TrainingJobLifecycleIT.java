package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.OperatorHarness.NS;
import static dev.mlops.operator.trainingjob.TrainingJobs.fresh;
import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle a user sees, driven through the real operator and a simulated control plane. */
class TrainingJobLifecycleIT {

  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.manual();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void createStartsRunsAndSucceeds() {
    TrainingJob tj = fresh(gpuJob("llama-ft", 4, 8));
    // As Argo CD labels what it applies: the children must never inherit this label.
    tj.getMetadata().setLabels(java.util.Map.of("app.kubernetes.io/instance", "ml-team-training"));
    h.create(tj);
    List<String> phases = new CopyOnWriteArrayList<>();
    var watch = h.tj("llama-ft").watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, TrainingJob resource) {
        if (resource.getStatus() != null && resource.getStatus().getPhase() != null
            && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(resource.getStatus().getPhase()))) {
          phases.add(resource.getStatus().getPhase());
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    });
    TrainingJob running = h.awaitPhase("llama-ft", TrainingJobPhase.RUNNING);
    assertThat(running.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(running.getStatus().getAttempt()).isEqualTo(1);
    assertThat(running.getStatus().getWorkers().getReady()).isEqualTo(4);
    assertThat(running.getStatus().getGpus()).isEqualTo(32);
    assertThat(Conditions.isTrue(running.getStatus().getConditions(), "Running")).isTrue();
    assertThat(Conditions.isTrue(running.getStatus().getConditions(), "Schedulable")).isTrue();

    List<Pod> workers = h.pods("llama-ft", 1);
    assertThat(workers).hasSize(4);
    List<io.fabric8.kubernetes.api.model.HasMetadata> children = new ArrayList<>(workers);
    children.addAll(h.jobs("llama-ft"));
    children.add(h.client.services().inNamespace(NS).withName("llama-ft").get());
    assertThat(children).allSatisfy(child -> {
      assertThat(child.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/instance")
          .containsEntry("app.kubernetes.io/managed-by", "mlops-operator")
          .containsEntry("mlops.dev/trainingjob", "llama-ft");
    });
    assertThat(workers).extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates()
        .allMatch(n -> n.startsWith("nvidia-a100-sxm4-80gb-"));
    assertThat(h.client.services().inNamespace(NS).withName("llama-ft").get().getSpec().getClusterIP()).isEqualTo("None");

    for (Pod worker : workers) {
      h.cluster.failPod(NS, worker.getMetadata().getName(), 0);
    }
    TrainingJob done = h.awaitPhase("llama-ft", TrainingJobPhase.SUCCEEDED);
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(Conditions.isTrue(done.getStatus().getConditions(), "Succeeded")).isTrue();
    assertThat(done.getStatus().getRestarts()).isZero();
    watch.close();
    assertThat(phases).containsSubsequence("Starting", "Running", "Succeeded");
  }

  @Test
  void retriableFailureRestartsTheGangAndOldPodsAreGoneBeforeNewOnesExist() {
    TrainingJob tj = fresh(gpuJob("retry", 3, 8));
    tj.getSpec().getRunPolicy().setBackoffLimit(2);
    List<String> overlaps = new CopyOnWriteArrayList<>();
    java.util.Map<String, String> live = new java.util.concurrent.ConcurrentHashMap<>();
    var watch = h.client.pods().inNamespace(NS).withLabel(TrainingJobResources.JOB_LABEL, "retry")
        .watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
          @Override
          public void eventReceived(Action action, Pod pod) {
            String attempt = pod.getMetadata().getLabels().get(TrainingJobResources.ATTEMPT_LABEL);
            if (action == Action.DELETED) {
              live.remove(pod.getMetadata().getName());
              return;
            }
            if (action == Action.ADDED && live.values().stream().anyMatch(a -> !a.equals(attempt))) {
              overlaps.add(pod.getMetadata().getName() + " created while " + live);
            }
            live.put(pod.getMetadata().getName(), attempt);
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
        });
    h.create(tj);
    h.awaitPhase("retry", TrainingJobPhase.RUNNING);
    h.cluster.failPod(NS, h.worker("retry", 1, 1).getMetadata().getName(), 137);

    TrainingJob restarted = h.awaitStatus("retry", t -> t.getStatus().getAttempt() == 2
        && TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase()));
    assertThat(restarted.getStatus().getRestarts()).isEqualTo(1);
    assertThat(restarted.getStatus().getFailures()).isEqualTo(1);
    assertThat(restarted.getStatus().getLastFailure().getWorker()).isEqualTo(1);
    assertThat(restarted.getStatus().getLastFailure().getExitCode()).isEqualTo(137);
    assertThat(restarted.getStatus().getLastFailure().getReason()).isEqualTo("OOMKilled");
    assertThat(restarted.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(h.pods("retry", 1)).isEmpty();
    assertThat(h.pods("retry", 2)).hasSize(3);
    assertThat(h.jobs("retry")).hasSize(1);
    watch.close();
    assertThat(overlaps).as("pods of two attempts must never coexist").isEmpty();
    assertThat(warningReasons("retry")).contains("WorkerFailed");
  }

  @Test
  void nonRetryableExitCodeFailsAtOnceAndStopsTheOtherWorkers() {
    TrainingJob tj = fresh(gpuJob("fatal", 2, 8));
    tj.getSpec().getRunPolicy().setNonRetryableExitCodes(List.of(2));
    h.create(tj);
    h.awaitPhase("fatal", TrainingJobPhase.RUNNING);
    h.cluster.failPod(NS, h.worker("fatal", 1, 0).getMetadata().getName(), 2);

    TrainingJob failed = h.awaitPhase("fatal", TrainingJobPhase.FAILED);
    assertThat(failed.getStatus().getAttempt()).isEqualTo(1);
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("NonRetryableExitCode");
    assertThat(failed.getStatus().getLastFailure().getExitCode()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> h.pods("fatal").stream()
        .noneMatch(p -> "Running".equals(p.getStatus().getPhase()) || "Pending".equals(p.getStatus().getPhase())));
    assertThat(warningReasons("fatal")).contains("NonRetryableExitCode");
  }

  @Test
  void backoffLimitExhaustedFailsTheJob() {
    TrainingJob tj = fresh(gpuJob("flaky", 2, 8));
    tj.getSpec().getRunPolicy().setBackoffLimit(1);
    h.create(tj);
    h.awaitPhase("flaky", TrainingJobPhase.RUNNING);
    h.cluster.failPod(NS, h.worker("flaky", 1, 0).getMetadata().getName(), 1);
    h.awaitStatus("flaky", t -> t.getStatus().getAttempt() == 2 && TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase()));
    h.cluster.failPod(NS, h.worker("flaky", 2, 1).getMetadata().getName(), 1);

    TrainingJob failed = h.awaitPhase("flaky", TrainingJobPhase.FAILED);
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("BackoffLimitExceeded");
    assertThat(failed.getStatus().getAttempt()).isEqualTo(2);
    assertThat(failed.getStatus().getLastFailure().getWorker()).isEqualTo(1);
  }

  @Test
  void disruptionRestartsWithoutCountingAgainstBackoffLimit() {
    TrainingJob tj = fresh(gpuJob("drained", 2, 8));
    tj.getSpec().getRunPolicy().setBackoffLimit(0);
    h.create(tj);
    h.awaitPhase("drained", TrainingJobPhase.RUNNING);
    h.cluster.disruptPod(NS, h.worker("drained", 1, 1).getMetadata().getName());

    TrainingJob restarted = h.awaitStatus("drained", t -> t.getStatus().getAttempt() == 2
        && TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase()));
    assertThat(restarted.getStatus().getFailures()).isZero();
    assertThat(restarted.getStatus().getRestarts()).isEqualTo(1);
    assertThat(restarted.getStatus().getLastFailure().getReason()).isEqualTo("EvictionByEvictionAPI");
    assertThat(warningReasons("drained")).contains("WorkerDisrupted");
  }

  @Test
  void deadlineFailsTheJobAndReleasesTheGpus() {
    TrainingJob tj = fresh(gpuJob("slow", 2, 8));
    tj.getSpec().getRunPolicy().setActiveDeadlineSeconds(2L);
    h.create(tj);
    h.awaitPhase("slow", TrainingJobPhase.RUNNING);

    TrainingJob failed = h.awaitPhase("slow", TrainingJobPhase.FAILED);
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("DeadlineExceeded");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.jobs("slow").isEmpty() && h.pods("slow").isEmpty());
  }

  @Test
  void ttlRemovesChildrenButKeepsTheFinishedStatusAcrossReapplyAndOperatorRestart() {
    TrainingJob tj = fresh(gpuJob("short", 2, 0));
    tj.getSpec().getRunPolicy().setTtlSecondsAfterFinished(1);
    h.create(tj);
    h.awaitPhase("short", TrainingJobPhase.RUNNING);
    h.pods("short", 1).forEach(p -> h.cluster.failPod(NS, p.getMetadata().getName(), 0));
    h.awaitPhase("short", TrainingJobPhase.SUCCEEDED);

    await().atMost(Duration.ofSeconds(15)).until(() -> h.jobs("short").isEmpty()
        && h.client.services().inNamespace(NS).withName("short").get() == null && h.pods("short").isEmpty());
    // A GitOps tool re-applies the same manifest (a metadata change bumps nothing in spec) ...
    h.tj("short").edit(t -> {
      t.getMetadata().setLabels(java.util.Map.of("argocd.argoproj.io/synced", "again"));
      return t;
    });
    // ... and the operator restarts: the finished job must not run again.
    h.stopOperator();
    h.startOperator();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> h.jobs("short").isEmpty()
        && h.pods("short").isEmpty());
    TrainingJob after = h.tj("short").get();
    assertThat(after.getStatus().getPhase()).isEqualTo(TrainingJobPhase.SUCCEEDED);
    assertThat(after.getStatus().getAttempt()).isEqualTo(1);
  }

  @Test
  void suspendReleasesWorkersAndResumeStartsANewAttempt() {
    h.create(fresh(gpuJob("pausable", 2, 8)));
    h.awaitPhase("pausable", TrainingJobPhase.RUNNING);
    h.tj("pausable").edit(t -> {
      t.getSpec().getRunPolicy().setSuspend(true);
      return t;
    });
    TrainingJob suspended = h.awaitPhase("pausable", TrainingJobPhase.SUSPENDED);
    assertThat(Conditions.isTrue(suspended.getStatus().getConditions(), "Suspended")).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.jobs("pausable").isEmpty() && h.pods("pausable").isEmpty());

    h.tj("pausable").edit(t -> {
      t.getSpec().getRunPolicy().setSuspend(false);
      return t;
    });
    TrainingJob resumed = h.awaitStatus("pausable", t -> TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase()));
    assertThat(resumed.getStatus().getAttempt()).isEqualTo(2);
    assertThat(resumed.getStatus().getFailures()).isZero();
    assertThat(Conditions.isTrue(resumed.getStatus().getConditions(), "Suspended")).isFalse();
  }

  @Test
  void operatorRestartMidJobCreatesNoDuplicates() {
    h.create(fresh(gpuJob("steady", 4, 8)));
    h.awaitPhase("steady", TrainingJobPhase.RUNNING);
    List<String> podsBefore = h.pods("steady").stream().map(p -> p.getMetadata().getName()).toList();
    String jobUid = h.jobs("steady").get(0).getMetadata().getUid();

    h.stopOperator();
    h.startOperator();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> h.jobs("steady").size() == 1 && h.pods("steady").size() == 4);
    assertThat(h.jobs("steady").get(0).getMetadata().getUid()).isEqualTo(jobUid);
    assertThat(h.pods("steady").stream().map(p -> p.getMetadata().getName()).toList()).isEqualTo(podsBefore);
    assertThat(h.tj("steady").get().getStatus().getAttempt()).isEqualTo(1);
    assertThat(h.tj("steady").get().getStatus().getPhase()).isEqualTo(TrainingJobPhase.RUNNING);
  }

  @Test
  void invalidSpecIsReportedAndNothingIsCreated() {
    TrainingJob tj = fresh(gpuJob("bad-shm", 2, 8));
    tj.getSpec().setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("16Gi")).build());
    tj.getSpec().setShmSize(new io.fabric8.kubernetes.api.model.IntOrString("64Gi"));
    h.create(tj);
    TrainingJob invalid = h.awaitStatus("bad-shm", t -> Conditions.find(t.getStatus().getConditions(), "Valid")
        .map(c -> "False".equals(c.getStatus())).orElse(false));
    assertThat(Conditions.find(invalid.getStatus().getConditions(), "Valid").orElseThrow().getMessage())
        .contains("spec.shmSize").contains("spec.resources.limits.memory");
    assertThat(invalid.getStatus().getPhase()).isEqualTo("Invalid");
    assertThat(invalid.getStatus().getReason()).isEqualTo("InvalidSpec");
    assertThat(h.jobs("bad-shm")).isEmpty();
    assertThat(warningReasons("bad-shm")).containsExactly("InvalidSpec");
  }

  private List<String> warningReasons(String name) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !events(name).isEmpty());
    return events(name).stream().filter(e -> "Warning".equals(e.getType())).map(e -> e.getReason()).toList();
  }

  private List<io.fabric8.kubernetes.api.model.Event> events(String name) {
    return new ArrayList<>(h.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList());
  }
}
