package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.kueue.Workload;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;

/**
 * A TrainingJob admitted by Kueue (spec.scheduling.queue): its Job is created suspended with Kueue's queue label, and
 * from then on Kueue owns {@code spec.suspend}, the workers' node selector, tolerations and scheduling gates. The
 * operator never writes them; it reads what Kueue decided, from the Job and its Workload:
 *
 * <ul>
 *   <li>suspended, never admitted or waiting again: {@link Waiting}, with the Workload's reason and message;
 *   <li>suspended after Kueue evicted or preempted it: {@link Evicted}, a restart not counted against backoffLimit
 *       (the next attempt is a new Job and a new Workload; Kueue orders evicted workloads by eviction time);
 *   <li>unsuspended: admitted; the attempt is watched like any other.
 * </ul>
 */
final class KueuePolicy {

  /** Kueue has not decided yet, or holds the Job back: why, in Kueue's words. */
  record Waiting(String reason, String message) {}

  /**
   * Kueue stopped a running attempt: Preempted (by a higher priority, or to reclaim quota) or another eviction.
   * {@code final}: Kueue deactivated the Workload (an administrator, or its waitForPodsReady requeue limit): that is
   * Kueue's decision to stop, which a new Workload must not undo.
   */
  record Evicted(String reason, String message, boolean isFinal) {}

  /** Eviction reasons that mean Kueue will not run the Workload again. */
  private static final java.util.Set<String> DEACTIVATED = java.util.Set.of("InactiveWorkload", "Deactivated",
      "DeactivatedDueToRequeuingLimitExceeded", "RequeuingLimitExceeded");

  private KueuePolicy() {}

  static boolean queued(TrainingJobSpec spec) {
    return spec.getScheduling() != null && spec.getScheduling().getQueue() != null;
  }

  /** Whether Kueue manages this Job (it carries the queue label). */
  static boolean managed(Job job) {
    return job.getMetadata().getLabels() != null && job.getMetadata().getLabels().containsKey(Workload.QUEUE_LABEL);
  }

  static boolean suspended(Job job) {
    return job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  /** The GPU product Kueue's ResourceFlavor put in the workers' node selector, if any. */
  static Optional<String> flavorProduct(Job job) {
    var template = job.getSpec() == null ? null : job.getSpec().getTemplate();
    var selector = template == null || template.getSpec() == null ? null : template.getSpec().getNodeSelector();
    return Optional.ofNullable(selector == null ? null : selector.get(GpuProductSelector.PRODUCT_LABEL));
  }

  /** Kueue evicted this attempt (it had been admitted): the Workload says Evicted or Preempted. */
  static Optional<Evicted> evicted(Job job, Optional<Workload> workload) {
    if (!suspended(job) || workload.isEmpty()) {
      return Optional.empty();
    }
    List<Condition> conditions = workload.get().conditions();
    Optional<Condition> preempted = Conditions.find(conditions, "Preempted").filter(c -> Conditions.TRUE.equals(c.getStatus()));
    if (preempted.isPresent()) {
      return Optional.of(new Evicted("Preempted", "Kueue preempted the gang (" + preempted.get().getReason() + "): "
          + preempted.get().getMessage(), false));
    }
    return Conditions.find(conditions, "Evicted").filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .map(c -> DEACTIVATED.contains(c.getReason())
            ? new Evicted("DeactivatedByKueue", "Kueue deactivated the Workload (" + c.getReason() + "): "
                + c.getMessage(), true)
            : new Evicted("EvictedByKueue", "Kueue evicted the gang (" + c.getReason() + "): " + c.getMessage(), false));
  }

  /** Why a suspended Job waits, from its Workload (or that Kueue has not made one yet). */
  static Waiting waiting(Job job, Optional<Workload> workload, String queue) {
    if (workload.isEmpty()) {
      return new Waiting("WaitingForKueue", "Job " + job.getMetadata().getName() + " waits for Kueue to create its"
          + " Workload (LocalQueue " + queue + "): is Kueue running with the batch/job integration, and does"
          + " LocalQueue " + queue + " exist in namespace " + job.getMetadata().getNamespace() + "?");
    }
    List<Condition> conditions = workload.get().conditions();
    Optional<Condition> quota = Conditions.find(conditions, "QuotaReserved");
    Optional<Condition> admitted = Conditions.find(conditions, "Admitted");
    Condition why = quota.filter(c -> Conditions.FALSE.equals(c.getStatus()))
        .or(() -> admitted.filter(c -> Conditions.FALSE.equals(c.getStatus()))).orElse(null);
    String name = workload.get().name();
    if (why == null) {
      return new Waiting("WaitingForKueue", "Kueue has not admitted Workload " + name + " yet (LocalQueue " + queue
          + ").");
    }
    String reason = why.getReason() == null || why.getReason().isEmpty() ? "WaitingForKueue" : why.getReason();
    return new Waiting(reason, "Kueue: " + why.getMessage() + " (LocalQueue " + queue + ", Workload " + name + ").");
  }
}
