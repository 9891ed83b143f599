package dev.mlops.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.MutableClock;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events are aggregated like Kubernetes' recorder does it, on the operator's clock. */
class EventRecorderTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private EmbeddedApiServer server;
  private KubernetesClient client;
  private final MutableClock clock = new MutableClock(T0);
  private EventRecorder recorder;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer();
    client = server.newClient();
    recorder = new EventRecorder(client, clock);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static TrainingJob job(String name) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ml-team").withUid("uid-" + name).build());
    return tj;
  }

  private List<Event> events() {
    return client.v1().events().inNamespace("ml-team").list().getItems().stream()
        .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName())).toList();
  }

  @Test
  void theSameEventRepeatedIsOneEventWithARisingCount() {
    recorder.record(job("a"), "Warning", "CreateFailed", "Could not create the Job: forbidden");
    clock.now = T0.plusSeconds(5);
    recorder.record(job("a"), "Warning", "CreateFailed", "Could not create the Job: forbidden");
    clock.now = T0.plusSeconds(65);
    recorder.record(job("a"), "Warning", "CreateFailed", "Could not create the Job: forbidden");

    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(3);
      assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
      assertThat(e.getLastTimestamp()).isEqualTo("2026-12-01T10:01:05Z");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-a");
    });
  }

  @Test
  void anotherMessageReasonOrObjectIsAnotherEvent() {
    recorder.record(job("a"), "Warning", "CreateFailed", "Could not create the Job: forbidden");
    recorder.record(job("a"), "Warning", "CreateFailed", "Could not create the Job: quota exceeded");
    recorder.record(job("a"), "Warning", "InvalidSpec", "Could not create the Job: forbidden");
    recorder.record(job("b"), "Warning", "CreateFailed", "Could not create the Job: forbidden");
    assertThat(events()).hasSize(4).allMatch(e -> e.getCount() == 1);
  }

  @Test
  void aRepeatAfterTheWindowStartsANewEvent() {
    recorder.record(job("a"), "Normal", "Running", "All 2 workers are running");
    clock.now = T0.plus(EventRecorder.WINDOW).plusSeconds(1);
    recorder.record(job("a"), "Normal", "Running", "All 2 workers are running");
    assertThat(events()).hasSize(2).extracting(Event::getCount).containsExactly(1, 1);
    assertThat(events().get(1).getFirstTimestamp()).isEqualTo("2026-12-01T10:10:01Z");
  }

  @Test
  void anEventDeletedMeanwhileIsRecreatedNotLost() {
    recorder.record(job("a"), "Warning", "CreateFailed", "forbidden");
    client.v1().events().inNamespace("ml-team").delete();
    clock.now = T0.plus(Duration.ofSeconds(10));
    recorder.record(job("a"), "Warning", "CreateFailed", "forbidden");
    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void aMessageThatVariesUnderOneKeyIsCountedOnOneEventShowingTheLatest() {
    recorder.record(job("a"), "Warning", "CreateFailed", "Job refused with HTTP 403", "exceeded quota: used pods=10");
    clock.now = T0.plusSeconds(30);
    recorder.record(job("a"), "Warning", "CreateFailed", "Job refused with HTTP 403", "exceeded quota: used pods=12");
    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(2);
      assertThat(e.getMessage()).isEqualTo("exceeded quota: used pods=12");
    });
  }
}
