package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.SchedulingSpec;
import dev.mlops.operator.api.v1alpha1.TopologySpec;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.kueue.Workload;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Observed;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Plan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A TrainingJob in a Kueue LocalQueue: the Job is created for Kueue, and the status says what Kueue decided. */
class KueuePolicyTest {

  private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
  private static final String P80 = "NVIDIA-A100-SXM4-80GB";

  private static List<Node> nodes() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(new NodeBuilder().withNewMetadata().withName("n" + i).addToLabels("nvidia.com/gpu.product", P80)
          .endMetadata().withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8")).endStatus().build());
    }
    return nodes;
  }

  private static TrainingJob queued(String queue) {
    TrainingJob tj = gpuJob("llama", 2, 8);
    SchedulingSpec scheduling = new SchedulingSpec();
    scheduling.setQueue(queue);
    tj.getSpec().setScheduling(scheduling);
    return tj;
  }

  private static TrainingJobPlanner.Kueue kueue(String missing, Workload workload) {
    return new TrainingJobPlanner.Kueue() {
      @Override
      public Optional<String> notInstalled() {
        return Optional.ofNullable(missing);
      }

      @Override
      public Optional<Workload> workload(Job job) {
        return Optional.ofNullable(workload);
      }
    };
  }

  private static Plan plan(TrainingJob tj, Job job, TrainingJobPlanner.Kueue kueue, Instant now) {
    Observed observed = new Observed(Optional.ofNullable(job), Optional.of(TrainingJobResources.desiredService(tj)),
        List.of(), nodes()).withKueue(kueue);
    Plan plan = TrainingJobPlanner.plan(tj, observed, now);
    tj.setStatus(plan.status());
    return plan;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }

  /** The Job as Kueue left it: suspended or not, with the flavor's product in the node selector once admitted. */
  private static Job asKueueLeftIt(Job created, boolean suspended, String flavorProduct) {
    JobBuilder b = new JobBuilder(created).editMetadata().withUid("job-uid").withCreationTimestamp("2026-12-08T10:00:00Z")
        .endMetadata().editSpec().withSuspend(suspended).endSpec();
    if (flavorProduct != null) {
      b.editSpec().editTemplate().editSpec().addToNodeSelector("nvidia.com/gpu.product", flavorProduct).endSpec()
          .endTemplate().endSpec().editOrNewStatus().withStartTime("2026-12-08T11:00:00Z").endStatus();
    }
    return b.build();
  }

  @Test
  void theJobIsCreatedSuspendedWithKueuesLabelAndNoBuiltInPinning() {
    TrainingJob tj = queued("gpu");
    SchedulingSpec scheduling = tj.getSpec().getScheduling();
    TopologySpec topology = new TopologySpec();
    topology.setRequired("cloud.provider.com/topology-rack");
    scheduling.setTopology(topology);
    Plan plan = plan(tj, null, kueue(null, null), T0);
    Job job = plan.actions().stream().filter(CreateJob.class::isInstance).map(a -> ((CreateJob) a).job()).findFirst()
        .orElseThrow();
    assertThat(job.getSpec().getSuspend()).isTrue();
    assertThat(job.getMetadata().getLabels()).containsEntry(Workload.QUEUE_LABEL, "gpu");
    assertThat(job.getMetadata().getAnnotations()).doesNotContainKey(AdmissionLedger.ANNOTATION);
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(Workload.REQUIRED_TOPOLOGY, "cloud.provider.com/topology-rack");
    // No product chosen by the operator: Kueue's ResourceFlavor puts it in the node selector.
    var affinity = job.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity();
    assertThat(affinity).isNull();
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.QUEUED);
    assertThat(plan.status().getReason()).isEqualTo("WaitingForKueue");
    assertThat(plan.status().getStartTime()).as("the deadline does not count Kueue's queue").isNull();
  }

  @Test
  void withoutKueueTheJobWaitsSayingWhatToInstallAndLooksAgainIn15Seconds() {
    TrainingJob tj = queued("gpu");
    Plan plan = plan(tj, null, kueue("Kueue is not installed: CRD workloads.kueue.x-k8s.io not found.", null), T0);
    assertThat(plan.actions()).noneMatch(CreateJob.class::isInstance);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.PENDING);
    assertThat(plan.status().getReason()).isEqualTo("KueueNotInstalled");
    assertThat(plan.requeueAfter()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isBetween(15L, 16L));
    assertThat(plan.events()).extracting(TrainingJobPlanner.Event::reason).containsExactly("KueueNotInstalled");
  }

  @Test
  void whileKueueHoldsTheJobTheStatusQuotesTheWorkloadAndNoStartupTimeoutFires() {
    TrainingJob tj = queued("gpu");
    Job created = ((CreateJob) plan(tj, null, kueue(null, null), T0).actions().stream()
        .filter(CreateJob.class::isInstance).findFirst().orElseThrow()).job();
    Workload pending = new Workload("job-llama-1a2b3", List.of(condition("QuotaReserved", "False", "Pending",
        "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor a100-80gb,"
            + " 16 more needed")));
    // Three hours in Kueue's queue: far past the 600 s startup timeout, which counts only once Kueue admits.
    Plan plan = plan(tj, asKueueLeftIt(created, true, null), kueue(null, pending), T0.plusSeconds(3 * 3600));
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.QUEUED);
    assertThat(plan.status().getReason()).isEqualTo("Pending");
    assertThat(Conditions.find(plan.status().getConditions(), "Admitted").orElseThrow().getMessage())
        .isEqualTo("Kueue: couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in"
            + " flavor a100-80gb, 16 more needed (LocalQueue gpu, Workload job-llama-1a2b3).");
    assertThat(plan.status().getQueue().getSince()).isEqualTo("2026-12-08T10:00:00Z");
  }

  @Test
  void admittedByKueueTheFlavorsProductIsRecordedAndTheDeadlineClockStarts() {
    TrainingJob tj = queued("gpu");
    Job created = ((CreateJob) plan(tj, null, kueue(null, null), T0).actions().stream()
        .filter(CreateJob.class::isInstance).findFirst().orElseThrow()).job();
    Workload admitted = new Workload("job-llama-1a2b3", List.of(condition("QuotaReserved", "True", "QuotaReserved",
        "Quota reserved in ClusterQueue gpu"), condition("Admitted", "True", "Admitted", "The workload is admitted")));
    Plan plan = plan(tj, asKueueLeftIt(created, false, P80), kueue(null, admitted), T0.plusSeconds(60));
    assertThat(plan.status().getGpuProduct()).isEqualTo(P80);
    assertThat(plan.status().getStartTime()).isEqualTo("2026-12-08T10:01:00Z");
    assertThat(Conditions.isTrue(plan.status().getConditions(), "Admitted")).isTrue();
    assertThat(plan.events()).extracting(TrainingJobPlanner.Event::reason).contains("Admitted");
    assertThat(plan.status().getQueue()).isNull();
  }

  @Test
  void aPreemptionByKueueRestartsTheGangWithoutSpendingTheBackoffLimit() {
    TrainingJob tj = queued("gpu");
    Job created = ((CreateJob) plan(tj, null, kueue(null, null), T0).actions().stream()
        .filter(CreateJob.class::isInstance).findFirst().orElseThrow()).job();
    plan(tj, asKueueLeftIt(created, false, P80), kueue(null, null), T0.plusSeconds(60));
    Workload preempted = new Workload("job-llama-1a2b3", List.of(
        condition("Evicted", "True", "Preempted", "Preempted to accommodate a workload (UID: w2, JobUID: j2) due to"
            + " prioritization in the ClusterQueue"),
        condition("Preempted", "True", "InClusterQueue", "Preempted to accommodate a workload (UID: w2, JobUID: j2)"
            + " due to prioritization in the ClusterQueue")));
    Plan plan = plan(tj, asKueueLeftIt(created, true, null), kueue(null, preempted), T0.plusSeconds(600));
    assertThat(plan.actions()).hasExactlyElementsOfTypes(DeleteJob.class);
    assertThat(plan.status().getAttempt()).isEqualTo(2);
    assertThat(plan.status().getFailures()).isZero();
    assertThat(plan.status().getLastFailure().getReason()).isEqualTo("Preempted");
    assertThat(plan.status().getReason()).isEqualTo("Preempted");
    assertThat(plan.status().getLastFailure().getMessage()).startsWith("Kueue preempted the gang (InClusterQueue): ");
    assertThat(plan.status().getStartTime()).as("the deadline stops while Kueue holds the gang").isNull();
  }

  /** Kueue deactivated the Workload (its requeue limit, or an administrator): the job fails; nothing recreates it. */
  @Test
  void aWorkloadKueueDeactivatedFailsTheJobInsteadOfComingBack() {
    TrainingJob tj = queued("gpu");
    Job created = ((CreateJob) plan(tj, null, kueue(null, null), T0).actions().stream()
        .filter(CreateJob.class::isInstance).findFirst().orElseThrow()).job();
    plan(tj, asKueueLeftIt(created, false, P80), kueue(null, null), T0.plusSeconds(60));
    Workload deactivated = new Workload("job-llama-1a2b3", List.of(condition("Evicted", "True", "InactiveWorkload",
        "The workload is deactivated due to exceeding the maximum number of re-queuing retries")));
    Plan plan = plan(tj, asKueueLeftIt(created, true, null), kueue(null, deactivated), T0.plusSeconds(600));
    assertThat(plan.actions()).noneMatch(DeleteJob.class::isInstance).noneMatch(CreateJob.class::isInstance);
    assertThat(plan.status().getPhase()).isEqualTo(TrainingJobPhase.FAILED);
    assertThat(plan.status().getReason()).isEqualTo("DeactivatedByKueue");
  }
}
