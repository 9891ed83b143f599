package dev.mlops.operator.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes API condition conventions: one entry per type, {@code lastTransitionTime} changes
 * only when {@code status} flips, {@code observedGeneration} is the generation the condition was
 * computed from.
 */
public final class Conditions {

  private Conditions() {}

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";
  /** The phase of every kind whose spec is invalid: one word across kinds, whatever else the kind's phases are. */
  public static final String INVALID_PHASE = "Invalid";
  /** The reason of {@code Valid=False} in every kind. */
  public static final String INVALID_SPEC = "InvalidSpec";

  /**
   * The reason {@code kubectl get} shows in a kind's Reason column ({@code status.reason}), as it shows
   * {@code ImagePullBackOff} for a pod: the reason of the first of {@code types}, in the kind's order of what
   * matters most, that is not True; when all are True, the last one's. Null when none is set.
   */
  public static String leadingReason(List<Condition> conditions, String... types) {
    String last = null;
    for (String type : types) {
      Optional<Condition> condition = find(conditions, type);
      if (condition.isEmpty()) {
        continue;
      }
      if (!TRUE.equals(condition.get().getStatus())) {
        return condition.get().getReason();
      }
      last = condition.get().getReason();
    }
    return last;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /**
   * Whether {@code conditions} already say this: a condition of {@code type} with that reason and message.
   * A Warning that goes with such a condition is recorded once, when the condition is first said.
   */
  public static boolean says(List<Condition> conditions, String type, String reason, String message) {
    return find(conditions, type).map(c -> reason.equals(c.getReason()) && message.equals(c.getMessage())).orElse(false);
  }

  /** Sets a condition in place, keeping its position and its transition time when status is unchanged. */
  public static void set(List<Condition> conditions, String type, String status, String reason,
      String message, Long generation, String now) {
    Optional<Condition> existing = find(conditions, type);
    String transition = existing.filter(c -> status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime).orElse(now);
    Condition updated = new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(transition).build();
    if (existing.isPresent()) {
      conditions.set(conditions.indexOf(existing.get()), updated);
    } else {
      conditions.add(updated);
    }
  }
}
