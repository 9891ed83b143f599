package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The built-in admission of whole gangs, as one pure pass over the waiting jobs and the free GPUs: a job is
 * admitted only when {@code nodes} distinct nodes of one of its GPU products each have {@code gpusPerNode} free
 * GPUs now (allocatable minus what bound pods request minus what admitted gangs whose pods are not bound yet
 * reserve), honouring its node selector, required affinity and tolerations. Admission names the nodes; the Job
 * pins its workers to them, so what is admitted is what the scheduler binds and no two gangs count the same GPUs.
 *
 * <p>Order: PriorityClass value (higher first), then restarts of jobs that ran, then creation time, then name.
 * Backfill with a starvation guard: a job that does not fit does not stop later jobs that fit elsewhere, but it
 * holds the {@code nodes} nodes nearest to free (most free GPUs now) against every later job of lower priority at
 * once, and against later jobs of its own priority once it has waited {@code backfillLimit}. Held nodes take no new
 * gang of those jobs, so they drain and the held job runs next: a big job never blocks small ones for ever, and is
 * never starved by them.
 *
 * <p>Cost: the nodes are grouped once per pass by what decides eligibility (the spec's filters, GPU count and
 * product); each group keeps counts of its nodes by free GPUs, so whether a job fits is a look-up, not a walk over
 * the nodes. Only an admission or a hold walks the job's group.
 */
public final class GangAdmission {

  public static final String ADMITTED = "Admitted";
  public static final String INSUFFICIENT_FREE_GPUS = "InsufficientFreeGpus";
  public static final String BEHIND_HIGHER_PRIORITY = "QueuedBehindHigherPriority";
  public static final String BEHIND_OLDER_JOB = "QueuedBehindOlderJob";

  private GangAdmission() {}

  /** A GPU node as admission sees it: the Node (labels, taints, allocatable) and GPUs in use by resource name. */
  public record NodeState(Node node, Map<String, Integer> used) {
    String name() {
      return node.getMetadata().getName();
    }

    String product() {
      return node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(GpuProductSelector.PRODUCT_LABEL);
    }
  }

  /**
   * A gang waiting for admission.
   *
   * @param key      namespace/name
   * @param products the GPU products it may run on, best first (each has enough nodes in total)
   * @param restart  the job ran before (a later attempt): ahead of jobs that never ran at the same priority
   * @param since    when this attempt started waiting
   */
  public record Demand(String key, TrainingJobSpec spec, List<String> products, int priority, boolean restart,
      Instant created, Instant since, String shape) {
    /** {@code shape}: what decides which nodes are eligible (GpuProductSelector#poolsKey), computed once. */
    public Demand(String key, TrainingJobSpec spec, List<String> products, int priority, boolean restart, Instant created,
        Instant since) {
      this(key, spec, products, priority, restart, created, since, GpuProductSelector.poolsKey(spec));
    }

    public int nodes() {
      return spec.getNodes();
    }

    public int gpus() {
      return spec.getGpusPerNode();
    }

    public String resource() {
      return TrainingJobValidator.gpuResourceName(spec);
    }
  }

  /** The outcome for one job: admitted on named nodes of a product, or waiting with a reason, a message and a place. */
  public record Verdict(boolean admitted, String product, List<String> nodes, String reason, String message,
      int position) {
    static Verdict admitted(String product, List<String> nodes) {
      return new Verdict(true, product, List.copyOf(nodes), ADMITTED, "Admitted on " + product + ": nodes "
          + String.join(", ", nodes) + ".", 0);
    }
  }

  /** The pass's verdict for every demand, and when it should be made again even if nothing changes (a hold starts). */
  public record Decisions(Map<String, Verdict> verdicts, Instant validUntil) {}

  /** Every demand's verdict; capacity admitted never exceeds capacity free (see {@link #invariantHolds}). */
  public static Decisions decide(List<NodeState> nodes, List<Demand> demands, Instant now, Duration backfillLimit) {
    return new Pass(nodes, now, backfillLimit).run(demands);
  }

  /** The order of the queue. */
  public static final Comparator<Demand> ORDER = Comparator.comparingInt((Demand d) -> -d.priority())
      .thenComparing(d -> !d.restart())
      .thenComparing(Demand::created, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(Demand::key);

  /**
   * Whether the admitted verdicts fit the free GPUs: per node and resource, what the admitted gangs take is at most
   * what the node had free. Tests and the bench check every pass with it.
   */
  public static boolean invariantHolds(List<NodeState> nodes, List<Demand> demands, Map<String, Verdict> verdicts) {
    Map<String, Map<String, Integer>> taken = new HashMap<>();
    for (Demand d : demands) {
      Verdict v = verdicts.get(d.key());
      if (v == null || !v.admitted()) {
        continue;
      }
      if (v.nodes().size() != d.nodes() || v.nodes().stream().distinct().count() != d.nodes()) {
        return false;
      }
      v.nodes().forEach(n -> taken.computeIfAbsent(n, k -> new HashMap<>()).merge(d.resource(), d.gpus(), Integer::sum));
    }
    Map<String, NodeState> byName = nodes.stream().collect(Collectors.toMap(NodeState::name, n -> n, (a, b) -> a));
    for (var e : taken.entrySet()) {
      NodeState node = byName.get(e.getKey());
      if (node == null) {
        return false;
      }
      for (var r : e.getValue().entrySet()) {
        int free = allocatable(node.node(), r.getKey()) - node.used().getOrDefault(r.getKey(), 0);
        if (r.getValue() > free) {
          return false;
        }
      }
    }
    return true;
  }

  static int allocatable(Node node, String resource) {
    return GpuProductSelector.allocatable(node, resource).intValue();
  }

  /** Eligible nodes of one product for one kind of spec, with counts by free GPUs. */
  private static final class Group {
    final String product;
    final String resource;
    final List<Integer> members = new ArrayList<>();
    /** Members neither held nor picked: where a further hold can go. Zero: holds in this group are already full. */
    int unclaimed;
    /** atLeast[k]: members not held with at least k free; all[k]: the same, held or not. */
    int[] atLeast = new int[1];
    int[] all = new int[1];

    Group(String product, String resource) {
      this.product = product;
      this.resource = resource;
    }

    void add(int free, boolean held) {
      grow(free);
      for (int k = 1; k <= free; k++) {
        all[k]++;
        if (!held) {
          atLeast[k]++;
        }
      }
    }

    void change(int before, int after, boolean heldBefore, boolean heldAfter) {
      grow(Math.max(before, after));
      for (int k = 1; k <= before; k++) {
        all[k]--;
        if (!heldBefore) {
          atLeast[k]--;
        }
      }
      for (int k = 1; k <= after; k++) {
        all[k]++;
        if (!heldAfter) {
          atLeast[k]++;
        }
      }
    }

    private void grow(int free) {
      if (free >= atLeast.length) {
        atLeast = java.util.Arrays.copyOf(atLeast, free + 1);
        all = java.util.Arrays.copyOf(all, free + 1);
      }
    }

    int fitting(int gpus, boolean includeHeld) {
      int[] counts = includeHeld ? all : atLeast;
      return gpus < counts.length ? counts[gpus] : 0;
    }
  }

  private static final class Pass {
    private final List<NodeState> nodes;
    private final Instant now;
    private final Duration backfillLimit;
    /** Free GPUs per node index and resource. */
    private final List<Map<String, Integer>> free = new ArrayList<>();
    /** Who holds a node (key), or null. */
    private final String[] heldBy;
    /** Nodes a waiting job of the current priority has picked to hold against lower priorities (not binding yet). */
    private final boolean[] picked;
    private final Map<String, Group> groups = new HashMap<>();
    /** Groups each node belongs to. */
    private final Map<Integer, List<Group>> groupsOf = new HashMap<>();
    private final Map<String, Integer> productIndex = new HashMap<>();
    private final Map<Long, Integer> waitingByMask = new HashMap<>();
    private Instant validUntil;

    Pass(List<NodeState> nodes, Instant now, Duration backfillLimit) {
      this.nodes = nodes;
      this.now = now;
      this.backfillLimit = backfillLimit;
      this.heldBy = new String[nodes.size()];
      this.picked = new boolean[nodes.size()];
      for (NodeState n : nodes) {
        Map<String, Integer> f = new HashMap<>();
        free.add(f);
        n.used().forEach((r, u) -> f.put(r, -u));
      }
    }

    private int free(int node, String resource) {
      return Math.max(0, allocatable(nodes.get(node).node(), resource) + free.get(node).getOrDefault(resource, 0));
    }

    private Group group(Demand d, String product) {
      String key = d.shape() + "|" + product;
      Group known = groups.get(key);
      if (known != null) {
        return known;
      }
      Group g = new Group(product, d.resource());
      for (int i = 0; i < nodes.size(); i++) {
        NodeState n = nodes.get(i);
        if (!product.equals(n.product()) || !GpuProductSelector.schedulable(n.node())
            || allocatable(n.node(), g.resource) < d.gpus() || NodeFilters.exclusion(d.spec(), n.node()).isPresent()) {
          continue;
        }
        g.members.add(i);
        g.add(free(i, g.resource), heldBy[i] != null);
        if (heldBy[i] == null && !picked[i]) {
          g.unclaimed++;
        }
        groupsOf.computeIfAbsent(i, k -> new ArrayList<>()).add(g);
      }
      groups.put(key, g);
      return g;
    }

    /** Changes a node's free GPUs of one resource and/or its hold, keeping every group's counts. */
    private void update(int node, String resource, int take, String holder) {
      for (Group g : groupsOf.getOrDefault(node, List.of())) {
        int before = free(node, g.resource);
        int after = g.resource.equals(resource) ? before - take : before;
        g.change(before, after, heldBy[node] != null, holder != null || heldBy[node] != null);
      }
      if (take != 0) {
        free.get(node).merge(resource, -take, Integer::sum);
      }
      if (holder != null && heldBy[node] == null) {
        claim(node);
        heldBy[node] = holder;
      }
    }

    /** The node is held or picked from now on: one fewer place for a further hold in each of its groups. */
    private void claim(int node) {
      if (heldBy[node] == null && !picked[node]) {
        for (Group g : groupsOf.getOrDefault(node, List.of())) {
          g.unclaimed--;
        }
      }
    }

    Decisions run(List<Demand> demands) {
      List<Demand> ordered = new ArrayList<>(demands);
      ordered.sort(ORDER);
      Map<String, Verdict> verdicts = new LinkedHashMap<>();
      Map<String, Demand> byKey = new HashMap<>();
      // Holds of jobs at the current priority that have not waited backfillLimit: they bind lower priorities only.
      List<Map.Entry<String, List<Integer>>> levelHolds = new ArrayList<>();
      Integer level = null;
      for (Demand d : ordered) {
        byKey.put(d.key(), d);
        if (level == null || d.priority() != level) {
          levelHolds.forEach(h -> h.getValue().forEach(n -> {
            update(n, null, 0, h.getKey());
            picked[n] = false;
          }));
          levelHolds.clear();
          level = d.priority();
        }
        Verdict v = admit(d);
        if (v == null) {
          boolean starving = !d.since().plus(backfillLimit).isAfter(now);
          if (!starving) {
            wakeAt(d.since().plus(backfillLimit));
          }
          List<Integer> held = hold(d);
          if (starving) {
            held.forEach(n -> update(n, null, 0, d.key()));
          } else {
            held.forEach(n -> {
              claim(n);
              picked[n] = true;
            });
            levelHolds.add(Map.entry(d.key(), held));
          }
          v = waiting(d, byKey);
        }
        verdicts.put(d.key(), v);
      }
      return new Decisions(verdicts, validUntil);
    }

    private void wakeAt(Instant at) {
      if (validUntil == null || at.isBefore(validUntil)) {
        validUntil = at;
      }
    }

    /** The first product (in the job's order) with enough free, unheld nodes: best fit, fewest free GPUs first. */
    private Verdict admit(Demand d) {
      for (String product : d.products()) {
        Group g = group(d, product);
        if (g.fitting(d.gpus(), false) < d.nodes()) {
          continue;
        }
        List<Integer> chosen = g.members.stream().filter(i -> heldBy[i] == null && free(i, g.resource) >= d.gpus())
            .sorted(Comparator.comparingInt((Integer i) -> free(i, g.resource)).thenComparing(i -> nodes.get(i).name()))
            .limit(d.nodes()).toList();
        chosen.forEach(i -> update(i, g.resource, d.gpus(), null));
        return Verdict.admitted(product, chosen.stream().map(i -> nodes.get(i).name()).sorted().toList());
      }
      return null;
    }

    /** The nodes nearest to free for the job: of the product whose best nodes have the most free GPUs. */
    private List<Integer> hold(Demand d) {
      List<Integer> best = List.of();
      int bestFree = -1;
      for (String product : d.products()) {
        Group g = group(d, product);
        if (g.unclaimed == 0) {
          continue;
        }
        List<Integer> top = g.members.stream().filter(i -> heldBy[i] == null && !picked[i])
            .sorted(Comparator.comparingInt((Integer i) -> -free(i, g.resource)).thenComparing(i -> nodes.get(i).name()))
            .limit(d.nodes()).toList();
        int total = top.stream().mapToInt(i -> free(i, g.resource)).sum();
        if (total > bestFree) {
          best = top;
          bestFree = total;
        }
      }
      return best;
    }

    private Verdict waiting(Demand d, Map<String, Demand> byKey) {
      long mask = mask(d);
      int ahead = 0;
      for (var e : waitingByMask.entrySet()) {
        if ((e.getKey() & mask) != 0) {
          ahead += e.getValue();
        }
      }
      waitingByMask.merge(mask, 1, Integer::sum);
      String aheadText = ahead == 0 ? "next in line" : ahead + (ahead == 1 ? " job" : " jobs") + " ahead";
      List<String> parts = new ArrayList<>();
      String reason = INSUFFICIENT_FREE_GPUS;
      String holder = null;
      for (String product : d.products()) {
        Group g = group(d, product);
        int fit = g.fitting(d.gpus(), false);
        int fitHeld = g.fitting(d.gpus(), true);
        parts.add(fit + " of " + g.members.size() + (g.members.size() == 1 ? " node" : " nodes") + " of " + product
            + (fit == 1 ? " has " : " have ") + d.gpus() + " free");
        if (holder == null && fitHeld >= d.nodes()) {
          holder = g.members.stream().filter(i -> heldBy[i] != null && free(i, g.resource) >= d.gpus())
              .map(i -> heldBy[i]).findFirst().orElse(null);
        }
      }
      String message = "Needs " + d.nodes() + " × " + d.gpus() + " " + d.resource() + " on "
          + String.join(" or ", d.products()) + ": " + String.join("; ", parts) + "; " + aheadText + ".";
      if (holder != null) {
        Demand first = byKey.get(holder);
        boolean higher = first != null && first.priority() > d.priority();
        reason = higher ? BEHIND_HIGHER_PRIORITY : BEHIND_OLDER_JOB;
        message += " Nodes where it would fit are held for " + holder
            + (higher ? " (priority " + first.priority() + " > " + d.priority() + ")"
                : first == null ? "" : ", which has waited since " + first.since() + ", longer than the backfill limit ("
                    + Times.text(backfillLimit) + ")")
            + ", so that they drain for it.";
      }
      return new Verdict(false, null, List.of(), reason, message, ahead + 1);
    }

    private long mask(Demand d) {
      long mask = 0;
      for (String product : d.products()) {
        int index = productIndex.computeIfAbsent(product, p -> productIndex.size());
        mask |= 1L << Math.min(index, 63);
      }
      return mask;
    }
  }

  /** Short durations for messages: 45s, 12m, 3h5m. */
  static final class Times {
    private Times() {}

    static String text(Duration d) {
      long s = Math.max(0, d.getSeconds());
      if (s < 60) {
        return s + "s";
      }
      if (s < 3600) {
        return (s / 60) + "m";
      }
      return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : (s % 3600 / 60) + "m");
    }
  }
}
