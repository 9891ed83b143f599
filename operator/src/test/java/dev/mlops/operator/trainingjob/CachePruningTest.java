package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The informer caches keep what the planner reads and drop the bulk. */
class CachePruningTest {

  @Test
  void prunedWorkerPodKeepsEverythingThePlannerReads() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    Job job = TrainingJobResources.desiredJob(tj, "P", 1);
    Pod pod = new PodBuilder().withNewMetadataLike(job.getSpec().getTemplate().getMetadata()).withName("llama-0-x")
        .addToAnnotations(TrainingJobResources.COMPLETION_INDEX_ANNOTATION, "0").endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec()).editSpec().withNodeName("n0").endSpec()
        .withNewStatus().withPhase("Failed").addNewCondition().withType("DisruptionTarget").withStatus("True")
        .withReason("EvictionByEvictionAPI").endCondition()
        .addNewContainerStatus().withName("worker").withNewState().withNewTerminated().withExitCode(137)
        .withReason("OOMKilled").endTerminated().endState().endContainerStatus().endStatus().build();
    int before = io.fabric8.kubernetes.client.utils.Serialization.asJson(pod).length();

    Pod pruned = CachePruning.pod(pod);
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(pruned).length()).isLessThan(before / 3);
    assertThat(pruned.getSpec().getNodeName()).isEqualTo("n0");
    assertThat(WorkerPods.attempt(pruned)).isEqualTo(1);
    assertThat(WorkerPods.index(pruned)).isZero();
    assertThat(WorkerPods.disruption(pruned)).isPresent();
    assertThat(WorkerPods.termination(pruned).orElseThrow().getExitCode()).isEqualTo(137);
  }

  @Test
  void prunedJobKeepsLabelsFingerprintAndStatus() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    Job job = new JobBuilder(TrainingJobResources.desiredJob(tj, "P", 3)).withNewStatus().addNewCondition()
        .withType("Failed").withStatus("True").endCondition().endStatus().build();
    Job pruned = CachePruning.job(job);
    assertThat(pruned.getSpec().getTemplate()).isNull();
    assertThat(TrainingJobPlanner.jobAttempt(pruned)).isEqualTo(3);
    assertThat(TrainingJobPlanner.jobProduct(pruned)).isEqualTo("P");
    assertThat(TrainingJobPlanner.jobCondition(pruned, "Failed")).isTrue();
    assertThat(SpecFingerprint.changedFields(pruned, tj.getSpec())).isEmpty();
  }

  @Test
  void prunedNodesChooseTheSameProduct() {
    Node node = new NodeBuilder().withNewMetadata().withName("n").addToLabels("nvidia.com/gpu.product", "P")
        .addToAnnotations("big", "x".repeat(1000)).endMetadata()
        .withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8"))
        .addNewImage().withNames("nvcr.io/nvidia/pytorch:24.05-py3").withSizeBytes(20_000_000_000L).endImage()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition().endStatus().build();
    Node pruned = CachePruning.node(node);
    assertThat(pruned.getStatus().getImages()).isEmpty();
    assertThat(pruned.getMetadata().getAnnotations()).isEmpty();
    assertThat(GpuProductSelector.choose(gpuJob("j", 1, 8).getSpec(), List.of(pruned)).product()).isEqualTo("P");
  }

  @Test
  void aFailedCreateEventKeepsItsMessageAndAnyOtherEventOnlyItsIdentity() {
    var refusal = new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("llama.1")
        .withNamespace("ml-team").withManagedFields(new io.fabric8.kubernetes.api.model.ManagedFieldsEntry())
        .endMetadata().withReason("FailedCreate").withMessage("Error creating: serviceaccount \"trainer\" not found")
        .withNewInvolvedObject().withKind("Job").withName("llama").withUid("u-1").endInvolvedObject()
        .withLastTimestamp("2026-12-07T10:00:00Z").build();
    var kept = CachePruning.event(refusal);
    org.assertj.core.api.Assertions.assertThat(kept.getMessage()).contains("trainer");
    org.assertj.core.api.Assertions.assertThat(kept.getInvolvedObject().getUid()).isEqualTo("u-1");
    org.assertj.core.api.Assertions.assertThat(kept.getLastTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
    org.assertj.core.api.Assertions.assertThat(kept.getMetadata().getManagedFields()).isNull();

    var other = new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("llama.2")
        .withNamespace("ml-team").endMetadata().withReason("AttemptStarted").withMessage("Created attempt 1")
        .withNewInvolvedObject().withKind("TrainingJob").withName("llama").endInvolvedObject().build();
    var shrunk = CachePruning.event(other);
    org.assertj.core.api.Assertions.assertThat(shrunk.getMessage()).isNull();
    org.assertj.core.api.Assertions.assertThat(shrunk.getInvolvedObject()).isNull();
    org.assertj.core.api.Assertions.assertThat(shrunk.getMetadata().getName()).isEqualTo("llama.2");
  }
}
