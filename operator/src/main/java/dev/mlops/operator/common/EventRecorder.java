package dev.mlops.operator.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about custom resources, deduplicated like Kubernetes' own recorder
 * (client-go's EventCorrelator): the same object, type, reason and message within {@link #WINDOW}
 * is one Event whose {@code count} rises and {@code lastTimestamp} advances, so a failure retried
 * with backoff (a refused create) does not leave an Event per retry. Callers still emit only on a
 * transition where they can; this is the floor under them.
 *
 * <p>What was recorded is remembered in memory only: after a restart the first repeat creates a new
 * Event, as Kubernetes' recorder does.
 */
public class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "mlops-operator";
  /** How long a repeat still counts as the same Event; client-go keeps aggregating for 10 minutes too. */
  public static final Duration WINDOW = Duration.ofMinutes(10);
  /**
   * Events remembered for counting. An entry is ~200 bytes; 4,096 covers every job of a busy cluster
   * failing at once, and an evicted entry only means one extra Event, never a lost one.
   */
  static final int REMEMBERED = 4096;

  private record Recorded(String namespace, String name, int count, Instant last) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Recorded> recorded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
      return size() > REMEMBERED;
    }
  };

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(HasMetadata about, String type, String reason, String message) {
    record(about, type, reason, message, message);
  }

  /**
   * As above, counting repeats by {@code messageKey} instead of the message, for messages that vary
   * while saying the same thing (a quota refusal quotes the current usage). The Event shows the
   * latest message.
   */
  public void record(HasMetadata about, String type, String reason, String messageKey, String message) {
    Instant now = clock.instant();
    String key = key(about, type, reason, messageKey);
    Recorded previous;
    synchronized (recorded) {
      previous = recorded.get(key);
    }
    try {
      Recorded next = previous != null && now.isBefore(previous.last().plus(WINDOW))
          ? repeat(previous, message, now).orElseGet(() -> create(about, type, reason, message, now))
          : create(about, type, reason, message, now);
      synchronized (recorded) {
        recorded.put(key, next);
      }
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to write one must not fail the reconcile.
      LOG.warn("could not record event {} for {}: {}", reason, about.getMetadata().getName(),
          dev.mlops.operator.runtime.ErrorText.oneLine(e));
    }
  }

  /** The count and lastTimestamp of the stored Event, raised; empty when it is gone (expired or deleted). */
  private Optional<Recorded> repeat(Recorded previous, String message, Instant now) {
    int count = previous.count() + 1;
    String patch = Serialization.asJson(Map.of("count", count, "lastTimestamp", Times.format(now), "message", message));
    try {
      // Patched through an object naming the Event: by name alone the client reads it first, which
      // needs a get permission the operator has no other use for.
      Event target = new EventBuilder().withNewMetadata().withName(previous.name())
          .withNamespace(previous.namespace()).endMetadata().build();
      client.v1().events().inNamespace(previous.namespace()).resource(target)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return Optional.of(new Recorded(previous.namespace(), previous.name(), count, now));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Recorded create(HasMetadata about, String type, String reason, String message, Instant now) {
    String ns = about.getMetadata().getNamespace();
    String time = Times.format(now);
    Event event = new EventBuilder()
        .withNewMetadata().withGenerateName(about.getMetadata().getName() + ".").withNamespace(ns).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion()).withKind(about.getKind())
            .withName(about.getMetadata().getName()).withNamespace(ns)
            .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
            .build())
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    Event created = client.v1().events().inNamespace(ns).resource(event).create();
    return new Recorded(ns, created.getMetadata().getName(), 1, now);
  }

  private static String key(HasMetadata about, String type, String reason, String message) {
    String object = about.getMetadata().getUid() != null ? about.getMetadata().getUid()
        : about.getKind() + "/" + about.getMetadata().getNamespace() + "/" + about.getMetadata().getName();
    return object + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
  }
}
