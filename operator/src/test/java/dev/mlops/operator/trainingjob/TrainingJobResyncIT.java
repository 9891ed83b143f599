package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.fresh;
import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.SimulatedCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Level-triggered means idempotent: a resync of a settled job writes nothing at all. */
class TrainingJobResyncIT {

  @Test
  void noOpResyncMakesZeroApiWrites() {
    try (OperatorHarness h = new OperatorHarness(
        new SimulatedCluster.Settings(Duration.ofMillis(100), null, Duration.ofMillis(50)),
        NodePool.DEFAULT, Duration.ofMillis(500))) {
      h.create(fresh(gpuJob("idle", 2, 8)));
      h.create(fresh(gpuJob("waiting", 8, 8)));
      h.awaitPhase("idle", TrainingJobPhase.RUNNING);
      h.awaitStatus("waiting", t -> t.getStatus().getConditions().stream()
          .anyMatch(c -> "InsufficientGpuNodes".equals(c.getReason())));
      // Let the last status write and event land, then measure a quiet window.
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      h.operatorRequests.reset();
      long passesBefore = h.operator().trainingJobs().reconcileCount();

      await().pollDelay(Duration.ofSeconds(3)).until(() -> true);

      long passes = h.operator().trainingJobs().reconcileCount() - passesBefore;
      assertThat(passes).as("resync passes in the window").isGreaterThanOrEqualTo(4);
      assertThat(h.operatorRequests.writes()).as("writes during resync: " + h.operatorRequests.snapshot()).isZero();
    }
  }
}
