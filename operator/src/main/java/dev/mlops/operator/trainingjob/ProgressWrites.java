package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.common.Conditions;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces status writes that only report progress. Pods of a job are created, bound and started
 * in bursts; writing {@code workers.active/ready} for each pod would cost a write per pod. A change
 * that keeps the phase and every condition's status (worker counts, a reason or message reworded) is
 * written at most once per interval per job; a new phase or a condition turning True or False is
 * written at once.
 */
final class ProgressWrites {

  private final Clock clock;
  private final Duration interval;
  private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();

  ProgressWrites(Clock clock, Duration interval) {
    this.clock = clock;
    this.interval = interval;
  }

  /** Empty: write now. Otherwise how long to wait before writing this progress-only change. */
  Optional<Duration> deferral(TrainingJob tj, TrainingJobStatus next) {
    if (!progressOnly(tj.getStatus(), next)) {
      return Optional.empty();
    }
    Long last = lastWrite.get(tj.getMetadata().getUid());
    if (last == null) {
      return Optional.empty();
    }
    long waited = clock.millis() - last;
    // A clock stepped back (waited < 0) must not stretch the wait beyond one interval.
    return waited >= interval.toMillis() || waited < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(interval.toMillis() - waited));
  }

  void written(TrainingJob tj) {
    long now = clock.millis();
    lastWrite.put(tj.getMetadata().getUid(), now);
    if (lastWrite.size() > 1024) {
      // Entries only matter for one interval; drop the old ones so deleted jobs do not accumulate.
      lastWrite.values().removeIf(t -> now - t > interval.toMillis());
    }
  }

  /**
   * The two statuses have the same phase and the same condition statuses: what differs is worker
   * counts, reasons or messages — the wording of progress, not a decision.
   */
  static boolean progressOnly(TrainingJobStatus before, TrainingJobStatus after) {
    if (before == null || after == null || !Objects.equals(before.getPhase(), after.getPhase())) {
      return false;
    }
    return Objects.equals(withoutProgress(before), withoutProgress(after));
  }

  private static String withoutProgress(TrainingJobStatus status) {
    TrainingJobStatus copy = TrainingJobPlanner.copy(status);
    copy.setWorkers(null);
    if (copy.getConditions() != null) {
      copy.getConditions().forEach(c -> {
        c.setReason(null);
        c.setMessage(null);
      });
    }
    return Serialization.asJson(copy);
  }
}
