package dev.mlops.operator.kind;

import dev.mlops.operator.common.EventRecorder;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.PruningItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The loop every kind shares, around the kind's pure planner: plan from observed state, write the
 * status if (and only if) it changed (compared with {@code equals}, never by serialising it), apply
 * the planned child writes, record the Events that go with the status change, and ask to be woken
 * when the plan says. A kind supplies {@link #plan} and its children's informers, built with
 * {@link #childInformer} so that each kind caches and wakes on its own children only.
 *
 * @param <P> the primary (the custom resource)
 * @param <S> its status class, with a field-by-field {@code equals}
 */
public abstract class KindReconciler<P extends CustomResource<?, S>, S> implements Reconciler<P> {

  /**
   * Objects per page of an informer's initial list (and of each re-list). Without a limit the API
   * server answers one list of every Pod or Node, which the client holds whole while it decodes it:
   * 20,000 Nodes did not fit in a 256 MiB heap.
   */
  public static final long INFORMER_LIST_LIMIT = 500;

  protected final Clock clock;
  protected final EventRecorder events;
  private final String childLabel;
  private final ProgressWrites<P, S> progressWrites;
  private final AtomicLong reconciles = new AtomicLong();
  private final java.util.List<InformerEventSource<?, P>> childInformers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.Map<String, InformerEventSource<?, P>> lateInformers = new java.util.HashMap<>();

  /**
   * @param childLabel     the label on every child, valued with the owner's name ({@code mlops.dev/trainingjob})
   * @param progressWrites how progress-only status changes are coalesced, or null to write every change at once
   */
  protected KindReconciler(KubernetesClient client, Clock clock, String childLabel, ProgressWrites<P, S> progressWrites) {
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
    this.childLabel = childLabel;
    this.progressWrites = progressWrites;
  }

  /** The kind's decision for one pass: pure, from the primary and what the context's caches hold. */
  protected abstract KindPlan<S> plan(P primary, Context<P> context);

  /** Called after a status write, with the primary as it was before it (metrics). */
  protected void statusWritten(P before, KindPlan<S> plan) {}

  /** Refreshes the kind's gauges before a scrape; none by default. */
  public void refreshMetrics() {}

  /** Reconcile passes so far; tests use it to prove a resync happened while nothing was written. */
  public long reconcileCount() {
    return reconciles.get();
  }

  @Override
  public final UpdateControl<P> reconcile(P primary, Context<P> context) {
    reconciles.incrementAndGet();
    UpdateControl<P> control = UpdateControl.noUpdate();
    apply(primary, plan(primary, context), context).ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * For a kind with a finalizer (its reconciler implements JOSDK's {@code Cleaner}): the same loop
   * on a primary being deleted. Writes the plan's status, children and Events like a reconcile;
   * the finalizer goes only when {@code done}, otherwise JOSDK calls again after the plan's wait.
   */
  protected final DeleteControl finishCleanup(P primary, Context<P> context, KindPlan<S> plan, boolean done) {
    reconciles.incrementAndGet();
    Optional<Duration> wake = apply(primary, plan, context);
    if (done) {
      return DeleteControl.defaultDelete();
    }
    DeleteControl control = DeleteControl.noFinalizerRemoval();
    wake.ifPresent(w -> control.rescheduleAfter(w.toMillis()));
    return control;
  }

  /** Status (if changed, and not held back), child writes, Events gated on the status write; when to look again. */
  private Optional<Duration> apply(P primary, KindPlan<S> plan, Context<P> context) {
    P current = primary;
    Optional<Duration> deferred = Optional.empty();
    if (!Objects.equals(primary.getStatus(), plan.status())) {
      deferred = progressWrites == null ? Optional.empty() : progressWrites.deferral(primary, plan.status());
      if (deferred.isEmpty()) {
        current = writeStatus(primary, plan.status(), context);
        if (progressWrites != null) {
          progressWrites.written(primary);
        }
        statusWritten(primary, plan);
      }
    }
    ChildWriter writer = new ChildWriter(context.getClient(), current, events);
    for (KindPlan.ChildAction action : plan.actions()) {
      action.apply(writer);
    }
    // Events go with the status change that carries them: while that write is held back, the stored
    // status is unchanged, the next pass plans the same change and records them then, once.
    if (deferred.isEmpty()) {
      for (KindPlan.KindEvent event : plan.events()) {
        events.record(current, event.type(), event.reason(), event.message());
      }
    }
    Optional<Duration> wake = plan.requeueAfter();
    if (deferred.isPresent() && (wake.isEmpty() || deferred.get().compareTo(wake.get()) < 0)) {
      wake = deferred;
    }
    return wake;
  }

  /**
   * The one place a status is written, for every kind: a fresh object with name, namespace, the
   * observed resourceVersion (a decision made on a stale cache fails with 409 and is re-planned) and
   * the status; the result is handed to the primary cache so the next pass does not plan it again.
   */
  @SuppressWarnings("unchecked")
  private P writeStatus(P primary, S status, Context<P> context) {
    P fresh;
    try {
      fresh = (P) primary.getClass().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(primary.getClass() + " needs a public no-argument constructor", e);
    }
    fresh.setMetadata(new ObjectMetaBuilder().withName(primary.getMetadata().getName())
        .withNamespace(primary.getMetadata().getNamespace())
        .withResourceVersion(primary.getMetadata().getResourceVersion()).build());
    fresh.setStatus(status);
    P updated = context.getClient().resource(fresh).updateStatus();
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(primary), updated, primary);
    return updated;
  }

  /**
   * An informer of this kind's children of one type: only objects managed by the operator and
   * labelled with this kind's label (never another kind's children), cached through {@code prune},
   * each waking the owner its label names.
   */
  protected final <R extends HasMetadata> InformerEventSource<R, P> childInformer(Class<R> type, Class<P> primaryType,
      String name, UnaryOperator<R> prune, EventSourceContext<P> context) {
    return childInformer(type, primaryType, name, prune, context, null);
  }

  /**
   * The same for a cluster-scoped child of a namespaced primary (a PersistentVolume): the owner's
   * namespace is the value of {@code ownerNamespaceLabel} on the child, and the informer watches the
   * whole cluster whatever namespaces the operator watches.
   */
  protected final <R extends HasMetadata> InformerEventSource<R, P> childInformer(Class<R> type, Class<P> primaryType,
      String name, UnaryOperator<R> prune, EventSourceContext<P> context, String ownerNamespaceLabel) {
    return childInformer(type, primaryType, name, new PruningItemStore<>(prune), context, ownerNamespaceLabel);
  }

  /** The same with the cache's store given (one that tells of its changes, see PruningItemStore#afterChange). */
  protected final <R extends HasMetadata> InformerEventSource<R, P> childInformer(Class<R> type, Class<P> primaryType,
      String name, PruningItemStore<R> store, EventSourceContext<P> context, String ownerNamespaceLabel) {
    var config = InformerEventSourceConfiguration.from(type, primaryType)
        .withName(name).withLabelSelector(Labels.MANAGED_SELECTOR + "," + childLabel)
        .withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(store)
        .withSecondaryToPrimaryMapper(child -> {
          var labels = child.getMetadata().getLabels();
          String owner = labels == null ? null : labels.get(childLabel);
          String namespace = ownerNamespaceLabel == null ? child.getMetadata().getNamespace()
              : labels == null ? null : labels.get(ownerNamespaceLabel);
          return owner == null ? Set.of() : Set.of(new ResourceID(owner, namespace));
        });
    if (ownerNamespaceLabel != null) {
      config = config.withWatchAllNamespaces().withFollowControllerNamespacesChanges(false);
    }
    InformerEventSource<R, P> informer = new InformerEventSource<>(config.build(), context);
    childInformers.add(informer);
    return informer;
  }

  /**
   * A child informer of a type whose CRD may be installed after the operator started (Argo's
   * Workflow): registered with the running controller on first use, once the caller knows the CRD is
   * there, and kept from then on. The same name gives the same informer.
   */
  protected final synchronized <R extends HasMetadata> InformerEventSource<R, P> lateChildInformer(Class<R> type,
      Class<P> primaryType, String name, UnaryOperator<R> prune, Context<P> context) {
    @SuppressWarnings("unchecked")
    InformerEventSource<R, P> known = (InformerEventSource<R, P>) lateInformers.get(name);
    if (known != null) {
      return known;
    }
    var retriever = context.eventSourceRetriever();
    InformerEventSource<R, P> informer = childInformer(type, primaryType, name, prune,
        retriever.eventSourceContextForDynamicRegistration());
    retriever.dynamicallyRegisterEventSource(informer);
    lateInformers.put(name, informer);
    return informer;
  }

  /** Names ({@code namespace/name}) of the objects of {@code type} this kind's child informers cache (tests). */
  public final java.util.List<String> cachedChildren(Class<? extends HasMetadata> type) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (InformerEventSource<?, P> informer : childInformers) {
      informer.list(o -> true).filter(type::isInstance)
          .forEach(o -> names.add(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()));
    }
    names.sort(null);
    return names;
  }
}
