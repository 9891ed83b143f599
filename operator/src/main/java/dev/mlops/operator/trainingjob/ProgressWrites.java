package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A TrainingJob's progress-only changes: the same phase and the same status of every condition;
 * worker counts, reasons or messages differ — the wording of progress, not a decision. A Queued job's place in line
 * ({@code status.queue.position} and the Admitted message's numbers) is written at most every 30 seconds: when the
 * head of a long queue is admitted, every job behind it moves, and that must not cost a write per job each time.
 */
final class ProgressWrites extends dev.mlops.operator.kind.ProgressWrites<TrainingJob, TrainingJobStatus> {

  ProgressWrites(Clock clock, Duration interval) {
    super(clock, interval, ProgressWrites::progressOnly);
  }

  @Override
  protected Duration interval(TrainingJobStatus before, TrainingJobStatus next) {
    return TrainingJobPhase.QUEUED.equals(next.getPhase()) ? MAX_INTERVAL : super.interval(before, next);
  }

  static boolean progressOnly(TrainingJobStatus before, TrainingJobStatus after) {
    if (before == null || after == null || !Objects.equals(before.getPhase(), after.getPhase())) {
      return false;
    }
    return Objects.equals(withoutProgress(before), withoutProgress(after));
  }

  private static TrainingJobStatus withoutProgress(TrainingJobStatus status) {
    TrainingJobStatus copy = TrainingJobPlanner.copy(status);
    copy.setWorkers(null);
    if (copy.getQueue() != null) {
      copy.getQueue().setPosition(null);
    }
    if (copy.getConditions() != null) {
      copy.getConditions().forEach(c -> {
        c.setReason(null);
        c.setMessage(null);
      });
    }
    return copy;
  }
}
