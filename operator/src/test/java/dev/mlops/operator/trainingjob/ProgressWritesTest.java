package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.MutableClock;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.api.v1alpha1.WorkerCounts;
import dev.mlops.operator.common.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class ProgressWritesTest {

  private static TrainingJobStatus status(String phase, int ready, String runningReason) {
    return status(phase, ready, runningReason, "False");
  }

  private static TrainingJobStatus status(String phase, int ready, String runningReason, String running) {
    TrainingJobStatus s = new TrainingJobStatus();
    s.setPhase(phase);
    WorkerCounts w = new WorkerCounts();
    w.setReady(ready);
    s.setWorkers(w);
    s.setConditions(new ArrayList<>());
    Conditions.set(s.getConditions(), "Running", running, runningReason, ready + " of 4 workers running", 1L, "t");
    return s;
  }

  @Test
  void countsAndWordingAreProgressButPhasesAndConditionStatusesAreDecisions() {
    assertThat(ProgressWrites.progressOnly(status("Starting", 1, "WorkersStarting"), status("Starting", 2, "WorkersStarting")))
        .isTrue();
    assertThat(ProgressWrites.progressOnly(status("Starting", 1, "GpuProductSelected"), status("Starting", 1, "Scheduled")))
        .isTrue();
    assertThat(ProgressWrites.progressOnly(status("Starting", 3, "WorkersStarting"), status("Running", 4, "WorkersStarting")))
        .isFalse();
    assertThat(ProgressWrites.progressOnly(status("Running", 4, "AllWorkersRunning", "True"),
        status("Running", 3, "WorkerLost", "False"))).isFalse();
  }

  @Test
  void progressIsWrittenAtMostOncePerIntervalButDecisionsAtOnce() {
    var clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    ProgressWrites writes = new ProgressWrites(clock, Duration.ofSeconds(1));
    TrainingJob tj = gpuJob("j", 4, 8);
    tj.setStatus(status("Starting", 1, "WorkersStarting"));
    assertThat(writes.deferral(tj, status("Starting", 2, "WorkersStarting"))).isEmpty();
    writes.written(tj);
    clock.now = clock.now.plusMillis(300);
    assertThat(writes.deferral(tj, status("Starting", 2, "WorkersStarting"))).contains(Duration.ofMillis(700));
    assertThat(writes.deferral(tj, status("Running", 4, "AllWorkersRunning"))).isEmpty();
    clock.now = clock.now.plusMillis(800);
    assertThat(writes.deferral(tj, status("Starting", 2, "WorkersStarting"))).isEmpty();
  }

  @Test
  void aClockSteppedBackDoesNotHoldProgressBackLongerThanOneInterval() {
    var clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    ProgressWrites writes = new ProgressWrites(clock, Duration.ofSeconds(1));
    TrainingJob tj = gpuJob("j", 4, 8);
    tj.setStatus(status("Starting", 1, "WorkersStarting"));
    writes.written(tj);
    clock.now = clock.now.minusSeconds(30);
    assertThat(writes.deferral(tj, status("Starting", 2, "WorkersStarting"))).isEmpty();
  }

  private static TrainingJobStatus queued(int position) {
    TrainingJobStatus s = status("Queued", 0, "InsufficientFreeGpus");
    var queue = new dev.mlops.operator.api.v1alpha1.QueueStatus();
    queue.setPosition(position);
    queue.setSince("2026-11-28T09:00:00Z");
    s.setQueue(queue);
    return s;
  }

  /** When the head of a long queue is admitted, every job behind it moves up: at most one write per job per 30 s. */
  @Test
  void aQueuedJobsPlaceIsWrittenAtMostEveryThirtySeconds() {
    var clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    ProgressWrites writes = new ProgressWrites(clock, Duration.ofSeconds(1));
    TrainingJob tj = gpuJob("j", 4, 8);
    tj.setStatus(queued(5));
    assertThat(ProgressWrites.progressOnly(queued(5), queued(4))).isTrue();
    writes.written(tj);
    clock.now = clock.now.plusSeconds(2);
    assertThat(writes.deferral(tj, queued(4))).contains(Duration.ofSeconds(28));
    assertThat(writes.deferral(tj, status("Starting", 0, "WorkersStarting"))).as("admission is written at once").isEmpty();
    clock.now = clock.now.plusSeconds(28);
    assertThat(writes.deferral(tj, queued(3))).isEmpty();
  }
}
