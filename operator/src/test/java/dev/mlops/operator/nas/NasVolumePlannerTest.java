package dev.mlops.operator.nas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The NasVolume planner alone: pure decisions from observed state. */
class NasVolumePlannerTest {

  static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
  static final Map<String, String> ALLOWED = Map.of("mlops.dev/nas", "true");

  static NasVolume volume() {
    NasVolume nv = NasVolumeIT.volume("ml-team", "imagenet", "datasets/imagenet", true);
    nv.getMetadata().setGeneration(1L);
    nv.getMetadata().setUid("nv-uid");
    return nv;
  }

  static NasVolumePlanner.Observed observed(Optional<PersistentVolume> pv, Optional<PersistentVolumeClaim> pvc) {
    NasServer server = NasVolumeIT.server("flash-nas", "all-flash");
    return new NasVolumePlanner.Observed(Optional.of(server), Optional.of(ALLOWED), pv, pvc, List.of(), List.of());
  }

  static NasVolumePlanner.Plan plan(NasVolume nv, NasVolumePlanner.Observed observed) {
    return NasVolumePlanner.plan(nv, observed, NOW, "img");
  }

  @Test
  void aNewVolumePlansItsPvAndClaimAndWaitsForBinding() {
    var plan = plan(volume(), observed(Optional.empty(), Optional.empty()));
    assertThat(plan.actions()).hasSize(2).hasAtLeastOneElementOfType(NasVolumePlanner.CreateVolume.class)
        .hasAtLeastOneElementOfType(NasVolumePlanner.CreateClaim.class);
    assertThat(plan.status().getPhase()).isEqualTo("Pending");
    assertThat(Conditions.find(plan.status().getConditions(), "Ready").orElseThrow().getReason())
        .isEqualTo("WaitingForBinding");
  }

  @Test
  void boundOnlyWhenKubernetesBoundTheClaimAndASettledVolumePlansNothing() {
    NasVolume nv = volume();
    var first = plan(nv, observed(Optional.empty(), Optional.empty()));
    PersistentVolume pv = ((NasVolumePlanner.CreateVolume) first.actions().get(0)).volume();
    PersistentVolumeClaim pvc = ((NasVolumePlanner.CreateClaim) first.actions().get(1)).claim();
    nv.setStatus(first.status());
    var unbound = plan(nv, observed(Optional.of(pv), Optional.of(pvc)));
    assertThat(unbound.actions()).isEmpty();
    assertThat(unbound.status().getPhase()).isEqualTo("Pending");

    pvc.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
    var bound = plan(nv, observed(Optional.of(pv), Optional.of(pvc)));
    assertThat(bound.status().getPhase()).isEqualTo("Bound");
    assertThat(bound.events()).extracting(NasVolumePlanner.Event::reason).containsExactly("Bound");

    nv.setStatus(bound.status());
    var again = plan(nv, observed(Optional.of(pv), Optional.of(pvc)));
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(again.status()).as("nothing changed, nothing to write").isEqualTo(nv.getStatus());
  }

  @Test
  void aClaimBoundToAnotherVolumeIsLostAndSaysWhatToDo() {
    NasVolume nv = volume();
    var first = plan(nv, observed(Optional.empty(), Optional.empty()));
    PersistentVolume pv = ((NasVolumePlanner.CreateVolume) first.actions().get(0)).volume();
    PersistentVolumeClaim pvc = ((NasVolumePlanner.CreateClaim) first.actions().get(1)).claim();
    pvc.getSpec().setVolumeName("someone-elses-pv");
    var lost = plan(nv, observed(Optional.of(pv), Optional.of(pvc)));
    assertThat(lost.status().getPhase()).isEqualTo("Lost");
    assertThat(lost.events()).extracting(NasVolumePlanner.Event::type).containsExactly("Warning");
    assertThat(Conditions.find(lost.status().getConditions(), "Ready").orElseThrow().getMessage())
        .contains("volumeName someone-elses-pv");
  }

  @Test
  void theRefusalIsSaidOnceNotOnEveryPass() {
    NasVolume nv = volume();
    var refused = NasVolumePlanner.plan(nv, new NasVolumePlanner.Observed(Optional.of(NasVolumeIT.server("flash-nas", "hdd")),
        Optional.of(Map.of()), Optional.empty(), Optional.empty(), List.of(), List.of()), NOW, "img");
    assertThat(refused.actions()).isEmpty();
    assertThat(refused.events()).extracting(NasVolumePlanner.Event::reason).containsExactly("NamespaceNotAllowed");
    nv.setStatus(refused.status());
    var again = NasVolumePlanner.plan(nv, new NasVolumePlanner.Observed(Optional.of(NasVolumeIT.server("flash-nas", "hdd")),
        Optional.of(Map.of()), Optional.empty(), Optional.empty(), List.of(), List.of()), NOW, "img");
    assertThat(again.events()).isEmpty();
  }

  @Test
  void theDataIsNeverTouchedRetainPlansNoDeletion() {
    NasVolume nv = volume();
    var first = plan(nv, observed(Optional.empty(), Optional.empty()));
    PersistentVolume pv = ((NasVolumePlanner.CreateVolume) first.actions().get(0)).volume();
    PersistentVolumeClaim pvc = ((NasVolumePlanner.CreateClaim) first.actions().get(1)).claim();
    var retain = NasVolumePlanner.cleanup(nv, observed(Optional.of(pv), Optional.of(pvc)), List.of("p"), NOW);
    assertThat(retain.actions()).isEmpty();
    assertThat(retain.finalizerMayGo()).isTrue();
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");

    nv.getSpec().setDeletionPolicy("Delete");
    var waiting = NasVolumePlanner.cleanup(nv, observed(Optional.of(pv), Optional.of(pvc)), List.of("trainer-0"), NOW);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.finalizerMayGo()).isFalse();
    assertThat(waiting.requeueAfter()).contains(NasVolumePlanner.DELETION_RECHECK);
    var deleting = NasVolumePlanner.cleanup(nv, observed(Optional.of(pv), Optional.of(pvc)), List.of(), NOW);
    assertThat(deleting.actions()).hasSize(2).allMatch(a -> a instanceof NasVolumePlanner.DeleteClaim
        || a instanceof NasVolumePlanner.DeleteVolume);
    assertThat(deleting.finalizerMayGo()).isTrue();
  }

  @Test
  void aBenchmarkResultIsReadFromTheTerminationMessageOnly() {
    assertThat(NasBenchmarkJob.result("{\"writeMiBps\":2450.5,\"readMiBps\":3120.0}")).hasValueSatisfying(r -> {
      assertThat(r[0]).isEqualTo(2450.5);
      assertThat(r[1]).isEqualTo(3120.0);
    });
    assertThat(NasBenchmarkJob.result("write: dd: No space left on device")).isEmpty();
    assertThat(NasBenchmarkJob.result(null)).isEmpty();
    assertThat(NasBenchmarkJob.jobName("a".repeat(63), "1")).hasSizeLessThanOrEqualTo(63).endsWith(
        "-bench-" + NasBenchmarkJob.runHash("1"));
  }

  @Test
  void aBenchmarkJobThatFailsWithoutAResultSaysWhy() {
    NasVolume nv = NasVolumeIT.volume("ml-team", "scratch", "scratch", false);
    nv.getMetadata().setGeneration(1L);
    var bench = new dev.mlops.operator.api.v1alpha1.NasBenchmark();
    bench.setEnabled(true);
    nv.getSpec().setBenchmark(bench);
    var first = plan(nv, observed(Optional.empty(), Optional.empty()));
    PersistentVolume pv = ((NasVolumePlanner.CreateVolume) first.actions().get(0)).volume();
    PersistentVolumeClaim pvc = ((NasVolumePlanner.CreateClaim) first.actions().get(1)).claim();
    pvc.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
    var started = plan(nv, observed(Optional.of(pv), Optional.of(pvc)));
    var job = started.actions().stream().filter(NasVolumePlanner.CreateBenchmark.class::isInstance)
        .map(a -> ((NasVolumePlanner.CreateBenchmark) a).job()).findFirst().orElseThrow();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(NasBenchmarkJob.DEADLINE_SECONDS);
    nv.setStatus(started.status());
    job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition().withType("Failed")
        .withStatus("True").withReason("DeadlineExceeded").withMessage("Job was active longer than specified deadline")
        .endCondition().build());
    var failed = NasVolumePlanner.plan(nv, new NasVolumePlanner.Observed(Optional.of(NasVolumeIT.server("flash-nas", "hdd")),
        Optional.of(ALLOWED), Optional.of(pv), Optional.of(pvc), List.of(job), List.of()), NOW, "img");
    assertThat(failed.status().getBenchmark().getState()).isEqualTo("Failed");
    assertThat(failed.status().getBenchmark().getMessage()).contains("DeadlineExceeded");
    assertThat(failed.actions()).hasAtLeastOneElementOfType(NasVolumePlanner.DeleteBenchmark.class);
  }

  @Test
  void aRetainedPvOfAnotherSpecIsNeverReusedItSaysWhatToDo() {
    NasVolume old = volume();
    var first = plan(old, observed(Optional.empty(), Optional.empty()));
    PersistentVolume oldPv = ((NasVolumePlanner.CreateVolume) first.actions().get(0)).volume();
    PersistentVolumeClaim oldClaim = ((NasVolumePlanner.CreateClaim) first.actions().get(1)).claim();
    oldClaim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
    // Deleted with Retain, then created again under the same name with another path and writable.
    NasVolume again = NasVolumeIT.volume("ml-team", "imagenet", "datasets/other-team", false);
    again.getMetadata().setGeneration(1L);
    var plan = plan(again, observed(Optional.of(oldPv), Optional.of(oldClaim)));
    assertThat(plan.status().getPhase()).isEqualTo("Lost");
    assertThat(plan.actions()).as("no mount option patch, nothing created or deleted").isEmpty();
    String message = Conditions.find(plan.status().getConditions(), "Ready").orElseThrow().getMessage();
    assertThat(message).contains("/export/ml/datasets/imagenet read-only").contains("/export/ml/datasets/other-team read-write")
        .contains("delete claim imagenet");
    assertThat(plan.events()).extracting(NasVolumePlanner.Event::reason).containsExactly("VolumeMismatch");
  }

  @Test
  void aClaimTheOperatorDidNotMakeIsLeftAloneAndNoPvIsMade() {
    var plan = NasVolumePlanner.plan(volume(), new NasVolumePlanner.Observed(
        Optional.of(NasVolumeIT.server("flash-nas", "all-flash")), Optional.of(ALLOWED), Optional.empty(),
        Optional.empty(), List.of(), List.of(), true), NOW, "img");
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().getPhase()).isEqualTo("Pending");
    assertThat(Conditions.find(plan.status().getConditions(), "Ready").orElseThrow().getReason()).isEqualTo("ClaimConflict");
  }
}
