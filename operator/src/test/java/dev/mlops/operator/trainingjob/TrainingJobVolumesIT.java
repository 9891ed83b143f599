package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.fresh;
import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.CheckpointSpec;
import dev.mlops.operator.api.v1alpha1.NasVolumeMount;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.nas.NasVolumeIT;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TrainingJob that mounts NasVolumes waits in Pending with VolumesReady=False naming each volume
 * that is missing or not Bound, starts by itself once they are, and mounts them, with the checkpoint
 * directory read-write at the same path in every worker (CHECKPOINT_DIR).
 */
class TrainingJobVolumesIT {

  static TrainingJob withVolumes(TrainingJob tj) {
    NasVolumeMount data = new NasVolumeMount();
    data.setNasVolume("imagenet");
    data.setMountPath("/data/imagenet");
    data.setReadOnly(true);
    CheckpointSpec checkpoint = new CheckpointSpec();
    checkpoint.setNasVolume("ckpt");
    tj.getSpec().setVolumes(List.of(data));
    tj.getSpec().setCheckpoint(checkpoint);
    return tj;
  }

  @Test
  void waitsForItsVolumesThenStartsAndMountsThem() {
    try (OperatorHarness h = OperatorHarness.manual()) {
      h.client.resource(new NamespaceBuilder().withNewMetadata().withName(OperatorHarness.NS)
          .addToLabels("mlops.dev/nas", "true").endMetadata().build()).create();
      h.client.resource(NasVolumeIT.server("flash-nas", "all-flash")).create();
      h.create(withVolumes(fresh(gpuJob("resnet", 2, 8))));

      TrainingJob waiting = h.awaitStatus("resnet", t -> Conditions.find(t.getStatus().getConditions(), "VolumesReady")
          .map(c -> c.getMessage().contains("NasVolume ckpt does not exist")).orElse(false));
      assertThat(waiting.getStatus().getPhase()).isEqualTo(TrainingJobPhase.PENDING);
      assertThat(Conditions.find(waiting.getStatus().getConditions(), "VolumesReady").orElseThrow().getMessage())
          .contains("NasVolume imagenet does not exist");
      assertThat(h.jobs("resnet")).as("no Job while its volumes are missing").isEmpty();

      h.client.resource(NasVolumeIT.volume(OperatorHarness.NS, "imagenet", "datasets/imagenet", true)).create();
      // A read-only volume cannot hold checkpoints: the job says so and keeps waiting.
      h.client.resource(NasVolumeIT.volume(OperatorHarness.NS, "ckpt", "checkpoints/vision", true)).create();
      h.awaitStatus("resnet", t -> Conditions.find(t.getStatus().getConditions(), "VolumesReady")
          .map(c -> c.getMessage().contains("NasVolume ckpt is read-only")).orElse(false));
      assertThat(h.jobs("resnet")).isEmpty();

      h.client.resources(dev.mlops.operator.api.v1alpha1.NasVolume.class).inNamespace(OperatorHarness.NS).withName("ckpt")
          .delete();
      h.client.resource(NasVolumeIT.volume(OperatorHarness.NS, "ckpt-rw", "checkpoints/vision", false)).create();
      h.tj("resnet").edit(t -> {
        t.getSpec().getCheckpoint().setNasVolume("ckpt-rw");
        return t;
      });
      TrainingJob running = h.awaitPhase("resnet", TrainingJobPhase.RUNNING);
      assertThat(Conditions.isTrue(running.getStatus().getConditions(), "VolumesReady")).isTrue();

      PodSpec pod = h.pods("resnet").get(0).getSpec();
      assertThat(pod.getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
          && v.getPersistentVolumeClaim().getClaimName().equals("imagenet"));
      assertThat(pod.getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
          && v.getPersistentVolumeClaim().getClaimName().equals("ckpt-rw"));
      var worker = pod.getContainers().get(0);
      assertThat(worker.getVolumeMounts()).extracting(VolumeMount::getMountPath)
          .contains("/dev/shm", "/data/imagenet", "/checkpoints");
      VolumeMount checkpoint = worker.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/checkpoints"))
          .findFirst().orElseThrow();
      assertThat(checkpoint.getSubPath()).as("the same directory in every attempt").isEqualTo("resnet");
      assertThat(checkpoint.getReadOnly()).isNotEqualTo(Boolean.TRUE);
      assertThat(worker.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
          .contains(org.assertj.core.groups.Tuple.tuple("CHECKPOINT_DIR", "/checkpoints"));

      // An OOM-killed worker restarts the gang: attempt 2 mounts the very same checkpoint directory.
      h.cluster.failPod(OperatorHarness.NS, h.worker("resnet", 1, 1).getMetadata().getName(), 137);
      h.awaitStatus("resnet", t -> t.getStatus().getAttempt() == 2 && TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase()));
      for (var p : h.pods("resnet", 2)) {
        var mount = p.getSpec().getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/checkpoints")).findFirst().orElseThrow();
        assertThat(mount.getSubPath()).isEqualTo("resnet");
        assertThat(p.getSpec().getVolumes()).anyMatch(v -> v.getName().equals(mount.getName())
            && v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName().equals("ckpt-rw"));
      }
    }
  }
}
