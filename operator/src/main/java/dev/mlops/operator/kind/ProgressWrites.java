package dev.mlops.operator.kind;

import io.fabric8.kubernetes.client.CustomResource;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Coalesces status writes that only report progress. Children appear, are bound and start in
 * bursts; writing a count for each would cost a write per child. A change the kind calls
 * progress-only (for a TrainingJob: the same phase and every condition's status, only counts or
 * wording differ) is written at most once per interval per object; any other change at once.
 */
public class ProgressWrites<P extends CustomResource<?, S>, S> {

  private final Clock clock;
  private final Duration interval;
  private final BiPredicate<S, S> progressOnly;
  private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();
  /** The longest interval a kind may ask for (entries older than it are forgotten). */
  protected static final Duration MAX_INTERVAL = Duration.ofSeconds(30);

  public ProgressWrites(Clock clock, Duration interval, BiPredicate<S, S> progressOnly) {
    this.clock = clock;
    this.interval = interval;
    this.progressOnly = progressOnly;
  }

  /** Empty: write now. Otherwise how long to wait before writing this progress-only change. */
  public Optional<Duration> deferral(P primary, S next) {
    S before = primary.getStatus();
    if (before == null || next == null || !progressOnly.test(before, next)) {
      return Optional.empty();
    }
    Long last = lastWrite.get(primary.getMetadata().getUid());
    if (last == null) {
      return Optional.empty();
    }
    long waited = clock.millis() - last;
    long every = interval(before, next).toMillis();
    // A clock stepped back (waited < 0) must not stretch the wait beyond one interval.
    return waited >= every || waited < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(every - waited));
  }

  /** How long this progress-only change may wait since the last write; the kind's interval unless it says otherwise. */
  protected Duration interval(S before, S next) {
    return interval;
  }

  public void written(P primary) {
    long now = clock.millis();
    lastWrite.put(primary.getMetadata().getUid(), now);
    if (lastWrite.size() > 1024) {
      // Entries only matter for one interval; drop the old ones so deleted objects do not accumulate.
      lastWrite.values().removeIf(t -> now - t > Math.max(interval.toMillis(), MAX_INTERVAL.toMillis()));
    }
  }
}
