package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class SpecFingerprintTest {

  @Test
  void aLockedFieldChangedInANewGenerationIsFoundAndTheRememberedAnswerFollowsTheGeneration() {
    TrainingJob tj = gpuJob("fp", 2, 8);
    Job job = TrainingJobResources.desiredJob(tj, "A100", 1);
    assertThat(SpecFingerprint.changedFields(job, tj)).isEmpty();
    assertThat(SpecFingerprint.changedFields(job, tj)).isEmpty();

    TrainingJob edited = Serialization.clone(tj);
    edited.getSpec().setImage("other:1");
    edited.getSpec().setNodes(4);
    edited.getMetadata().setGeneration(2L);
    assertThat(SpecFingerprint.changedFields(job, edited)).containsExactly("image", "nodes");
    // The same answer as working it out afresh from the spec alone.
    assertThat(SpecFingerprint.changedFields(job, edited.getSpec())).containsExactly("image", "nodes");
    // Another job with the same name and generation but its own uid gets its own answer.
    TrainingJob other = Serialization.clone(edited);
    other.getMetadata().setUid("uid-other");
    other.getSpec().setImage(tj.getSpec().getImage());
    assertThat(SpecFingerprint.changedFields(job, other)).containsExactly("nodes");
  }
}
