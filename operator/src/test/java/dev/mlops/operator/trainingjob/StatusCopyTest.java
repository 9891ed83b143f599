package dev.mlops.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.api.v1alpha1.WorkerCounts;
import dev.mlops.operator.api.v1alpha1.WorkerFailure;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner copies the stored status on every pass field by field, and the loop compares statuses
 * with {@code equals}: both must cover every field, including one added later.
 */
class StatusCopyTest {

  static TrainingJobStatus full() {
    TrainingJobStatus st = new TrainingJobStatus();
    st.setPhase("Running");
    st.setReason("AllWorkersRunning");
    st.setGpuProduct("NVIDIA-A100-SXM4-80GB");
    st.setGpus(16);
    var queue = new dev.mlops.operator.api.v1alpha1.QueueStatus();
    queue.setPosition(3);
    queue.setSince("2026-12-01T09:00:00Z");
    st.setQueue(queue);
    st.setAttempt(2);
    st.setRestarts(1);
    st.setFailures(1);
    WorkerCounts w = new WorkerCounts();
    w.setActive(2);
    w.setReady(2);
    w.setSucceeded(0);
    w.setFailed(0);
    st.setWorkers(w);
    st.setStartTime("2026-12-01T10:00:00Z");
    st.setCompletionTime("2026-12-01T11:00:00Z");
    WorkerFailure f = new WorkerFailure();
    f.setWorker(1);
    f.setExitCode(137);
    f.setReason("OOMKilled");
    f.setMessage("out of memory");
    f.setTime("2026-12-01T10:30:00Z");
    f.setAttempt(1);
    st.setLastFailure(f);
    st.setObservedGeneration(3L);
    st.setConditions(new ArrayList<>(List.of(new ConditionBuilder().withType("Running").withStatus("True")
        .withReason("AllWorkersRunning").withMessage("m").withLastTransitionTime("2026-12-01T10:31:00Z")
        .withObservedGeneration(3L).build())));
    return st;
  }

  @Test
  void everyFieldIsSetInTheFixture() throws Exception {
    for (Object o : List.of(full(), full().getWorkers(), full().getLastFailure(), full().getQueue())) {
      for (Field field : o.getClass().getDeclaredFields()) {
        field.setAccessible(true);
        assertThat(field.get(o)).as(o.getClass().getSimpleName() + "." + field.getName()
            + " is not set here: set it, and copy and compare it").isNotNull();
      }
    }
  }

  @Test
  void theCopyIsEqualAndIndependent() {
    TrainingJobStatus original = full();
    TrainingJobStatus copy = TrainingJobPlanner.copy(original);
    assertThat(Serialization.asJson(copy)).isEqualTo(Serialization.asJson(original));
    assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
    copy.getWorkers().setReady(1);
    copy.getQueue().setPosition(1);
    copy.getLastFailure().setExitCode(1);
    copy.getConditions().get(0).setStatus("False");
    assertThat(original.getWorkers().getReady()).isEqualTo(2);
    assertThat(original.getQueue().getPosition()).isEqualTo(3);
    assertThat(original.getLastFailure().getExitCode()).isEqualTo(137);
    assertThat(original.getConditions().get(0).getStatus()).isEqualTo("True");
    assertThat(copy).isNotEqualTo(original);
  }

  @Test
  void equalsSeesEveryField() throws Exception {
    for (Field field : TrainingJobStatus.class.getDeclaredFields()) {
      TrainingJobStatus changed = full();
      field.setAccessible(true);
      field.set(changed, null);
      assertThat(changed).as("a status without " + field.getName()).isNotEqualTo(full());
    }
  }
}
