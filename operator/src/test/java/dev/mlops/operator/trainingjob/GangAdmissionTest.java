package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.PodTemplateOverrides;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.trainingjob.GangAdmission.Demand;
import dev.mlops.operator.trainingjob.GangAdmission.NodeState;
import dev.mlops.operator.trainingjob.GangAdmission.Verdict;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admission decision: whole gangs on free GPUs, in order, with backfill and its starvation guard. */
class GangAdmissionTest {

  private static final String A100 = "NVIDIA-A100-SXM4-80GB";
  private static final String H100 = "NVIDIA-H100-80GB-HBM3";
  private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
  private static final Duration LIMIT = Duration.ofMinutes(10);

  private static Node node(String name, String product, int gpus, String... labels) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).addToLabels("nvidia.com/gpu.product", product)
        .addToLabels("kubernetes.io/hostname", name).endMetadata();
    Map<String, String> extra = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      extra.put(labels[i], labels[i + 1]);
    }
    return b.editMetadata().addToLabels(extra).endMetadata()
        .withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endStatus().build();
  }

  /** {@code count} nodes of a product with {@code gpus} each; {@code used[i]} GPUs in use on node i. */
  private static List<NodeState> pool(String product, int count, int gpus, int... used) {
    List<NodeState> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int u = i < used.length ? used[i] : 0;
      nodes.add(new NodeState(node(product.substring(7, 11).toLowerCase() + "-" + i, product, gpus),
          u == 0 ? Map.of() : Map.of("nvidia.com/gpu", u)));
    }
    return nodes;
  }

  private static Demand demand(String name, int nodes, int gpus, int priority, Instant created, Instant since,
      String... products) {
    return demand(gpuJob(name, nodes, gpus).getSpec(), name, priority, false, created, since, products);
  }

  private static Demand demand(TrainingJobSpec spec, String name, int priority, boolean restart, Instant created,
      Instant since, String... products) {
    return new Demand("ml-team/" + name, spec, List.of(products.length == 0 ? new String[] {A100} : products), priority,
        restart, created, since);
  }

  private static Map<String, Verdict> decide(List<NodeState> nodes, Instant now, Demand... demands) {
    var decisions = GangAdmission.decide(nodes, List.of(demands), now, LIMIT);
    assertThat(GangAdmission.invariantHolds(nodes, List.of(demands), decisions.verdicts())).isTrue();
    return decisions.verdicts();
  }

  @Test
  void aGangIsAdmittedWholeOnNodesWithFreeGpusOrNotAtAll() {
    // 4 nodes of 8: one busy with 2 GPUs. Two 3-node gangs of 8: the first fits on the three idle nodes, the second
    // does not fit at all (1 node left with 8 free, the busy one has 6).
    var verdicts = decide(pool(A100, 4, 8, 0, 2), T0,
        demand("first", 3, 8, 0, T0, T0), demand("second", 3, 8, 0, T0.plusSeconds(1), T0.plusSeconds(1)));
    assertThat(verdicts.get("ml-team/first").admitted()).isTrue();
    assertThat(verdicts.get("ml-team/first").nodes()).containsExactly("a100-0", "a100-2", "a100-3");
    Verdict second = verdicts.get("ml-team/second");
    assertThat(second.admitted()).isFalse();
    assertThat(second.reason()).isEqualTo("InsufficientFreeGpus");
    assertThat(second.position()).isEqualTo(1);
    assertThat(second.message()).isEqualTo("Needs 3 × 8 nvidia.com/gpu on " + A100 + ": 0 of 4 nodes of " + A100
        + " have 8 free; next in line.");
  }

  @Test
  void smallerGangsPackOntoBusyNodesBestFitFirst() {
    // Best fit: a 2 × 4 gang goes to the two nodes with exactly 4 free, keeping the idle ones whole.
    var verdicts = decide(pool(A100, 4, 8, 0, 4, 0, 4), T0, demand("small", 2, 4, 0, T0, T0));
    assertThat(verdicts.get("ml-team/small").nodes()).containsExactly("a100-1", "a100-3");
  }

  @Test
  void theOrderIsPriorityThenRestartsThenAge() {
    List<NodeState> one = pool(A100, 1, 8);
    Demand old = demand("old", 1, 8, 0, T0, T0);
    Demand urgent = demand("urgent", 1, 8, 1000, T0.plusSeconds(60), T0.plusSeconds(60));
    var verdicts = decide(one, T0.plusSeconds(61), old, urgent);
    assertThat(verdicts.get("ml-team/urgent").admitted()).isTrue();
    assertThat(verdicts.get("ml-team/old").admitted()).isFalse();

    // A job that ran and restarts (a worker crashed) goes ahead of an older job that never ran, at equal priority.
    Demand restart = demand(gpuJob("restarted", 1, 8).getSpec(), "restarted", 0, true, T0.plusSeconds(30),
        T0.plusSeconds(90));
    verdicts = decide(one, T0.plusSeconds(91), old, restart);
    assertThat(verdicts.get("ml-team/restarted").admitted()).isTrue();
    assertThat(verdicts.get("ml-team/old").admitted()).isFalse();
  }

  @Test
  void positionsCountOnlyJobsAheadThatWantTheSameProducts() {
    List<NodeState> nodes = new ArrayList<>(pool(A100, 2, 8, 8, 8));
    nodes.addAll(pool(H100, 2, 8, 8, 8));
    var verdicts = decide(nodes, T0.plusSeconds(10),
        demand("a1", 1, 8, 0, T0, T0, A100), demand("h1", 1, 8, 0, T0.plusSeconds(1), T0, H100),
        demand("a2", 1, 8, 0, T0.plusSeconds(2), T0, A100), demand("any", 1, 8, 0, T0.plusSeconds(3), T0, H100, A100));
    assertThat(verdicts.get("ml-team/a1").position()).isEqualTo(1);
    assertThat(verdicts.get("ml-team/h1").position()).isEqualTo(1);
    assertThat(verdicts.get("ml-team/a2").position()).isEqualTo(2);
    assertThat(verdicts.get("ml-team/any").position()).isEqualTo(4);
    assertThat(verdicts.get("ml-team/a2").message()).endsWith("; 1 job ahead.");
  }

  @Test
  void backfillLetsSmallJobsPassABigOneThatDoesNotFitUntilItHasWaitedTheLimit() {
    // 4 nodes, one busy. A 4-node gang cannot start; a 1-node gang behind it can, on an idle node (backfill).
    List<NodeState> nodes = pool(A100, 4, 8, 8);
    Demand big = demand("big", 4, 8, 0, T0, T0);
    Demand small = demand("small", 1, 8, 0, T0.plusSeconds(1), T0.plusSeconds(1));
    var early = GangAdmission.decide(nodes, List.of(big, small), T0.plusSeconds(60), LIMIT);
    assertThat(early.verdicts().get("ml-team/small").admitted()).as("backfill while the big job is young").isTrue();
    assertThat(early.validUntil()).as("decided again when the big job reaches the limit").isEqualTo(T0.plus(LIMIT));

    // Past the limit the big job holds the nodes nearest to free: nothing behind it at its priority takes them, so
    // the busy node's GPUs, once free, complete its gang instead of starting another small job.
    var late = decide(nodes, T0.plus(LIMIT).plusSeconds(1), big, small);
    Verdict held = late.get("ml-team/small");
    assertThat(held.admitted()).isFalse();
    assertThat(held.reason()).isEqualTo("QueuedBehindOlderJob");
    assertThat(held.message()).contains("held for ml-team/big, which has waited since 2026-12-08T10:00:00Z, longer than"
        + " the backfill limit (10m)");
    var drained = decide(pool(A100, 4, 8), T0.plus(LIMIT).plusSeconds(2), big, small);
    assertThat(drained.get("ml-team/big").admitted()).isTrue();
    assertThat(drained.get("ml-team/small").admitted()).isFalse();
  }

  @Test
  void aWaitingHigherPriorityJobHoldsItsNodesAgainstLowerPrioritiesAtOnce() {
    List<NodeState> nodes = pool(A100, 4, 8, 8);
    Demand high = demand("high", 4, 8, 1000, T0, T0);
    Demand low = demand("low", 1, 8, 0, T0.minusSeconds(600), T0.minusSeconds(600));
    var verdicts = decide(nodes, T0.plusSeconds(1), high, low);
    assertThat(verdicts.get("ml-team/low").admitted()).isFalse();
    assertThat(verdicts.get("ml-team/low").reason()).isEqualTo("QueuedBehindHigherPriority");
    assertThat(verdicts.get("ml-team/low").message()).contains("held for ml-team/high (priority 1000 > 0)");

    // Nodes the high job cannot use are not held: a lower job fits there.
    List<NodeState> more = new ArrayList<>(nodes);
    more.addAll(pool(H100, 1, 8));
    verdicts = decide(more, T0.plusSeconds(1), high, demand("low", 1, 8, 0, T0, T0, A100, H100));
    assertThat(verdicts.get("ml-team/low").admitted()).isTrue();
    assertThat(verdicts.get("ml-team/low").product()).isEqualTo(H100);
  }

  @Test
  void theProductIsChosenByFreeCapacityInTheOrderPreferred() {
    List<NodeState> nodes = new ArrayList<>(pool(H100, 2, 8, 8, 8));
    nodes.addAll(pool(A100, 2, 8));
    var verdicts = decide(nodes, T0, demand("pref", 2, 8, 0, T0, T0, H100, A100));
    assertThat(verdicts.get("ml-team/pref").product()).isEqualTo(A100);
    verdicts = decide(pool(H100, 2, 8), T0, demand("pref", 2, 8, 0, T0, T0, H100, A100));
    assertThat(verdicts.get("ml-team/pref").product()).isEqualTo(H100);
  }

  @Test
  void candidatesNeverLeaveThePreferredProductsWhileOneOfThemCanHoldTheGang() {
    TrainingJobSpec spec = gpuJob("p", 2, 8).getSpec();
    GpuSpec gpu = new GpuSpec();
    gpu.setPreferredProducts(List.of(H100, "NVIDIA-A100-SXM4-40GB"));
    spec.setGpu(gpu);
    assertThat(GpuProductSelector.candidates(spec, Map.of(H100, 2, A100, 8, "NVIDIA-A100-SXM4-40GB", 1)))
        .containsExactly(H100);
    assertThat(GpuProductSelector.candidates(spec, Map.of(H100, 1, A100, 8, "T4", 3))).containsExactly(A100, "T4");
  }

  @Test
  void theSpecsFiltersDecideWhichNodesCount() {
    List<NodeState> nodes = List.of(
        new NodeState(node("r1-a", A100, 8, "rack", "r1"), Map.of()),
        new NodeState(node("r1-b", A100, 8, "rack", "r1"), Map.of("nvidia.com/gpu", 8)),
        new NodeState(node("r2-a", A100, 8, "rack", "r2"), Map.of()),
        new NodeState(node("r2-b", A100, 8, "rack", "r2"), Map.of()));
    TrainingJobSpec spec = gpuJob("r1", 2, 8).getSpec();
    PodTemplateOverrides template = new PodTemplateOverrides();
    template.setNodeSelector(Map.of("rack", "r1"));
    spec.setPodTemplate(template);
    var verdicts = decide(nodes, T0, demand(spec, "r1", 0, false, T0, T0, A100));
    assertThat(verdicts.get("ml-team/r1").admitted()).as("rack r2 has room, but the selector rules it out").isFalse();
    assertThat(verdicts.get("ml-team/r1").message()).contains("1 of 2 nodes of " + A100 + " has 8 free");
  }

  /** The invariant on many random clusters and queues: no node ever gives more GPUs than it has free. */
  @Test
  void neverMoreGpusAdmittedThanFree() {
    Random random = new Random(19);
    int admittedGangs = 0;
    for (int round = 0; round < 300; round++) {
      List<NodeState> nodes = new ArrayList<>();
      int count = 1 + random.nextInt(30);
      for (int i = 0; i < count; i++) {
        String product = random.nextBoolean() ? A100 : H100;
        int gpus = random.nextBoolean() ? 8 : 4;
        nodes.add(new NodeState(node("n" + i, product, gpus), Map.of("nvidia.com/gpu", random.nextInt(gpus + 1))));
      }
      List<Demand> demands = new ArrayList<>();
      for (int j = 0; j < 1 + random.nextInt(40); j++) {
        Instant at = T0.plusSeconds(random.nextInt(3600));
        String[] products = random.nextBoolean() ? new String[] {A100} : new String[] {H100, A100};
        demands.add(demand(gpuJob("j" + j, 1 + random.nextInt(4), 1 + random.nextInt(8)).getSpec(), "j" + j,
            random.nextInt(3) * 100, random.nextInt(5) == 0, at, at, products));
      }
      var verdicts = GangAdmission.decide(nodes, demands, T0.plusSeconds(4000), LIMIT).verdicts();
      assertThat(GangAdmission.invariantHolds(nodes, demands, verdicts)).as("round " + round).isTrue();
      Set<String> keys = new HashSet<>();
      for (Demand d : demands) {
        Verdict v = verdicts.get(d.key());
        assertThat(keys.add(d.key())).isTrue();
        if (v.admitted()) {
          admittedGangs++;
          assertThat(v.nodes()).hasSize(d.nodes()).doesNotHaveDuplicates();
          assertThat(d.products()).contains(v.product());
        } else {
          assertThat(v.position()).isPositive();
        }
      }
    }
    assertThat(admittedGangs).as("the rounds admit something, or the check proves nothing").isGreaterThan(300);
  }
}
