package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.redis.RedisConnector.Address;
import dev.mlops.operator.redis.RedisTopology.Server;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RedisPlanner's status from what the servers answer, and its writes when nothing changed. */
class RedisPlannerTest {

  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  static RedisInstance standalone() {
    RedisInstance ri = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: cache, namespace: platform, uid: u-1, generation: 1}
        spec: {resources: {limits: {memory: 1Gi}}}
        """, RedisInstance.class);
    return ri;
  }

  static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("platform")
        .withLabels(RedisResources.labels("cache")).endMetadata().build();
  }

  static Server master(String info) {
    return new Server("cache-0", 0, Optional.of(new Address("10.0.0.1", 6379)),
        new RedisProbe.Answer(Optional.of(RedisInfo.parse("role:master\nmaster_replid:" + "a".repeat(40)
            + "\nmaster_repl_offset:10\n" + info)), null));
  }

  /**
   * Every child the passes create until they create nothing more, as the caches would hold them (the
   * Secrets first: the StatefulSet comes in the pass after them).
   */
  static List<HasMetadata> children(RedisInstance ri, RedisPlanner.Plan first) {
    List<HasMetadata> children = new ArrayList<>();
    RedisPlanner.Plan plan = first;
    for (int pass = 0; pass < 5; pass++) {
      int before = children.size();
      for (RedisPlanner.Action a : plan.actions()) {
        if (a instanceof RedisPlanner.Create c) {
          children.add(c.child());
        } else if (a instanceof RedisPlanner.GenerateSecret g) {
          children.add(g.operator() ? RedisResources.operatorSecret(ri, "op") : RedisResources.generatedSecret(ri, "pw"));
        }
      }
      if (children.size() == before) {
        return children;
      }
      plan = RedisPlanner.plan(ri, new RedisPlanner.Observed(children, List.of(), Optional.empty(), List.of()), NOW);
    }
    throw new AssertionError("the passes keep creating children");
  }

  @Test
  void memoryNearTheLimitAndAFailedSaveAreDegradedWithEveryReasonInTheMessage() {
    RedisInstance ri = standalone();
    var first = RedisPlanner.plan(ri, new RedisPlanner.Observed(List.of(), List.of(), Optional.empty(), List.of()), NOW);
    assertThat(first.status().getPhase()).isEqualTo("Pending");
    Pod pod = pod("cache-0");
    var observed = new RedisPlanner.Observed(children(ri, first), List.of(pod), Optional.empty(),
        List.of(master("used_memory:970000000\nmaxmemory:1000000000\nrdb_last_bgsave_status:err")));
    var plan = RedisPlanner.plan(ri, observed, NOW);
    assertThat(plan.status().getPhase()).isEqualTo("Degraded");
    var degraded = Conditions.find(plan.status().getConditions(), "Degraded").orElseThrow();
    assertThat(degraded.getReason()).isEqualTo("MemoryNearLimit");
    assertThat(degraded.getMessage()).contains("97% of maxmemory").contains("the last save failed");
    assertThat(plan.status().getLastSaveOk()).isFalse();
    assertThat(plan.status().getMaster()).isEqualTo("cache-0");
    assertThat(plan.actions()).as("only the role label: every child exists")
        .singleElement().isInstanceOf(RedisPlanner.SetRole.class);
  }

  @Test
  void aSecondPassOverTheSameObservationPlansNoWriteAndTheSameStatus() {
    RedisInstance ri = standalone();
    var first = RedisPlanner.plan(ri, new RedisPlanner.Observed(List.of(), List.of(), Optional.empty(), List.of()), NOW);
    Pod pod = pod("cache-0");
    pod.getMetadata().getLabels().put(RedisResources.ROLE_LABEL, "master");
    var observed = new RedisPlanner.Observed(children(ri, first), List.of(pod), Optional.empty(),
        List.of(master("used_memory:1000\nmaxmemory:805306368")));
    var serving = RedisPlanner.plan(ri, observed, NOW);
    assertThat(serving.status().getPhase()).isEqualTo("Ready");
    ri.setStatus(serving.status());
    var again = RedisPlanner.plan(ri, observed, NOW.plusSeconds(10));
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(again.status()).isEqualTo(serving.status());
    // Only the figures move: a progress-only change, written at most every 30 s.
    var moved = RedisPlanner.plan(ri, new RedisPlanner.Observed(observed.children(), observed.pods(), Optional.empty(),
        List.of(master("used_memory:2000\nmaxmemory:805306368"))), NOW.plusSeconds(20));
    assertThat(moved.status()).isNotEqualTo(serving.status());
    assertThat(RedisPlanner.progressOnly(serving.status(), moved.status())).isTrue();
  }

  @Test
  void anInvalidSpecIsSaidOnceAndStartsNothing() {
    RedisInstance ri = standalone();
    ri.getSpec().setMaxMemory("4Gi");
    var plan = RedisPlanner.plan(ri, new RedisPlanner.Observed(List.of(), List.of(), Optional.empty(), List.of()), NOW);
    assertThat(plan.status().getPhase()).isEqualTo("Invalid");
    assertThat(plan.status().getReason()).isEqualTo("InvalidSpec");
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.events()).singleElement().satisfies(e -> assertThat(e.message())
        .contains("spec.maxMemory must be at most spec.resources.limits.memory (1Gi), got 4Gi"));
    ri.setStatus(plan.status());
    assertThat(RedisPlanner.plan(ri, new RedisPlanner.Observed(List.of(), List.of(), Optional.empty(), List.of()),
        NOW.plusSeconds(5)).events()).isEmpty();
  }

  @Test
  void aMasterThatMissesAProbeKeepsItsLabelAndOneThatCameBackFencedLosesIt() {
    RedisInstance ri = standalone();
    var first = RedisPlanner.plan(ri, new RedisPlanner.Observed(List.of(), List.of(), Optional.empty(), List.of()), NOW);
    Pod pod = pod("cache-0");
    pod.getMetadata().getLabels().put(RedisResources.ROLE_LABEL, "master");
    Server silent = new Server("cache-0", 0, Optional.of(new Address("10.0.0.1", 6379)),
        new RedisProbe.Answer(Optional.empty(), "10.0.0.1:6379: Read timed out"));
    var missed = RedisPlanner.plan(ri, new RedisPlanner.Observed(children(ri, first), List.of(pod), Optional.empty(),
        List.of(silent)), NOW);
    assertThat(missed.actions()).noneMatch(a -> a instanceof RedisPlanner.SetRole);
    assertThat(Conditions.find(missed.status().getConditions(), "Ready").orElseThrow().getMessage())
        .contains("Read timed out");
    Server fenced = new Server("cache-0", 0, Optional.of(new Address("10.0.0.1", 6379)), new RedisProbe.Answer(
        Optional.of(RedisInfo.parse("role:slave\nmaster_host:10.0.0.9\nmaster_port:6379\n")), null));
    var other = RedisPlanner.plan(ri, new RedisPlanner.Observed(children(ri, first), List.of(pod), Optional.empty(),
        List.of(fenced)), NOW);
    assertThat(other.actions()).anyMatch(a -> a instanceof RedisPlanner.SetRole r && r.role().equals("none"));
  }

  @Test
  void aPodTheSchedulerCannotPlaceIsUnschedulableWithItsPendingClaimNotUnreachable() {
    RedisInstance ri = standalone();
    var first = RedisPlanner.plan(ri, new RedisPlanner.Observed(List.of(), List.of(), Optional.empty(), List.of()), NOW);
    Pod pod = new PodBuilder(pod("cache-0")).withNewSpec().addNewVolume().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("data-cache-0").endPersistentVolumeClaim().endVolume().endSpec()
        .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage("0/8 nodes are available: pod has unbound immediate"
            + " PersistentVolumeClaims. preemption: 0/8 nodes are available: 8 Preemption is not helpful for"
            + " scheduling.").endCondition().endStatus().build();
    var claim = new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("data-cache-0").withNamespace("platform").endMetadata().withNewSpec().withStorageClassName("local-ssd")
        .endSpec().withNewStatus().withPhase("Pending").endStatus().build();
    Server silent = new Server("cache-0", 0, Optional.empty(), null);
    var observed = new RedisPlanner.Observed(children(ri, first), List.of(pod), Optional.empty(), List.of(silent))
        .withClaims(List.of(claim));

    var plan = RedisPlanner.plan(ri, observed, NOW);
    assertThat(plan.status().getPhase()).isEqualTo("Pending");
    assertThat(plan.status().getReason()).isEqualTo("PodsUnschedulable");
    var ready = Conditions.find(plan.status().getConditions(), "Ready").orElseThrow();
    assertThat(ready.getMessage()).startsWith("Pod cache-0 cannot be scheduled: 0/8 nodes are available: pod has"
        + " unbound immediate PersistentVolumeClaims").contains("claim data-cache-0 is Pending with storage class"
        + " local-ssd").doesNotContain("unreachable");
    assertThat(plan.events()).extracting(dev.mlops.operator.kind.KindPlan.KindEvent::reason).contains("PodsUnschedulable");
    ri.setStatus(plan.status());
    assertThat(RedisPlanner.plan(ri, observed, NOW.plusSeconds(10)).events()).as("said once").isEmpty();

    // A pod whose container does not start: the kubelet's reason.
    Pod pulling = new PodBuilder(pod("cache-0")).withNewStatus().withPhase("Pending").addNewContainerStatus()
        .withName("redis").withNewState().withNewWaiting().withReason("ImagePullBackOff")
        .withMessage("Back-off pulling image \"redis:7.9\"").endWaiting().endState().endContainerStatus().endStatus()
        .build();
    var notStarted = RedisPlanner.plan(ri, new RedisPlanner.Observed(observed.children(), List.of(pulling),
        Optional.empty(), List.of(silent)), NOW.plusSeconds(20));
    assertThat(notStarted.status().getReason()).isEqualTo("PodsNotStarted");
    assertThat(Conditions.find(notStarted.status().getConditions(), "Ready").orElseThrow().getMessage())
        .isEqualTo("Pod cache-0 does not start: ImagePullBackOff: Back-off pulling image \"redis:7.9\".");
  }
}
