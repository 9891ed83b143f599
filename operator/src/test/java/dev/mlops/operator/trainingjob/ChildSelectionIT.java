package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.fresh;
import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each kind's informers select its own children: a Pod the operator manages for another kind (here
 * labelled as a NasVolume's, with the same owner name as a TrainingJob) is neither cached nor handed
 * to the TrainingJob controller; the TrainingJob's own workers are, and only they. The NasVolume
 * controller, for its part, caches that pod and none of the workers.
 */
class ChildSelectionIT {

  @Test
  void anotherKindsChildIsNotCached() {
    try (OperatorHarness h = OperatorHarness.manual()) {
      h.create(fresh(gpuJob("data", 2, 8)));
      h.awaitPhase("data", TrainingJobPhase.RUNNING);
      Pod foreign = new PodBuilder().withNewMetadata().withName("data-benchmark").withNamespace(OperatorHarness.NS)
          .addToLabels("app.kubernetes.io/managed-by", "mlops-operator").addToLabels("mlops.dev/nasvolume", "data")
          .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
          .build();
      h.client.resource(foreign).create();
      var reconciler = h.operator().trainingJobs();
      await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.cachedChildren(Pod.class).size() == 2);
      // Give the informer time to see the foreign pod, were it selected.
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      assertThat(reconciler.cachedChildren(Pod.class)).hasSize(2).noneMatch(name -> name.endsWith("/data-benchmark"));
      // And the other way round: the NasVolume controller caches the pod labelled as its own, not the workers.
      var volumes = h.operator().controller(dev.mlops.operator.nas.NasVolumeReconciler.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> volumes.cachedChildren(Pod.class).size() == 1);
      assertThat(volumes.cachedChildren(Pod.class)).containsExactly(OperatorHarness.NS + "/data-benchmark");
    }
  }
}
