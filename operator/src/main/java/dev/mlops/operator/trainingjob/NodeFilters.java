package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The scheduler's node filters that a worker's spec decides, besides the GPU count: the
 * podTemplate's nodeSelector, its required node affinity, and taints the worker does not tolerate.
 * Each answer names the filter in the user's words, so a job that waits can say which one to change.
 */
final class NodeFilters {

  private NodeFilters() {}

  /** The first filter that rules the node out for a worker of the spec, in words; empty when it fits. */
  static Optional<String> exclusion(TrainingJobSpec spec, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    var template = spec.getPodTemplate();
    Map<String, String> selector = template == null ? null : template.getNodeSelector();
    if (selector != null && !selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return Optional.of("spec.podTemplate.nodeSelector " + selector.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    }
    var affinity = template == null || template.getAffinity() == null ? null : template.getAffinity().getNodeAffinity();
    var required = affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required != null && required.getNodeSelectorTerms() != null
        && required.getNodeSelectorTerms().stream().noneMatch(term -> matches(term, node, labels))) {
      return Optional.of("spec.podTemplate.affinity (required node affinity)");
    }
    List<Toleration> tolerations = TrainingJobResources.tolerationsOf(spec);
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      for (Taint taint : node.getSpec().getTaints()) {
        boolean repels = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
        if (repels && tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
          return Optional.of("taint " + taint.getKey() + (taint.getValue() == null || taint.getValue().isEmpty() ? ""
              : "=" + taint.getValue()) + ":" + taint.getEffect() + " (no matching spec.podTemplate.tolerations)");
        }
      }
    }
    return Optional.empty();
  }

  /** One term of a node selector: every expression and field requirement holds. An empty term matches nothing. */
  private static boolean matches(NodeSelectorTerm term, Node node, Map<String, String> labels) {
    List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    return expressions.stream().allMatch(r -> matches(r, labels.get(r.getKey()), labels.containsKey(r.getKey())))
        && fields.stream().allMatch(r -> "metadata.name".equals(r.getKey())
            && matches(r, node.getMetadata().getName(), true));
  }

  private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (String.valueOf(r.getOperator())) {
      case "In" -> present && values.contains(value);
      case "NotIn" -> !present || !values.contains(value);
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      case "Gt", "Lt" -> present && values.size() == 1 && compare(value, values.get(0), r.getOperator());
      default -> false;
    };
  }

  private static boolean compare(String value, String bound, String operator) {
    try {
      long v = Long.parseLong(value);
      long b = Long.parseLong(bound);
      return "Gt".equals(operator) ? v > b : v < b;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Kubernetes' Toleration.ToleratesTaint. */
  private static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = t.getKey() == null ? "" : t.getKey();
    if (!key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    if ("Exists".equals(t.getOperator())) {
      return true;
    }
    if (key.isEmpty()) {
      return false;
    }
    String value = t.getValue() == null ? "" : t.getValue();
    return value.equals(taint.getValue() == null ? "" : taint.getValue());
  }
}
