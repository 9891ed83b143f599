package dev.mlops.operator.kind;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile of any kind decided, computed from observed state alone: the status to write
 * (compared with the stored one by {@code equals}), the child writes, the Events that go with the
 * status change, and when to look again.
 */
public record KindPlan<S>(S status, List<ChildAction> actions, List<KindEvent> events, Optional<Duration> requeueAfter) {

  /** A Normal or Warning Event about the primary object. */
  public record KindEvent(String type, String reason, String message) {}

  /** One child write, made through the {@link ChildWriter} of the loop. */
  @FunctionalInterface
  public interface ChildAction {
    void apply(ChildWriter writer);
  }
}
