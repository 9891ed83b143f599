package dev.mlops.operator.kind;

import dev.mlops.operator.common.EventRecorder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child writes of one reconcile, the same for every kind: creates stamped with the owner's uid
 * (desired objects are built before it is known, e.g. by {@code render}), an "already exists" taken
 * as done (the cache had not caught up), any other refusal said as a Warning Event on the owner and
 * retried with backoff, and each create handed to its informer so the next pass sees it.
 */
public final class ChildWriter {

  /** The Event reason of a refused create. */
  public static final String CREATE_FAILED = "CreateFailed";
  private static final Logger LOG = LoggerFactory.getLogger(ChildWriter.class);

  private final KubernetesClient client;
  private final HasMetadata owner;
  private final EventRecorder events;

  ChildWriter(KubernetesClient client, HasMetadata owner, EventRecorder events) {
    this.client = client;
    this.owner = owner;
    this.events = events;
  }

  /**
   * Creates {@code child} unless it exists; {@code what} names it in a refusal ("headless Service").
   * {@code cache} is its informer, or null for a child read on demand (no informer watches it).
   */
  public <C extends HasMetadata> void createIfAbsent(String what, C child, InformerEventSource<C, ?> cache) {
    child.getMetadata().getOwnerReferences().forEach(ref -> ref.setUid(owner.getMetadata().getUid()));
    try {
      C created = client.resource(child).create();
      if (cache != null) {
        cache.handleRecentResourceCreate(ResourceID.fromResource(child), created);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        if (e.getCode() >= 400 && e.getCode() < 500) {
          // Refused (RBAC, an admission webhook, a quota): say it where the user looks; retried with backoff.
          // Keyed on what and the status code: the server's text may quote changing figures (quota usage).
          String refusal = e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage() : e.getMessage();
          events.record(owner, "Warning", CREATE_FAILED, what + " refused with HTTP " + e.getCode(),
              "Could not create the " + what + ": " + refusal);
        }
        throw e;
      }
      LOG.debug("child already exists: {}", e.getMessage());
    }
  }

  /**
   * Changes a child in place (a JSON patch of what {@code change} altered, from the object as the
   * server has it now) and hands the result to its informer; a child that is gone is left to the
   * next pass, which plans its creation.
   */
  @SuppressWarnings("unchecked")
  public <C extends HasMetadata> void edit(C child, InformerEventSource<C, ?> cache, java.util.function.UnaryOperator<C> change) {
    try {
      C updated = resource(child).edit(change);
      cache.handleRecentResourceUpdate(ResourceID.fromResource(child), updated, child);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      LOG.debug("child gone before its edit: {}", e.getMessage());
    }
  }

  /**
   * Sets one label the operator alone owns on a child (a JSON merge patch, without the optimistic
   * lock of {@link #edit}: the kubelet and the scheduler change a pod often, the label is still ours).
   */
  @SuppressWarnings("unchecked")
  public <C extends HasMetadata> void setLabel(C child, InformerEventSource<C, ?> cache, String key, String value) {
    String patch = io.fabric8.kubernetes.client.utils.Serialization.asJson(
        java.util.Map.of("metadata", java.util.Map.of("labels", java.util.Map.of(key, value))));
    try {
      C updated = resource(child).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
          io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
      if (cache != null) {
        cache.handleRecentResourceUpdate(ResourceID.fromResource(child), updated, child);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      LOG.debug("child gone before its label: {}", e.getMessage());
    }
  }

  /** The child by name, in its namespace, or cluster-wide for a cluster-scoped one (a PersistentVolume). */
  @SuppressWarnings("unchecked")
  private <C extends HasMetadata> io.fabric8.kubernetes.client.dsl.Resource<C> resource(C child) {
    var all = client.resources((Class<C>) child.getClass());
    String namespace = child.getMetadata().getNamespace();
    return namespace == null ? all.withName(child.getMetadata().getName())
        : all.inNamespace(namespace).withName(child.getMetadata().getName());
  }

  /** Deletes the child by name (a missing one is not an error); {@code propagation} null for the server's default. */
  public void delete(HasMetadata child, DeletionPropagation propagation) {
    var resource = resource(child);
    if (propagation == null) {
      resource.delete();
    } else {
      resource.withPropagationPolicy(propagation).delete();
    }
  }
}
