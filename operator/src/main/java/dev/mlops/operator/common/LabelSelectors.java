package dev.mlops.operator.common;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A metav1.LabelSelector evaluated the way the API server does: matchLabels and matchExpressions, all must hold. */
public final class LabelSelectors {

  private LabelSelectors() {}

  /** Whether {@code labels} match; an empty selector matches everything. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = have.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok = switch (r.getOperator()) {
          case "In" -> value != null && values.contains(value);
          case "NotIn" -> value == null || !values.contains(value);
          case "Exists" -> value != null;
          case "DoesNotExist" -> value == null;
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  /** Why a selector cannot be evaluated (an unknown operator, values where none belong), or empty. */
  public static Optional<String> problem(LabelSelector selector, String field) {
    if (selector.getMatchExpressions() == null) {
      return Optional.empty();
    }
    for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
      LabelSelectorRequirement r = selector.getMatchExpressions().get(i);
      String at = field + ".matchExpressions[" + i + "]";
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (r.getOperator() == null || !List.of("In", "NotIn", "Exists", "DoesNotExist").contains(r.getOperator())) {
        return Optional.of(at + ".operator must be In, NotIn, Exists or DoesNotExist, got "
            + KubernetesSyntax.quote(r.getOperator()));
      }
      if ((r.getOperator().equals("In") || r.getOperator().equals("NotIn")) != hasValues) {
        return Optional.of(at + ".values must be " + (hasValues ? "empty for " : "non-empty for ") + r.getOperator());
      }
    }
    return Optional.empty();
  }

  /** {@code {matchLabels: {mlops.dev/nas: "true"}}}, for messages. */
  public static String describe(LabelSelector selector) {
    String labels = selector.getMatchLabels() == null ? "" : selector.getMatchLabels().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
    String expressions = selector.getMatchExpressions() == null ? "" : selector.getMatchExpressions().stream()
        .map(r -> r.getKey() + " " + r.getOperator() + (r.getValues() == null || r.getValues().isEmpty() ? ""
            : " (" + String.join(",", r.getValues()) + ")"))
        .collect(Collectors.joining(","));
    String all = labels.isEmpty() ? expressions : expressions.isEmpty() ? labels : labels + "," + expressions;
    return all.isEmpty() ? "{} (every namespace)" : all;
  }
}
