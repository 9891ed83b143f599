package dev.mlops.operator.trainingjob;

import dev.mlops.operator.common.KubernetesSyntax;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.List;

/**
 * The API server's checks of a pod's affinity (validateAffinity in pkg/apis/core/validation) for
 * spec.podTemplate.affinity, so a typo'd operator or a weight of 500 is reported on the
 * TrainingJob instead of as a refused Job.
 */
final class AffinityRules {

  private static final String FIELD = "spec.podTemplate.affinity";
  private static final List<String> NODE_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
  private static final List<String> LABEL_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  private AffinityRules() {}

  static void check(Affinity affinity, List<String> errors) {
    if (affinity == null) {
      return;
    }
    var node = affinity.getNodeAffinity();
    if (node != null) {
      String field = FIELD + ".nodeAffinity";
      var required = node.getRequiredDuringSchedulingIgnoredDuringExecution();
      if (required != null) {
        String terms = field + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
        if (required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
          errors.add(terms + " must have at least one term");
        } else {
          for (int i = 0; i < required.getNodeSelectorTerms().size(); i++) {
            term(required.getNodeSelectorTerms().get(i), terms + "[" + i + "]", errors);
          }
        }
      }
      var preferred = node.getPreferredDuringSchedulingIgnoredDuringExecution();
      for (int i = 0; preferred != null && i < preferred.size(); i++) {
        String at = field + ".preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
        weight(preferred.get(i).getWeight(), at, errors);
        if (preferred.get(i).getPreference() != null) {
          term(preferred.get(i).getPreference(), at + ".preference", errors);
        }
      }
    }
    if (affinity.getPodAffinity() != null) {
      podTerms(FIELD + ".podAffinity", affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
          affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), errors);
    }
    if (affinity.getPodAntiAffinity() != null) {
      podTerms(FIELD + ".podAntiAffinity", affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
          affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), errors);
    }
  }

  private static void term(NodeSelectorTerm term, String field, List<String> errors) {
    List<NodeSelectorRequirement> expressions = term.getMatchExpressions();
    for (int i = 0; expressions != null && i < expressions.size(); i++) {
      NodeSelectorRequirement r = expressions.get(i);
      String at = field + ".matchExpressions[" + i + "]";
      KubernetesSyntax.qualifiedName(r.getKey()).ifPresent(why ->
          errors.add(at + ".key " + KubernetesSyntax.quote(r.getKey()) + " " + why));
      requirement(r.getOperator(), r.getValues(), NODE_OPERATORS, at, errors);
    }
    List<NodeSelectorRequirement> fields = term.getMatchFields();
    for (int i = 0; fields != null && i < fields.size(); i++) {
      NodeSelectorRequirement r = fields.get(i);
      String at = field + ".matchFields[" + i + "]";
      if (!"metadata.name".equals(r.getKey())) {
        errors.add(at + ".key " + KubernetesSyntax.quote(r.getKey()) + " is not supported: only metadata.name");
      } else if (!List.of("In", "NotIn").contains(r.getOperator()) || r.getValues() == null || r.getValues().size() != 1) {
        errors.add(at + " on metadata.name needs operator In or NotIn and exactly one value");
      }
    }
  }

  private static void requirement(String operator, List<String> values, List<String> operators, String at,
      List<String> errors) {
    int count = values == null ? 0 : values.size();
    if (!operators.contains(operator)) {
      errors.add(at + ".operator " + KubernetesSyntax.quote(operator) + " is not supported: use one of "
          + String.join(", ", operators));
    } else if (("In".equals(operator) || "NotIn".equals(operator)) && count == 0) {
      errors.add(at + ".values must not be empty with operator " + operator);
    } else if (("Exists".equals(operator) || "DoesNotExist".equals(operator)) && count > 0) {
      errors.add(at + ".values must be empty with operator " + operator);
    } else if ("Gt".equals(operator) || "Lt".equals(operator)) {
      if (count != 1 || !values.get(0).matches("^-?[0-9]+$")) {
        errors.add(at + ".values must be exactly one integer with operator " + operator + ", got " + values);
      }
    }
  }

  private static void podTerms(String field, List<PodAffinityTerm> required, List<WeightedPodAffinityTerm> preferred,
      List<String> errors) {
    for (int i = 0; required != null && i < required.size(); i++) {
      podTerm(required.get(i), field + ".requiredDuringSchedulingIgnoredDuringExecution[" + i + "]", errors);
    }
    for (int i = 0; preferred != null && i < preferred.size(); i++) {
      String at = field + ".preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
      weight(preferred.get(i).getWeight(), at, errors);
      if (preferred.get(i).getPodAffinityTerm() != null) {
        podTerm(preferred.get(i).getPodAffinityTerm(), at + ".podAffinityTerm", errors);
      }
    }
  }

  private static void podTerm(PodAffinityTerm term, String field, List<String> errors) {
    if (term.getTopologyKey() == null || term.getTopologyKey().isEmpty()) {
      errors.add(field + ".topologyKey is required (e.g. kubernetes.io/hostname)");
    } else {
      KubernetesSyntax.qualifiedName(term.getTopologyKey()).ifPresent(why ->
          errors.add(field + ".topologyKey " + KubernetesSyntax.quote(term.getTopologyKey()) + " " + why));
    }
    LabelSelector selector = term.getLabelSelector();
    if (selector == null) {
      return;
    }
    String at = field + ".labelSelector";
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((key, value) -> {
        KubernetesSyntax.qualifiedName(key).ifPresent(why ->
            errors.add(at + ".matchLabels: key " + KubernetesSyntax.quote(key) + " " + why));
        KubernetesSyntax.labelValue(value).ifPresent(why ->
            errors.add(at + ".matchLabels[" + key + "]: value " + KubernetesSyntax.quote(value) + " " + why));
      });
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    for (int i = 0; expressions != null && i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      String expression = at + ".matchExpressions[" + i + "]";
      KubernetesSyntax.qualifiedName(r.getKey()).ifPresent(why ->
          errors.add(expression + ".key " + KubernetesSyntax.quote(r.getKey()) + " " + why));
      if (r.getValues() != null) {
        r.getValues().forEach(v -> KubernetesSyntax.labelValue(v).ifPresent(why ->
            errors.add(expression + ".values: " + KubernetesSyntax.quote(v) + " " + why)));
      }
      requirement(r.getOperator(), r.getValues(), LABEL_OPERATORS, expression, errors);
    }
  }

  private static void weight(Integer weight, String field, List<String> errors) {
    if (weight == null || weight < 1 || weight > 100) {
      errors.add(field + ".weight must be between 1 and 100, got " + weight);
    }
  }
}
