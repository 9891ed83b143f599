package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.OperatorHarness.NS;
import static dev.mlops.operator.trainingjob.TrainingJobs.fresh;
import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle a user sees, driven through the real operator and a simulated control plane. */
class TrainingJobLifecycleIT {

  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.manual();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void createStartsRunsAndSucceeds() {
    h.create(fresh(gpuJob("llama-ft", 4, 8)));
    List<String> phases = new CopyOnWriteArrayList<>();
    var watch = h.tj("llama-ft").watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, TrainingJob resource) {
        if (resource.getStatus() != null && resource.getStatus().getPhase() != null
            && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(resource.getStatus().getPhase()))) {
          phases.add(resource.getStatus().getPhase());
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    });
    TrainingJob running = h.awaitPhase("llama-ft", TrainingJobPhase.RUNNING);
    assertThat(running.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(running.getStatus().getAttempt()).isEqualTo(1);
    assertThat(running.getStatus().getWorkers().getReady()).isEqualTo(4);
    assertThat(running.getStatus().getGpus()).isEqualTo(32);
    assertThat(Conditions.isTrue(running.getStatus().getConditions(), "Running")).isTrue();
    assertThat(Conditions.isTrue(running.getStatus().getConditions(), "Schedulable")).isTrue();

    List<Pod> workers = h.pods("llama-ft", 1);
    assertThat(workers).hasSize(4);
    assertThat(workers).extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates()
        .allMatch(n -> n.startsWith("nvidia-a100-sxm4-80gb-"));
    assertThat(h.client.services().inNamespace(NS).withName("llama-ft").get().getSpec().getClusterIP()).isEqualTo("None");

    for (Pod worker : workers) {
      h.cluster.failPod(NS, worker.getMetadata().getName(), 0);
    }
    TrainingJob done = h.awaitPhase("llama-ft", TrainingJobPhase.SUCCEEDED);
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(Conditions.isTrue(done.getStatus().getConditions(), "Succeeded")).isTrue();
    assertThat(done.getStatus().getRestarts()).isZero();
    watch.close();
    assertThat(phases).containsSubsequence("Starting", "Running", "Succeeded");
  }
}
