package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.SchedulingSpec;
import dev.mlops.operator.common.ContainerWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The startup of an attempt (spec.scheduling): a worker whose container does not start is said in the kubelet's
 * words (ImagePullBackOff, CreateContainerConfigError, ...), and an attempt whose workers have not all run
 * {@code startupTimeoutSeconds} after its Job was created is requeued (torn down and started again, not counted
 * against backoffLimit) or failed, as {@code onStartupTimeout} says. Pure; the planner asks it while an attempt
 * starts.
 */
final class StartupPolicy {

  static final String STARTUP_TIMEOUT = "StartupTimeout";

  /** A worker that does not start: which, the kubelet's reason, and its message. */
  record NotStarting(Pod pod, String reason, String message) {
    String describe() {
      int index = WorkerPods.index(pod);
      return "worker " + (index < 0 ? pod.getMetadata().getName() : index) + ": " + reason
          + (message == null || message.isBlank() ? "" : ": " + message);
    }
  }

  /** The startup deadline passed: what the spec says to do, and why, in one message. */
  record TimedOut(boolean requeue, String message, Optional<Pod> worker) {}

  private StartupPolicy() {}

  static Duration timeout(SchedulingSpec scheduling) {
    Integer seconds = scheduling == null ? null : scheduling.getStartupTimeoutSeconds();
    return Duration.ofSeconds(seconds == null ? SchedulingSpec.DEFAULT_STARTUP_TIMEOUT_SECONDS : seconds);
  }

  /**
   * When the attempt's startup times out, or empty when its Job has no creation time yet (render, a cache lag). A Job
   * that Kueue admits is created suspended and may wait for quota for hours: its clock starts when Kueue unsuspends
   * it (the Job's status.startTime, which Kueue clears when it suspends the Job again), and stops while suspended.
   */
  static Optional<Instant> deadline(Job job, SchedulingSpec scheduling) {
    if (KueuePolicy.managed(job)) {
      String started = job.getStatus() == null ? null : job.getStatus().getStartTime();
      return KueuePolicy.suspended(job) || started == null ? Optional.empty()
          : Optional.of(Instant.parse(started).plus(timeout(scheduling)));
    }
    String created = job.getMetadata().getCreationTimestamp();
    return created == null ? Optional.empty() : Optional.of(Instant.parse(created).plus(timeout(scheduling)));
  }

  /** The first worker (by index) whose container waits for a reason other than a normal start. */
  static Optional<NotStarting> notStarting(List<Pod> pods) {
    return pods.stream().sorted(Comparator.comparingInt(WorkerPods::index))
        .flatMap(p -> ContainerWaiting.of(p).map(w -> new NotStarting(p, w.getReason(), w.getMessage())).stream())
        .findFirst();
  }

  /**
   * Whether a worker's pod has started: it ran (a container running or ended, or restarted) or is Ready. A worker
   * that started and then crashes is the failure policy's, never a startup timeout: a long-running gang is not
   * torn down because one container restarts after the startup deadline.
   */
  static boolean started(Pod pod) {
    if (WorkerPods.isReady(pod) || WorkerPods.isSucceeded(pod) || WorkerPods.isFailed(pod)) {
      return true;
    }
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return false;
    }
    return pod.getStatus().getContainerStatuses().stream().anyMatch(s -> (s.getRestartCount() != null
        && s.getRestartCount() > 0) || (s.getState() != null && (s.getState().getRunning() != null
        || s.getState().getTerminated() != null)));
  }

  /**
   * Whether the attempt's startup timed out: some worker has not started by the deadline. {@code why} is what holds
   * it (the scheduler's, the Job controller's or the kubelet's words), for the message.
   */
  static Optional<TimedOut> timedOut(Job job, List<Pod> pods, int workers, SchedulingSpec scheduling, Instant now,
      String why) {
    Optional<Instant> deadline = deadline(job, scheduling);
    long running = pods.stream().filter(StartupPolicy::started).count();
    if (deadline.isEmpty() || running >= workers || now.isBefore(deadline.get())) {
      return Optional.empty();
    }
    boolean requeue = scheduling == null || scheduling.getOnStartupTimeout() == null
        || SchedulingSpec.REQUEUE.equals(scheduling.getOnStartupTimeout());
    String message = (workers - running) + " of " + workers + " workers did not start within "
        + timeout(scheduling).toSeconds() + "s of the attempt's start (spec.scheduling.startupTimeoutSeconds)"
        + (why == null || why.isBlank() ? "" : ": " + why) + (requeue
        ? "; the gang was released and starts again (not counted against spec.runPolicy.backoffLimit)"
        : "; spec.scheduling.onStartupTimeout is Fail");
    Optional<Pod> worker = pods.stream().filter(p -> !started(p))
        .min(Comparator.comparingInt(WorkerPods::index));
    return Optional.of(new TimedOut(requeue, message, worker));
  }
}
