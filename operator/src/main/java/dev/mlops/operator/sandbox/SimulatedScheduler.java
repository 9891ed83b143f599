package dev.mlops.operator.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The placement rules of kube-scheduler that GPU training depends on, as a pure function: taints and
 * tolerations, node selector, required node affinity, required pod anti-affinity on the hostname,
 * and resource capacity (GPUs above all). Reasons are phrased as kube-scheduler phrases them.
 */
public final class SimulatedScheduler {

  private SimulatedScheduler() {}

  public record Decision(String nodeName, String message) {
    public boolean placed() {
      return nodeName != null;
    }
  }

  /** Picks the first fitting node by name, or explains, per reason, why none fits. */
  public static Decision schedule(Pod pod, Collection<Node> nodes, Collection<Pod> boundPods) {
    Map<String, List<Pod>> byNode = new HashMap<>();
    boundPods.forEach(p -> byNode.computeIfAbsent(p.getSpec().getNodeName(), k -> new java.util.ArrayList<>()).add(p));
    List<Node> ordered = nodes.stream()
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName())).toList();
    return schedule(pod, ordered, byNode);
  }

  /** As above, with the nodes already in the order to try and the bound pods grouped by node name. */
  public static Decision schedule(Pod pod, List<Node> orderedNodes, Map<String, List<Pod>> podsByNode) {
    Map<String, Integer> reasons = new TreeMap<>();
    for (Node node : orderedNodes) {
      Optional<String> misfit = misfit(pod, node, podsByNode.getOrDefault(node.getMetadata().getName(), List.of()));
      if (misfit.isEmpty()) {
        return new Decision(node.getMetadata().getName(), null);
      }
      reasons.merge(misfit.get(), 1, Integer::sum);
    }
    StringBuilder message = new StringBuilder("0/" + orderedNodes.size() + " nodes are available");
    String sep = ": ";
    for (var e : reasons.entrySet()) {
      message.append(sep).append(e.getValue()).append(' ').append(e.getKey());
      sep = ", ";
    }
    return new Decision(null, message.append('.').toString());
  }

  /** Why the pod cannot go on the node, or empty; {@code podsOnNode} are the active pods bound there. */
  static Optional<String> misfit(Pod pod, Node node, Collection<Pod> podsOnNode) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return Optional.of("node(s) were unschedulable");
    }
    Optional<Taint> untolerated = untoleratedTaint(pod, node);
    if (untolerated.isPresent()) {
      return Optional.of("node(s) had untolerated taint {" + untolerated.get().getKey() + ": "
          + (untolerated.get().getValue() == null ? "" : untolerated.get().getValue()) + "}");
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (!matchesSelector(pod, labels) || !matchesNodeAffinity(pod, labels, node.getMetadata().getName())) {
      return Optional.of("node(s) didn't match Pod's node affinity/selector");
    }
    if (violatesAntiAffinity(pod, podsOnNode)) {
      return Optional.of("node(s) didn't match pod anti-affinity rules");
    }
    return insufficientResource(pod, node, podsOnNode).map(r -> "Insufficient " + r);
  }

  private static Optional<Taint> untoleratedTaint(Pod pod, Node node) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return Optional.empty();
    }
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    return node.getSpec().getTaints().stream()
        .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
        .filter(t -> tolerations.stream().noneMatch(tol -> tolerates(tol, t)))
        .findFirst();
  }

  private static boolean tolerates(Toleration tol, Taint taint) {
    if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !tol.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (tol.getKey() == null || tol.getKey().isEmpty()) {
      return "Exists".equals(tol.getOperator());
    }
    if (!tol.getKey().equals(taint.getKey())) {
      return false;
    }
    return "Exists".equals(tol.getOperator())
        || java.util.Objects.equals(tol.getValue() == null ? "" : tol.getValue(),
            taint.getValue() == null ? "" : taint.getValue());
  }

  private static boolean matchesSelector(Pod pod, Map<String, String> labels) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    return selector == null || selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static boolean matchesNodeAffinity(Pod pod, Map<String, String> labels, String nodeName) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    return terms == null || terms.isEmpty() || terms.stream().anyMatch(t -> matchesTerm(t, labels, nodeName));
  }

  private static boolean matchesTerm(NodeSelectorTerm term, Map<String, String> labels, String nodeName) {
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    boolean fieldsMatch = fields.stream().allMatch(r -> "metadata.name".equals(r.getKey()) && r.getValues() != null
        && ("In".equals(r.getOperator()) == r.getValues().contains(nodeName)));
    if (!fieldsMatch) {
      return false;
    }
    List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    return expressions.stream().allMatch(r -> {
      String value = labels.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      return switch (r.getOperator()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
    });
  }

  private static boolean violatesAntiAffinity(Pod pod, Collection<Pod> podsOnNode) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getPodAntiAffinity() == null
        || affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return false;
    }
    for (PodAffinityTerm term : affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()) {
      boolean conflict = podsOnNode.stream()
          .filter(p -> p.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace()))
          .filter(p -> !p.getMetadata().getName().equals(pod.getMetadata().getName()))
          .anyMatch(p -> selects(term.getLabelSelector(), p.getMetadata().getLabels()));
      if (conflict) {
        return true;
      }
    }
    return false;
  }

  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null || labels == null) {
      return false;
    }
    Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    return match.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Whether the node's allocatable resources, less {@code used}, cover {@code wanted}. */
  static boolean hasRoom(Map<String, BigDecimal> wanted, Node node, Map<String, BigDecimal> used) {
    return shortResource(wanted, node, used).isEmpty();
  }

  private static Optional<String> insufficientResource(Pod pod, Node node, Collection<Pod> podsOnNode) {
    Map<String, BigDecimal> used = new HashMap<>();
    podsOnNode.stream()
        .filter(p -> !p.getMetadata().getName().equals(pod.getMetadata().getName()))
        .forEach(p -> requests(p).forEach((k, v) -> used.merge(k, v, BigDecimal::add)));
    return shortResource(requests(pod), node, used);
  }

  /** The first resource, by name, of which the node has less free than wanted. */
  private static Optional<String> shortResource(Map<String, BigDecimal> wanted, Node node, Map<String, BigDecimal> used) {
    Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
        ? Map.of() : node.getStatus().getAllocatable();
    for (var e : new TreeMap<>(wanted).entrySet()) {
      Quantity capacity = allocatable.get(e.getKey());
      BigDecimal free = (capacity == null ? BigDecimal.ZERO : capacity.getNumericalAmount())
          .subtract(used.getOrDefault(e.getKey(), BigDecimal.ZERO));
      if (e.getValue().compareTo(free) > 0) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Effective requests of the app containers: a request, or the limit where only a limit is set. */
  static Map<String, BigDecimal> requests(Pod pod) {
    Map<String, BigDecimal> total = new HashMap<>();
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Map<String, Quantity> merged = new HashMap<>();
      if (c.getResources().getLimits() != null) {
        merged.putAll(c.getResources().getLimits());
      }
      if (c.getResources().getRequests() != null) {
        merged.putAll(c.getResources().getRequests());
      }
      merged.forEach((k, v) -> total.merge(k, v.getNumericalAmount(), BigDecimal::add));
    }
    return total;
  }
}
