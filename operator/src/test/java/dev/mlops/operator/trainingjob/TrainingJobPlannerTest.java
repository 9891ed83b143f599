package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeletePod;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Observed;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Plan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state machine without a server: each decision from a hand-built observation. */
class TrainingJobPlannerTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final String P80 = "NVIDIA-A100-SXM4-80GB";

  private static List<Node> nodes(int count) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(new NodeBuilder().withNewMetadata().withName("n" + i).addToLabels("nvidia.com/gpu.product", P80)
          .endMetadata().withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8")).endStatus().build());
    }
    return nodes;
  }

  private static Plan plan(TrainingJob tj, Job job, Service svc, List<Pod> pods, Instant now) {
    return TrainingJobPlanner.plan(tj, new Observed(Optional.ofNullable(job), Optional.ofNullable(svc), pods, nodes(4)), now);
  }

  /** Applies a plan's status the way the API server would store it. */
  private static TrainingJob settle(TrainingJob tj, Plan plan) {
    tj.setStatus(plan.status());
    return tj;
  }

  private static Pod pod(int attempt, int index, String phase, Integer exitCode) {
    var b = new PodBuilder().withNewMetadata().withName("w" + attempt + "-" + index)
        .addToLabels(TrainingJobResources.ATTEMPT_LABEL, String.valueOf(attempt))
        .addToAnnotations(TrainingJobResources.COMPLETION_INDEX_ANNOTATION, String.valueOf(index)).endMetadata()
        .withNewSpec().withNodeName("n" + index).endSpec()
        .withNewStatus().withPhase(phase);
    if ("Running".equals(phase)) {
      b.addNewCondition().withType("Ready").withStatus("True").endCondition();
    }
    if (exitCode != null) {
      b.addNewContainerStatus().withName("worker").withNewState().withNewTerminated().withExitCode(exitCode)
          .withReason(exitCode == 137 ? "OOMKilled" : "Error").withFinishedAt("2026-11-28T10:05:00Z")
          .endTerminated().endState().endContainerStatus();
    }
    return b.endStatus().build();
  }

  private static Job job(TrainingJob tj, int attempt) {
    return TrainingJobResources.desiredJob(tj, P80, attempt);
  }

  private static Service svc(TrainingJob tj) {
    return TrainingJobResources.desiredService(tj);
  }

  @Test
  void firstPassCreatesServiceAndJobAndReportsStarting() {
    TrainingJob tj = gpuJob("llama", 4, 8);
    Plan plan = plan(tj, null, null, List.of(), T0);
    assertThat(plan.actions()).hasExactlyElementsOfTypes(CreateService.class, CreateJob.class);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.STARTING);
    assertThat(plan.status().getGpuProduct()).isEqualTo(P80);
    assertThat(plan.status().getStartTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(plan.status().getAttempt()).isEqualTo(1);
    assertThat(plan.events()).extracting(TrainingJobPlanner.Event::reason).containsExactly("AttemptStarted");
  }

  @Test
  void aSettledJobPlansNoActionsNoEventsAndTheSameStatus() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    List<Pod> running = List.of(pod(1, 0, "Running", null), pod(1, 1, "Running", null));
    settle(tj, plan(tj, null, null, List.of(), T0));
    settle(tj, plan(tj, job(tj, 1), svc(tj), running, T0.plusSeconds(5)));
    String before = io.fabric8.kubernetes.client.utils.Serialization.asJson(tj.getStatus());

    Plan again = plan(tj, job(tj, 1), svc(tj), running, T0.plusSeconds(600));
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(again.status())).isEqualTo(before);
    assertThat(again.status().getPhase()).isEqualTo(TrainingJobPhase.RUNNING);
  }

  @Test
  void retriableFailureRecordsTheNextAttemptAndTearsDownTheCurrentOne() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Plan plan = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null), pod(1, 1, "Failed", 137)), T0);
    assertThat(plan.status().getAttempt()).isEqualTo(2);
    assertThat(plan.status().getFailures()).isEqualTo(1);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.RESTARTING);
    assertThat(plan.status().getLastFailure().getWorker()).isEqualTo(1);
    assertThat(plan.status().getLastFailure().getReason()).isEqualTo("OOMKilled");
    assertThat(plan.actions()).hasExactlyElementsOfTypes(DeleteJob.class);

    // Next pass, the old Job is gone but its pods still terminate: no new Job yet.
    settle(tj, plan);
    Plan waiting = plan(tj, null, svc(tj), List.of(pod(1, 0, "Running", null)), T0.plusSeconds(1));
    assertThat(waiting.actions()).hasExactlyElementsOfTypes(DeletePod.class);
    Plan next = plan(tj, null, svc(tj), List.of(), T0.plusSeconds(2));
    assertThat(next.actions()).singleElement().isInstanceOfSatisfying(CreateJob.class,
        c -> assertThat(c.job().getMetadata().getLabels()).containsEntry(TrainingJobResources.ATTEMPT_LABEL, "2"));
  }

  @Test
  void aJobOfAnEarlierAttemptIsDeletedNotReused() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    tj.getStatus().setAttempt(3);
    Plan plan = plan(tj, job(tj, 2), svc(tj), List.of(), T0);
    assertThat(plan.actions()).hasExactlyElementsOfTypes(DeleteJob.class);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.RESTARTING);
  }

  @Test
  void nonRetryableExitCodeFails() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    tj.getSpec().getRunPolicy().setNonRetryableExitCodes(List.of(2));
    settle(tj, plan(tj, null, null, List.of(), T0));
    Plan plan = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Failed", 2), pod(1, 1, "Running", null)), T0);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(Conditions.find(plan.status().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("NonRetryableExitCode");
    assertThat(plan.status().getAttempt()).isEqualTo(1);
    assertThat(plan.actions()).isEmpty();
  }

  @Test
  void disruptionRestartsWithoutSpendingBackoff() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    tj.getSpec().getRunPolicy().setBackoffLimit(0);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Pod evicted = new PodBuilder(pod(1, 1, "Failed", 143)).editStatus().addNewCondition().withType("DisruptionTarget")
        .withStatus("True").withReason("PreemptionByScheduler").withMessage("preempted").endCondition().endStatus().build();
    Plan plan = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null), evicted), T0);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.RESTARTING);
    assertThat(plan.status().getAttempt()).isEqualTo(2);
    assertThat(plan.status().getFailures()).isZero();
    assertThat(plan.status().getLastFailure().getReason()).isEqualTo("PreemptionByScheduler");
  }

  @Test
  void deadlineFailsAndDeletesTheJob() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    tj.getSpec().getRunPolicy().setActiveDeadlineSeconds(60L);
    Plan first = plan(tj, null, null, List.of(), T0);
    assertThat(first.requeueAfter()).contains(Duration.ofSeconds(61));
    settle(tj, first);
    Plan late = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null)), T0.plusSeconds(60));
    assertThat(late.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(Conditions.find(late.status().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("DeadlineExceeded");
    assertThat(late.actions()).hasExactlyElementsOfTypes(DeleteJob.class);
  }

  @Test
  void ttlCleansUpOnlyWhenDueAndNeverRecreates() {
    TrainingJob tj = gpuJob("llama", 1, 8);
    tj.getSpec().getRunPolicy().setTtlSecondsAfterFinished(30);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Plan done = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Succeeded", 0)), T0.plusSeconds(10));
    assertThat(done.status().getPhase()).isEqualTo(TrainingJobPhase.SUCCEEDED);
    settle(tj, done);

    Plan early = plan(tj, job(tj, 1), svc(tj), List.of(), T0.plusSeconds(20));
    assertThat(early.actions()).isEmpty();
    assertThat(early.requeueAfter()).isPresent();
    Plan due = plan(tj, job(tj, 1), svc(tj), List.of(), T0.plusSeconds(41));
    assertThat(due.actions()).hasExactlyElementsOfTypes(DeleteJob.class, DeleteService.class);
    Plan after = plan(tj, null, null, List.of(), T0.plusSeconds(3600));
    assertThat(after.actions()).isEmpty();
    assertThat(after.status().getPhase()).isEqualTo(TrainingJobPhase.SUCCEEDED);
  }

  @Test
  void invalidSpecCreatesNothingAndSaysWhy() {
    TrainingJob tj = gpuJob("llama", 1, 8);
    tj.getSpec().setResources(new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("8Gi")).build());
    tj.getSpec().setShmSize(new IntOrString("16Gi"));
    Plan plan = plan(tj, null, null, List.of(), T0);
    assertThat(plan.actions()).isEmpty();
    assertThat(Conditions.find(plan.status().getConditions(), "Valid").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(plan.events()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));
    // One word for an invalid spec in every kind, and kubectl get's Reason column says which invalid.
    assertThat(plan.status().getPhase()).isEqualTo("Invalid");
    assertThat(plan.status().getReason()).isEqualTo("InvalidSpec");
    // Reported once: the same invalid spec again records no second event.
    settle(tj, plan);
    assertThat(plan(tj, null, null, List.of(), T0.plusSeconds(60)).events()).isEmpty();
  }

  @Test
  void transitionTimeChangesOnlyWhenAConditionFlips() {
    TrainingJob tj = gpuJob("llama", 1, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    settle(tj, plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Pending", null)), T0.plusSeconds(5)));
    String validSince = Conditions.find(tj.getStatus().getConditions(), "Valid").orElseThrow().getLastTransitionTime();
    settle(tj, plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null)), T0.plusSeconds(9)));
    assertThat(Conditions.find(tj.getStatus().getConditions(), "Valid").orElseThrow().getLastTransitionTime())
        .isEqualTo(validSince);
    assertThat(Conditions.find(tj.getStatus().getConditions(), "Running").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-11-28T10:00:09Z");
  }

  @Test
  void suspendDeletesTheJobAndResumeStartsANewAttempt() {
    TrainingJob tj = gpuJob("llama", 1, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    tj.getSpec().getRunPolicy().setSuspend(true);
    Plan suspended = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null)), T0.plusSeconds(5));
    assertThat(suspended.actions()).hasExactlyElementsOfTypes(DeleteJob.class);
    assertThat(suspended.status().getPhase()).isEqualTo(TrainingJobPhase.SUSPENDED);
    settle(tj, suspended);
    tj.getSpec().getRunPolicy().setSuspend(false);
    Plan resumed = plan(tj, null, svc(tj), List.of(), T0.plusSeconds(50));
    assertThat(resumed.status().getAttempt()).isEqualTo(2);
    assertThat(resumed.actions()).singleElement().isInstanceOf(CreateJob.class);
  }

  @Test
  void aJobLeftByADeletedNamesakeIsNeitherAdoptedNorReadAsThisJobsOutcome() {
    TrainingJob old = gpuJob("llama", 2, 8);
    Job leftover = new JobBuilder(job(old, 1)).withNewStatus().addNewCondition().withType("Complete").withStatus("True")
        .endCondition().endStatus().build();
    TrainingJob recreated = gpuJob("llama", 2, 8);
    recreated.getMetadata().setUid("uid-llama-2");
    Plan plan = plan(recreated, leftover, svc(old), List.of(pod(1, 0, "Succeeded", 0)), T0);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.PENDING);
    assertThat(plan.actions()).hasExactlyElementsOfTypes(DeleteJob.class);
    // Once it is gone, the old pods are leftovers too, and only then does the new attempt start.
    settle(recreated, plan);
    assertThat(plan(recreated, null, svc(old), List.of(pod(1, 0, "Succeeded", 0)), T0.plusSeconds(1)).actions())
        .hasExactlyElementsOfTypes(DeletePod.class);
    assertThat(plan(recreated, null, svc(old), List.of(), T0.plusSeconds(2)).actions())
        .hasExactlyElementsOfTypes(CreateJob.class);
  }

  @Test
  void anInvalidSpecStillLetsTheRunningAttemptBeWatchedSuspendedAndTimedOut() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    tj.getSpec().getRunPolicy().setActiveDeadlineSeconds(60L);
    settle(tj, plan(tj, null, null, List.of(), T0));
    // The spec becomes invalid while attempt 1 runs (an operator-only rule: a reserved env name).
    tj.getSpec().setEnv(List.of(new EnvVar("NCCL_DEBUG", "INFO", null)));
    Plan running = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null), pod(1, 1, "Running", null)),
        T0.plusSeconds(5));
    assertThat(Conditions.find(running.status().getConditions(), "Valid").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(running.status().getPhase()).isEqualTo(TrainingJobPhase.RUNNING);
    settle(tj, running);
    Plan late = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null)), T0.plusSeconds(61));
    assertThat(late.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(late.actions()).hasExactlyElementsOfTypes(DeleteJob.class);
  }

  @Test
  void successAlreadyThereWinsOverADeadlineNoticedLate() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    tj.getSpec().getRunPolicy().setActiveDeadlineSeconds(60L);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Plan plan = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Succeeded", 0), pod(1, 1, "Succeeded", 0)),
        T0.plusSeconds(120));
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.SUCCEEDED);
    assertThat(plan.actions()).isEmpty();
  }

  @Test
  void aNonRetryableExitCodeIsFoundAmongSeveralFailedWorkers() {
    TrainingJob tj = gpuJob("llama", 3, 8);
    tj.getSpec().getRunPolicy().setNonRetryableExitCodes(List.of(3));
    settle(tj, plan(tj, null, null, List.of(), T0));
    Plan plan = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Failed", 1), pod(1, 1, "Failed", 1),
        pod(1, 2, "Failed", 3)), T0);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(plan.status().getLastFailure().getWorker()).isEqualTo(2);
  }

  @Test
  void theKubeletsOwnEvictionCountsAsAFailureNotADisruption() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    tj.getSpec().getRunPolicy().setBackoffLimit(0);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Pod pressure = new PodBuilder(pod(1, 1, "Failed", 137)).editStatus().addNewCondition().withType("DisruptionTarget")
        .withStatus("True").withReason("TerminationByKubelet").endCondition().endStatus().build();
    Plan plan = plan(tj, job(tj, 1), svc(tj), List.of(pod(1, 0, "Running", null), pressure), T0);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(Conditions.find(plan.status().getConditions(), "Failed").orElseThrow().getReason())
        .isEqualTo("BackoffLimitExceeded");
  }

  @Test
  void aFailedJobWithoutAVisibleFailedPodWaitsBrieflyForThePod() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Job failed = new JobBuilder(job(tj, 1)).withNewStatus().addNewCondition().withType("Failed").withStatus("True")
        .withReason("BackoffLimitExceeded").withLastTransitionTime("2026-11-28T10:00:00Z").endCondition().endStatus().build();
    Plan early = plan(tj, failed, svc(tj), List.of(), T0.plusSeconds(3));
    assertThat(early.actions()).isEmpty();
    assertThat(early.status().getAttempt()).isEqualTo(1);
    Plan later = plan(tj, failed, svc(tj), List.of(), T0.plusSeconds(15));
    assertThat(later.status().getAttempt()).isEqualTo(2);
    assertThat(later.status().getLastFailure().getReason()).isEqualTo("BackoffLimitExceeded");
  }

  @Test
  void aDuplicateEnvNameIsWarnedOncePerSpecChangeAndTheJobStillStarts() {
    TrainingJob tj = gpuJob("dup", 2, 8);
    tj.getSpec().setEnv(List.of(new EnvVar("LR", "0.1", null),
        new EnvVar("LR", "0.2", null)));
    Plan first = plan(tj, null, null, List.of(), T0);
    assertThat(first.events()).filteredOn(e -> e.reason().equals("SpecWarning")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("spec.env[1].name \"LR\" repeats spec.env[0]"));
    assertThat(first.actions()).anyMatch(a -> a instanceof TrainingJobPlanner.CreateJob);

    Plan second = plan(settle(tj, first), null, null, List.of(), T0.plusSeconds(1));
    assertThat(second.events()).noneMatch(e -> e.reason().equals("SpecWarning"));
  }

  @Test
  void aJobWaitsForItsNasVolumesBoundAndNotBeingDeletedThenStarts() {
    TrainingJob tj = gpuJob("resnet", 2, 8);
    var mount = new dev.mlops.operator.api.v1alpha1.NasVolumeMount();
    mount.setNasVolume("imagenet");
    mount.setMountPath("/data");
    tj.getSpec().setVolumes(List.of(mount));
    var nv = dev.mlops.operator.nas.NasVolumeIT.volume("ml-team", "imagenet", "datasets/imagenet", true);
    var status = new dev.mlops.operator.api.v1alpha1.NasVolumeStatus();
    status.setPhase("Bound");
    nv.setStatus(status);
    nv.getMetadata().setDeletionTimestamp("2026-11-28T09:59:00Z");
    Observed observed = new Observed(Optional.empty(), Optional.empty(), List.of(), nodes(4)).withNasVolumes(List.of(nv));

    Plan deleting = TrainingJobPlanner.plan(tj, observed, T0);
    assertThat(deleting.actions()).isEmpty();
    assertThat(deleting.status().getPhase()).isEqualTo(TrainingJobPhase.PENDING);
    assertThat(deleting.status().getReason()).as("kubectl get's Reason column").isEqualTo("VolumesNotReady");
    assertThat(deleting.status().getConditions()).anyMatch(c -> c.getType().equals("VolumesReady")
        && c.getStatus().equals("False") && c.getMessage().equals("NasVolume imagenet is being deleted."));
    assertThat(deleting.events()).extracting(TrainingJobPlanner.Event::reason).containsExactly("VolumesNotReady");

    nv.getMetadata().setDeletionTimestamp(null);
    Plan bound = TrainingJobPlanner.plan(tj, observed, T0);
    assertThat(bound.actions()).hasExactlyElementsOfTypes(CreateService.class, CreateJob.class);
    assertThat(bound.status().getConditions()).anyMatch(c -> c.getType().equals("VolumesReady")
        && c.getStatus().equals("True"));
  }

  @Test
  void aPodTheJobControllerCannotCreateIsSaidInTheJobsOwnStatusOnce() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Job job = job(tj, 1);
    String refusal = "Error creating: pods is forbidden: error looking up service account ml-team/trainer:"
        + " serviceaccount \"trainer\" not found";
    Observed refused = new Observed(Optional.of(job), Optional.of(svc(tj)), List.of(), nodes(4))
        .withPodCreateRefusal(Optional.of(refusal));

    Plan plan = TrainingJobPlanner.plan(tj, refused, T0.plusSeconds(5));
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.STARTING);
    assertThat(plan.status().getReason()).isEqualTo("FailedCreate");
    String said = "The Job controller cannot create 2 of 2 worker pods (attempt 1): " + refusal;
    assertThat(Conditions.find(plan.status().getConditions(), "Running").orElseThrow().getMessage()).isEqualTo(said);
    assertThat(plan.events()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("Warning");
      assertThat(e.reason()).isEqualTo("FailedCreate");
      assertThat(e.message()).isEqualTo(said);
    });
    // The Job controller retrying the same refusal is not news.
    settle(tj, plan);
    assertThat(TrainingJobPlanner.plan(tj, refused, T0.plusSeconds(65)).events()).isEmpty();

    // Once the pods exist (a ServiceAccount created), the old Event no longer speaks for the job.
    Observed created = new Observed(Optional.of(job), Optional.of(svc(tj)),
        List.of(pod(1, 0, "Running", null), pod(1, 1, "Running", null)), nodes(4)).withPodCreateRefusal(Optional.of(refusal));
    Plan running = TrainingJobPlanner.plan(tj, created, T0.plusSeconds(90));
    assertThat(running.status().getPhase()).isEqualTo(TrainingJobPhase.RUNNING);
    assertThat(running.status().getReason()).isEqualTo("AllWorkersRunning");
  }

  private static Pod waiting(int attempt, int index, String reason, String message) {
    Pod pod = pod(attempt, index, "Pending", null);
    pod.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
        .withName("worker").withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting()
        .endState().build()));
    return pod;
  }

  @Test
  void aWorkerThatDoesNotStartIsSaidInTheKubeletsWordsAndTheStartupTimeoutRequeuesTheGangUncounted() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Job job = job(tj, 1);
    job.getMetadata().setCreationTimestamp("2026-11-28T10:00:00Z");
    List<Pod> pods = List.of(pod(1, 0, "Running", null),
        waiting(1, 1, "ImagePullBackOff", "Back-off pulling image \"nvcr.io/nvidia/pytorch:24.05-py3\""));

    Plan pulling = plan(tj, job, svc(tj), pods, T0.plusSeconds(60));
    assertThat(pulling.status().getPhase()).isEqualTo(TrainingJobPhase.STARTING);
    assertThat(pulling.status().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(Conditions.find(pulling.status().getConditions(), "Running").orElseThrow().getMessage())
        .isEqualTo("1 of 2 workers running (attempt 1); worker 1: ImagePullBackOff: Back-off pulling image"
            + " \"nvcr.io/nvidia/pytorch:24.05-py3\"");
    assertThat(pulling.requeueAfter()).as("woken at the startup deadline (600 s by default)")
        .hasValueSatisfying(d -> assertThat(d.toSeconds()).isBetween(540L, 542L));
    settle(tj, pulling);

    Plan requeued = plan(tj, job, svc(tj), pods, T0.plusSeconds(601));
    assertThat(requeued.actions()).singleElement().isInstanceOf(TrainingJobPlanner.DeleteJob.class);
    assertThat(requeued.status().getAttempt()).isEqualTo(2);
    assertThat(requeued.status().getFailures()).as("not counted against backoffLimit").isZero();
    assertThat(requeued.status().getLastFailure().getReason()).isEqualTo("StartupTimeout");
    assertThat(requeued.status().getLastFailure().getWorker()).isEqualTo(1);
    assertThat(requeued.events()).extracting(TrainingJobPlanner.Event::reason).containsExactly("StartupTimeout");
    assertThat(requeued.events().get(0).message()).startsWith("1 of 2 workers did not start within 600s of the"
        + " attempt's start (spec.scheduling.startupTimeoutSeconds): worker 1: ImagePullBackOff");
  }

  @Test
  void onStartupTimeoutFailFailsTheJobAndReleasesItsGpus() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    var scheduling = new dev.mlops.operator.api.v1alpha1.SchedulingSpec();
    scheduling.setStartupTimeoutSeconds(30);
    scheduling.setOnStartupTimeout("Fail");
    tj.getSpec().setScheduling(scheduling);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Job job = job(tj, 1);
    job.getMetadata().setCreationTimestamp("2026-11-28T10:00:00Z");
    Plan failed = plan(tj, job, svc(tj), List.of(), T0.plusSeconds(31));
    assertThat(failed.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(failed.status().getReason()).isEqualTo("StartupTimeout");
    assertThat(failed.actions()).singleElement().isInstanceOf(TrainingJobPlanner.DeleteJob.class);
    assertThat(Conditions.find(failed.status().getConditions(), "Failed").orElseThrow().getMessage())
        .startsWith("2 of 2 workers did not start within 30s").endsWith("spec.scheduling.onStartupTimeout is Fail");
  }

  @Test
  void aWorkerThatStartedAndNowRestartsIsNeverAStartupTimeout() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    settle(tj, plan(tj, null, null, List.of(), T0));
    Job job = job(tj, 1);
    job.getMetadata().setCreationTimestamp("2026-11-28T10:00:00Z");
    Pod crashing = waiting(1, 1, "CrashLoopBackOff", "back-off 5m0s restarting failed container");
    crashing.getStatus().getContainerStatuses().get(0).setRestartCount(3);
    Plan later = plan(tj, job, svc(tj), List.of(pod(1, 0, "Running", null), crashing), T0.plusSeconds(7200));
    assertThat(later.actions()).isEmpty();
    assertThat(later.events()).extracting(TrainingJobPlanner.Event::reason).doesNotContain("StartupTimeout");
    assertThat(later.status().getReason()).isEqualTo("CrashLoopBackOff");
  }
}
