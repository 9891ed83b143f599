package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.common.EventRecorder;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.PruningItemStore;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Action;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeletePod;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Plan;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin loop around {@link TrainingJobPlanner}: observe the children from the informer caches,
 * plan, write the status if (and only if) it changed, apply the planned child writes, record events.
 */
@ControllerConfiguration(name = TrainingJobReconciler.NAME)
public class TrainingJobReconciler implements Reconciler<TrainingJob> {

  public static final String NAME = "trainingjob";
  public static final String CREATE_FAILED = "CreateFailed";
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJobReconciler.class);

  private final Clock clock;
  private final EventRecorder events;
  private final AtomicLong reconciles = new AtomicLong();
  private final ProgressWrites progressWrites;
  private final TrainingJobMetrics metrics;
  private InformerEventSource<Job, TrainingJob> jobs;
  private InformerEventSource<Service, TrainingJob> services;
  private InformerEventSource<Node, TrainingJob> nodes;
  private final java.util.concurrent.atomic.AtomicLong nodeGeneration = new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Map<String, Integer>> poolCounts = new java.util.concurrent.ConcurrentHashMap<>();

  public TrainingJobReconciler(KubernetesClient client, Clock clock, TrainingJobMetrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
    this.events = new EventRecorder(client, clock);
    this.progressWrites = new ProgressWrites(clock, Duration.ofSeconds(1));
  }

  /** What the primary informer keeps of a TrainingJob. */
  public static TrainingJob pruneForCache(TrainingJob tj) {
    return CachePruning.trainingJob(tj);
  }

  /**
   * GPU pools for a new job, counted once per kind of spec and state of the Nodes rather than by
   * walking every Node for every job (a burst of 1,000 jobs on 4,000 nodes was 4 million Node checks).
   */
  private Map<String, Integer> gpuPools(TrainingJobSpec spec) {
    String key = nodeGeneration.get() + "|" + GpuProductSelector.poolsKey(spec);
    if (poolCounts.size() > 256) {
      poolCounts.clear();
    }
    return poolCounts.computeIfAbsent(key, k -> GpuProductSelector.pools(spec, nodes.list(n -> true).toList()));
  }

  /** Counted pools; the explanation of a miss is rare (a job that cannot be placed) and walks the Nodes. */
  private final TrainingJobPlanner.GpuPools gpuPools = new TrainingJobPlanner.GpuPools() {
    @Override
    public Map<String, Integer> of(TrainingJobSpec spec) {
      return gpuPools(spec);
    }

    @Override
    public String exclusions(TrainingJobSpec spec) {
      return GpuProductSelector.exclusions(spec, nodes.list(n -> true).toList());
    }
  };

  /** The Nodes JOSDK has indexed as secondaries of this job: none, whatever the job waited for (tests). */
  Set<Node> indexedNodes(TrainingJob tj) {
    return nodes.getSecondaryResources(tj);
  }

  /** Reconcile passes so far; tests use it to prove a resync happened while nothing was written. */
  public long reconcileCount() {
    return reconciles.get();
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> context) {
    SecondaryToPrimaryMapper<HasMetadata> byLabel = child -> {
      String owner = child.getMetadata().getLabels() == null ? null
          : child.getMetadata().getLabels().get(TrainingJobResources.JOB_LABEL);
      return owner == null ? Set.of() : Set.of(new ResourceID(owner, child.getMetadata().getNamespace()));
    };
    jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, TrainingJob.class)
        .withName("trainingjob-jobs").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(new PruningItemStore<>(CachePruning::job))
        .withSecondaryToPrimaryMapper(byLabel::toPrimaryResourceIDs).build(), context);
    services = new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, TrainingJob.class)
        .withName("trainingjob-services").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(new PruningItemStore<>(CachePruning::service))
        .withSecondaryToPrimaryMapper(byLabel::toPrimaryResourceIDs).build(), context);
    var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
        .withName("trainingjob-pods").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withItemStore(new PruningItemStore<>(CachePruning::pod))
        .withSecondaryToPrimaryMapper(byLabel::toPrimaryResourceIDs).build(), context);
    metrics.observe(() -> context.getPrimaryCache().list().toList());
    // Nodes wake only the jobs still waiting for a GPU product, and only when placement could change.
    SecondaryToPrimaryMapper<Node> waitingJobs = node -> {
      // Runs for every Node event that can change placement, after the cache took it and before the
      // jobs it wakes are reconciled: counts made before it are not reused after it.
      nodeGeneration.incrementAndGet();
      return context.getPrimaryCache().list(TrainingJobReconciler::waitsForGpuNodes)
          .map(ResourceID::fromResource).collect(Collectors.toSet());
    };
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, TrainingJob.class)
        .withName("trainingjob-nodes").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withItemStore(new PruningItemStore<>(CachePruning::node))
        .withSecondaryToPrimaryMapper(waitingJobs)
        // Reads go through nodes.list(), never getSecondaryResources: with a primary-to-secondary mapper
        // JOSDK keeps no index of Node -> waiting jobs. Its default index only ever adds entries for a
        // mapper whose answer changes with time, so every re-list of N nodes while M jobs wait would
        // leave N x M entries behind (680,000 at 1,000 jobs in the bench).
        .withPrimaryToSecondaryMapper(tj -> Set.of())
        .withOnUpdateFilter((next, previous) -> placementChanged(previous, next)).build(), context);
    return List.of(jobs, services, pods, nodes);
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob tj, Context<TrainingJob> context) {
    reconciles.incrementAndGet();
    Optional<Job> job = context.getSecondaryResource(Job.class);
    var observed = new TrainingJobPlanner.Observed(job, context.getSecondaryResource(Service.class),
        List.copyOf(context.getSecondaryResources(Pod.class)), gpuPools);
    Plan plan = TrainingJobPlanner.plan(tj, observed, clock.instant());

    TrainingJob current = tj;
    Optional<Duration> deferred = Optional.empty();
    if (!sameStatus(tj.getStatus(), plan.status())) {
      deferred = progressWrites.deferral(tj, plan.status());
      if (deferred.isEmpty()) {
        current = writeStatus(tj, plan.status(), context);
        progressWrites.written(tj);
        recordMetrics(tj, plan);
      }
    }
    KubernetesClient client = context.getClient();
    for (Action action : plan.actions()) {
      apply(client, current, action);
    }
    // Events go with the status change that carries them: while that write is held back, the stored
    // status is unchanged, the next pass plans the same change and records them then, once.
    if (deferred.isEmpty()) {
      for (var event : plan.events()) {
        events.record(current, event.type(), event.reason(), event.message());
      }
    }
    UpdateControl<TrainingJob> control = UpdateControl.noUpdate();
    Optional<Duration> wake = plan.requeueAfter();
    if (deferred.isPresent() && (wake.isEmpty() || deferred.get().compareTo(wake.get()) < 0)) {
      wake = deferred;
    }
    wake.ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * The one place a TrainingJob's status is written: a fresh object with name, namespace, the
   * observed resourceVersion (a stale decision fails with 409 and is re-planned) and the status.
   */
  private TrainingJob writeStatus(TrainingJob tj, TrainingJobStatus status, Context<TrainingJob> context) {
    TrainingJob fresh = new TrainingJob();
    fresh.setMetadata(new ObjectMetaBuilder().withName(tj.getMetadata().getName())
        .withNamespace(tj.getMetadata().getNamespace())
        .withResourceVersion(tj.getMetadata().getResourceVersion()).build());
    fresh.setStatus(status);
    TrainingJob updated = context.getClient().resource(fresh).updateStatus();
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(tj), updated, tj);
    return updated;
  }

  private void apply(KubernetesClient client, TrainingJob tj, Action action) {
    String ns = tj.getMetadata().getNamespace();
    if (action instanceof CreateService create) {
      Service svc = withOwnerUid(create.service(), tj);
      createIfAbsent(tj, "headless Service", () -> services.handleRecentResourceCreate(ResourceID.fromResource(svc),
          client.services().inNamespace(ns).resource(svc).create()));
    } else if (action instanceof CreateJob create) {
      Job job = withOwnerUid(create.job(), tj);
      createIfAbsent(tj, "Job", () -> jobs.handleRecentResourceCreate(ResourceID.fromResource(job),
          client.batch().v1().jobs().inNamespace(ns).resource(job).create()));
    } else if (action instanceof DeleteJob delete) {
      client.batch().v1().jobs().inNamespace(ns).withName(delete.job().getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    } else if (action instanceof DeleteService delete) {
      client.services().inNamespace(ns).withName(delete.service().getMetadata().getName()).delete();
    } else if (action instanceof DeletePod delete) {
      client.pods().inNamespace(ns).withName(delete.pod().getMetadata().getName()).delete();
    }
  }

  private void recordMetrics(TrainingJob before, Plan plan) {
    plan.events().stream().map(TrainingJobPlanner.Event::reason)
        .filter(r -> r.equals("WorkerFailed") || r.equals("WorkerDisrupted")).forEach(metrics::restarted);
    boolean wasRunning = before.getStatus() != null && TrainingJobPhase.RUNNING.equals(before.getStatus().getPhase());
    if (!wasRunning && TrainingJobPhase.RUNNING.equals(plan.status().getPhase()) && plan.status().getAttempt() == 1) {
      metrics.firstRunning(before, clock.instant());
    }
  }

  /** The desired objects are built before the uid may be known (render); stamp it here. */
  private static <T extends HasMetadata> T withOwnerUid(T child, TrainingJob tj) {
    child.getMetadata().getOwnerReferences().forEach(ref -> ref.setUid(tj.getMetadata().getUid()));
    return child;
  }

  private void createIfAbsent(TrainingJob tj, String what, Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        if (e.getCode() >= 400 && e.getCode() < 500) {
          // Refused (RBAC, an admission webhook, a quota): say it where the user looks; retried with backoff.
          // Keyed on what and the status code: the server's text may quote changing figures (quota usage).
          String refusal = e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage() : e.getMessage();
          events.record(tj, "Warning", CREATE_FAILED, what + " refused with HTTP " + e.getCode(),
              "Could not create the " + what + ": " + refusal);
        }
        throw e;
      }
      // Already there: a previous pass created it and the cache has not caught up. Nothing to do.
      LOG.debug("child already exists: {}", e.getMessage());
    }
  }

  static boolean sameStatus(TrainingJobStatus before, TrainingJobStatus after) {
    if (before == null) {
      return after == null;
    }
    return Objects.equals(Serialization.asJson(before), Serialization.asJson(after));
  }

  /** Still choosing a GPU product: not finished, wants GPUs (or a fixed product), none recorded yet. */
  static boolean waitsForGpuNodes(TrainingJob tj) {
    var st = tj.getStatus();
    if (st != null && (st.getGpuProduct() != null || TrainingJobPhase.isFinished(st.getPhase()))) {
      return false;
    }
    var spec = tj.getSpec();
    return spec != null && ((spec.getGpusPerNode() != null && spec.getGpusPerNode() > 0)
        || (spec.getGpu() != null && spec.getGpu().getProduct() != null));
  }

  private static boolean placementChanged(Node previous, Node next) {
    return !Objects.equals(previous.getMetadata().getLabels(), next.getMetadata().getLabels())
        || !Objects.equals(previous.getSpec() == null ? null : previous.getSpec().getUnschedulable(),
            next.getSpec() == null ? null : next.getSpec().getUnschedulable())
        || !Objects.equals(previous.getSpec() == null ? null : previous.getSpec().getTaints(),
            next.getSpec() == null ? null : next.getSpec().getTaints())
        || !Objects.equals(previous.getStatus() == null ? null : previous.getStatus().getAllocatable(),
            next.getStatus() == null ? null : next.getStatus().getAllocatable())
        || !Objects.equals(ready(previous), ready(next));
  }

  private static String ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus()).findFirst().orElse(null);
  }
}
