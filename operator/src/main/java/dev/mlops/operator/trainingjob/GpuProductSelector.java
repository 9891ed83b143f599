package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Chooses the one GPU product a job runs on, from the Nodes' GPU Feature Discovery labels. A product
 * qualifies when at least {@code nodes} schedulable nodes of it can each hold {@code gpusPerNode}
 * GPUs (by allocatable capacity, not by current use: a busy pool is waited for, not avoided).
 */
public final class GpuProductSelector {

  public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";

  private GpuProductSelector() {}

  /** The outcome: a product, or none and a message that says what is needed and what exists. */
  public record Choice(String product, String message) {
    public boolean placeable() {
      return product != null;
    }
  }

  public static Choice choose(TrainingJobSpec spec, Collection<Node> nodes) {
    return explained(choose(spec, pools(spec, nodes)), spec, exclusions(spec, nodes));
  }

  /**
   * A miss said better when the spec's own filters caused it: what is needed, then which filter
   * ruled out the nodes that had room ({@link #exclusions}); unchanged when none did.
   */
  public static Choice explained(Choice choice, TrainingJobSpec spec, String exclusions) {
    if (choice.placeable() || exclusions.isEmpty()) {
      return choice;
    }
    int needed = spec.getNodes();
    String wanted = spec.getGpu() == null || spec.getGpu().getProduct() == null || spec.getGpu().getProduct().isEmpty()
        ? "one GPU product" : spec.getGpu().getProduct();
    return new Choice(null, "Needs " + needed + " node" + (needed == 1 ? "" : "s") + " of " + wanted + " with "
        + spec.getGpusPerNode() + " allocatable " + TrainingJobValidator.gpuResourceName(spec)
        + (needed == 1 ? "" : " each") + " that the spec's filters allow;" + exclusions);
  }

  /** As above, from the pools already counted for this spec ({@link #pools(TrainingJobSpec, Collection)}). */
  public static Choice choose(TrainingJobSpec spec, Map<String, Integer> pools) {
    int needed = spec.getNodes();
    int gpus = spec.getGpusPerNode();
    String resource = TrainingJobValidator.gpuResourceName(spec);
    String wanted = spec.getGpu() == null ? null : spec.getGpu().getProduct();
    String each = needed + " node" + (needed == 1 ? "" : "s") + " of %s with " + gpus + " allocatable " + resource
        + (needed == 1 ? "" : " each");
    if (wanted != null && !wanted.isEmpty()) {
      int have = pools.getOrDefault(wanted, 0);
      if (have >= needed) {
        return new Choice(wanted, qualifies(wanted, have));
      }
      return new Choice(null, "Needs " + String.format(each, wanted) + " (spec.gpu.product); " + have
          + " such node" + (have == 1 ? "" : "s") + " exist" + (have == 1 ? "s" : "") + "." + largest(pools));
    }
    List<String> preferred = spec.getGpu() == null || spec.getGpu().getPreferredProducts() == null
        ? List.of() : spec.getGpu().getPreferredProducts();
    for (String product : preferred) {
      if (pools.getOrDefault(product, 0) >= needed) {
        return new Choice(product, qualifies(product, pools.get(product)));
      }
    }
    Optional<Map.Entry<String, Integer>> best = pools.entrySet().stream()
        .filter(e -> e.getValue() >= needed)
        .max((a, b) -> a.getValue().equals(b.getValue()) ? b.getKey().compareTo(a.getKey()) : a.getValue() - b.getValue());
    if (best.isPresent()) {
      return new Choice(best.get().getKey(), qualifies(best.get().getKey(), best.get().getValue()));
    }
    return new Choice(null, "Needs " + String.format(each, "one GPU product") + "." + largest(pools));
  }

  /**
   * The products a gang may be admitted on, best first, each with enough qualifying nodes in total: the pinned
   * product; else the preferred products that qualify, in the order given (never another while one of them
   * qualifies); else every product that qualifies, largest pool first.
   */
  public static List<String> candidates(TrainingJobSpec spec, Map<String, Integer> pools) {
    int needed = spec.getNodes();
    String wanted = spec.getGpu() == null ? null : spec.getGpu().getProduct();
    if (wanted != null && !wanted.isEmpty()) {
      return pools.getOrDefault(wanted, 0) >= needed ? List.of(wanted) : List.of();
    }
    List<String> preferred = spec.getGpu() == null || spec.getGpu().getPreferredProducts() == null
        ? List.of() : spec.getGpu().getPreferredProducts();
    List<String> qualifying = preferred.stream().distinct().filter(p -> pools.getOrDefault(p, 0) >= needed).toList();
    if (!qualifying.isEmpty()) {
      return qualifying;
    }
    return pools.entrySet().stream().filter(e -> e.getValue() >= needed)
        .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : b.getValue() - a.getValue())
        .map(Map.Entry::getKey).toList();
  }

  private static String qualifies(String product, int count) {
    return "Workers run on " + product + " (" + count + " node" + (count == 1 ? "" : "s") + " qualify).";
  }

  private static String largest(Map<String, Integer> pools) {
    return pools.entrySet().stream()
        .max((a, b) -> a.getValue().equals(b.getValue()) ? b.getKey().compareTo(a.getKey()) : a.getValue() - b.getValue())
        .map(e -> " The largest pool is " + e.getKey() + " with " + e.getValue() + " such node"
            + (e.getValue() == 1 ? "" : "s") + ".")
        .orElse(" No node has that many GPUs of one labelled product.");
  }

  /** Product -> number of nodes able to hold the job's per-node GPUs. Sorted for determinism. */
  static Map<String, Integer> pools(TrainingJobSpec spec, Collection<Node> nodes) {
    return pools(spec, nodes, TrainingJobValidator.gpuResourceName(spec));
  }

  /** What {@link #pools} depends on in a spec: jobs equal in it share one count of the same Nodes. */
  static String poolsKey(TrainingJobSpec spec) {
    var template = spec.getPodTemplate();
    Map<String, String> selector = template == null ? null : template.getNodeSelector();
    String filters = template == null || (template.getTolerations() == null && template.getAffinity() == null) ? ""
        : Serialization.asJson(template.getTolerations()) + Serialization.asJson(template.getAffinity());
    return TrainingJobValidator.gpuResourceName(spec) + "|" + spec.getGpusPerNode() + "|"
        + (selector == null ? "" : new TreeMap<>(selector)) + "|" + filters;
  }

  /**
   * Why GPU nodes that have room for a worker were left out, when the spec's own filters did it:
   * " 4 nodes of NVIDIA-A100-SXM4-40GB have 8 allocatable nvidia.com/gpu, but spec.podTemplate.nodeSelector
   * rack=r12 rules out 4." Empty when no node of a wanted product was ruled out by a filter.
   */
  static String exclusions(TrainingJobSpec spec, Collection<Node> nodes) {
    String resource = TrainingJobValidator.gpuResourceName(spec);
    String wanted = spec.getGpu() == null || spec.getGpu().getProduct() == null || spec.getGpu().getProduct().isEmpty()
        ? null : spec.getGpu().getProduct();
    Map<String, Integer> roomy = new TreeMap<>();
    Map<String, Map<String, Integer>> excluded = new TreeMap<>();
    for (Node node : nodes) {
      Map<String, String> labels = node.getMetadata().getLabels();
      String product = labels == null ? null : labels.get(PRODUCT_LABEL);
      if (product == null || (wanted != null && !wanted.equals(product)) || !schedulable(node)
          || allocatable(node, resource).compareTo(BigDecimal.valueOf(spec.getGpusPerNode())) < 0) {
        continue;
      }
      roomy.merge(product, 1, Integer::sum);
      NodeFilters.exclusion(spec, node).ifPresent(why ->
          excluded.computeIfAbsent(product, p -> new TreeMap<>()).merge(why, 1, Integer::sum));
    }
    StringBuilder text = new StringBuilder();
    excluded.forEach((product, reasons) -> {
      int have = roomy.get(product);
      text.append(' ').append(have).append(have == 1 ? " node of " : " nodes of ").append(product)
          .append(have == 1 ? " has " : " have ").append(spec.getGpusPerNode()).append(" allocatable ").append(resource)
          .append(", but ");
      text.append(reasons.entrySet().stream().map(e -> e.getKey() + " rules out " + e.getValue())
          .collect(Collectors.joining(", "))).append('.');
    });
    return text.toString();
  }

  static Map<String, Integer> pools(TrainingJobSpec spec, Collection<Node> nodes, String resource) {
    Map<String, Integer> pools = new TreeMap<>();
    for (Node node : nodes) {
      Map<String, String> labels = node.getMetadata().getLabels();
      String product = labels == null ? null : labels.get(PRODUCT_LABEL);
      if (product == null || !schedulable(node) || NodeFilters.exclusion(spec, node).isPresent()) {
        continue;
      }
      if (allocatable(node, resource).compareTo(BigDecimal.valueOf(spec.getGpusPerNode())) >= 0) {
        pools.merge(product, 1, Integer::sum);
      }
    }
    return pools;
  }

  static BigDecimal allocatable(Node node, String resource) {
    if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
      return BigDecimal.ZERO;
    }
    Quantity q = node.getStatus().getAllocatable().get(resource);
    return q == null ? BigDecimal.ZERO : amount(q);
  }

  // Node GPU counts take a handful of distinct values ("8", "4"), and parsing one is the costliest
  // step of looking through every Node for every new job.
  private static final Map<String, BigDecimal> AMOUNTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static BigDecimal amount(Quantity q) {
    String key = q.getAmount() + "|" + (q.getFormat() == null ? "" : q.getFormat());
    BigDecimal known = AMOUNTS.get(key);
    if (known != null) {
      return known;
    }
    BigDecimal parsed = q.getNumericalAmount();
    if (AMOUNTS.size() < 256) {
      AMOUNTS.put(key, parsed);
    }
    return parsed;
  }

  static boolean schedulable(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return true;
    }
    for (var c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus())) {
        return false;
      }
    }
    return true;
  }
}
