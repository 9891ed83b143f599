package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.redis.RedisResources;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.PruningItemStore;
import dev.mlops.operator.kind.ChildWriter;
import dev.mlops.operator.kind.KindPlan;
import dev.mlops.operator.kind.KindReconciler;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Action;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeletePod;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.DeleteService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Plan;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * TrainingJob on the shared loop ({@link KindReconciler}): observes the children from the informer
 * caches and plans with {@link TrainingJobPlanner}; the loop writes the status if it changed, applies
 * the planned child writes and records the events.
 */
@ControllerConfiguration(name = TrainingJobReconciler.NAME)
public class TrainingJobReconciler extends KindReconciler<TrainingJob, TrainingJobStatus> {

  public static final String NAME = "trainingjob";
  public static final String CREATE_FAILED = ChildWriter.CREATE_FAILED;

  private final TrainingJobMetrics metrics;
  private InformerEventSource<Job, TrainingJob> jobs;
  private InformerEventSource<Service, TrainingJob> services;
  private InformerEventSource<Node, TrainingJob> nodes;
  private InformerEventSource<Secret, TrainingJob> secrets;
  private InformerEventSource<RedisInstance, TrainingJob> redisInstances;
  private InformerEventSource<Namespace, TrainingJob> namespaces;
  private InformerEventSource<Event, TrainingJob> jobEvents;
  private InformerEventSource<Pod, TrainingJob> gpuPods;
  private InformerEventSource<PriorityClass, TrainingJob> priorityClasses;
  private final SimpleInboundEventSource<TrainingJob> admittedJobs = new SimpleInboundEventSource<>("trainingjob-admitted");
  private final GpuPodStore gpuPodStore = new GpuPodStore();
  private final java.util.concurrent.atomic.AtomicLong jobsVersion = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong seenPodVersion = new java.util.concurrent.atomic.AtomicLong(-1);
  private final AdmissionLedger ledger;
  private final KubernetesClient client;
  private volatile InformerEventSource<io.fabric8.kubernetes.api.model.GenericKubernetesResource, TrainingJob> workloads;
  /** Whether Kueue's Workload CRD is served: once it is, that is kept (the Workload informer starts then). */
  private volatile boolean kueueInstalled;
  private volatile java.time.Instant kueueCheckedAt = java.time.Instant.MIN;
  private volatile String kueueMissing;
  private IndexedResourceCacheView primaries;
  private final java.util.concurrent.atomic.AtomicLong nodeGeneration = new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Map<String, Integer>> poolCounts = new java.util.concurrent.ConcurrentHashMap<>();

  public TrainingJobReconciler(KubernetesClient client, Clock clock, TrainingJobMetrics metrics) {
    this(client, clock, metrics, dev.mlops.operator.runtime.OperatorSettings.DEFAULT_BACKFILL_LIMIT);
  }

  public TrainingJobReconciler(KubernetesClient client, Clock clock, TrainingJobMetrics metrics, Duration backfillLimit) {
    super(client, clock, TrainingJobResources.JOB_LABEL, new ProgressWrites(clock, Duration.ofSeconds(1)));
    this.metrics = metrics;
    this.client = client;
    this.ledger = new AdmissionLedger(new AdmissionLedger.Cluster() {
      @Override
      public java.util.Collection<Node> nodes() {
        return nodes.list(n -> true).toList();
      }

      @Override
      public java.util.Collection<Pod> gpuPods() {
        return gpuPodStore.values().toList();
      }

      @Override
      public java.util.Collection<Job> jobs() {
        return jobs.list(j -> true).toList();
      }

      @Override
      public long version() {
        return nodeGeneration.get() + gpuPodStore.version() + jobsVersion.get();
      }

      @Override
      public boolean active(String key) {
        String[] ns = key.split("/", 2);
        return primaries == null || primaries.active(new ResourceID(ns[1], ns[0]));
      }
    }, clock, backfillLimit, keys -> keys.forEach(key -> {
      String[] ns = key.split("/", 2);
      admittedJobs.propagateEvent(new ResourceID(ns[1], ns[0]));
    }), java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "trainingjob-admission");
      t.setDaemon(true);
      return t;
    }));
  }

  /** Whether a primary is in the cache and not finished or suspended (the ledger drops the places of the others). */
  private interface IndexedResourceCacheView {
    boolean active(ResourceID id);
  }

  /** The admission ledger (metrics, tests). */
  public AdmissionLedger ledger() {
    return ledger;
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

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> context) {
    primaries = id -> context.getPrimaryCache().get(id).map(tj -> (tj.getStatus() == null
        || !TrainingJobPhase.isFinished(tj.getStatus().getPhase())) && (tj.getSpec() == null
        || tj.getSpec().getRunPolicy() == null || !Boolean.TRUE.equals(tj.getSpec().getRunPolicy().getSuspend())))
        .orElse(false);
    jobs = childInformer(Job.class, TrainingJob.class, "trainingjob-jobs",
        new dev.mlops.operator.common.PruningItemStore<Job>(CachePruning::job).afterChange(() -> {
          jobsVersion.incrementAndGet();
          ledger.changed();
        }), context, null);
    services = childInformer(Service.class, TrainingJob.class, "trainingjob-services", CachePruning::service, context);
    var pods = childInformer(Pod.class, TrainingJob.class, "trainingjob-pods", CachePruning::pod, context);
    metrics.observe(() -> context.getPrimaryCache().list().toList());
    // Nodes wake only the jobs still waiting for a GPU product, and only when placement could change.
    SecondaryToPrimaryMapper<Node> waitingJobs = node -> {
      // Runs for every Node event that can change placement, after the cache took it and before the
      // jobs it wakes are reconciled: counts made before it are not reused after it.
      nodeGeneration.incrementAndGet();
      ledger.changed();
      return context.getPrimaryCache().list(TrainingJobReconciler::waitsForGpuNodes)
          .map(ResourceID::fromResource).collect(Collectors.toSet());
    };
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, TrainingJob.class)
        .withName("trainingjob-nodes").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new PruningItemStore<>(CachePruning::node))
        .withSecondaryToPrimaryMapper(waitingJobs)
        // Reads go through nodes.list(), never getSecondaryResources: with a primary-to-secondary mapper
        // JOSDK keeps no index of Node -> waiting jobs. Its default index only ever adds entries for a
        // mapper whose answer changes with time, so every re-list of N nodes while M jobs wait would
        // leave N x M entries behind (680,000 at 1,000 jobs in the bench).
        .withPrimaryToSecondaryMapper(tj -> Set.of())
        .withOnUpdateFilter((next, previous) -> placementChanged(previous, next)).build(), context);
    // NasVolumes wake the unfinished jobs that mount them, when their phase (or writability) changes.
    var nasVolumes = new InformerEventSource<>(InformerEventSourceConfiguration.from(NasVolume.class, TrainingJob.class)
        .withName("trainingjob-nasvolumes").withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new PruningItemStore<NasVolume>(nv -> nv, true))
        .withSecondaryToPrimaryMapper(nv -> context.getPrimaryCache()
            .list(tj -> nv.getMetadata().getNamespace().equals(tj.getMetadata().getNamespace()) && tj.getSpec() != null
                && TrainingJobResources.nasVolumes(tj.getSpec()).contains(nv.getMetadata().getName())
                && (tj.getStatus() == null || !TrainingJobPhase.isFinished(tj.getStatus().getPhase())))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> tj.getSpec() == null ? Set.of()
            : TrainingJobResources.nasVolumes(tj.getSpec()).stream()
                .map(n -> new ResourceID(n, tj.getMetadata().getNamespace())).collect(Collectors.toSet()))
        .withOnUpdateFilter((next, previous) -> !Objects.equals(phase(next), phase(previous))
            || !Objects.equals(next.getMetadata().getDeletionTimestamp(), previous.getMetadata().getDeletionTimestamp())
            || !Objects.equals(next.getSpec() == null ? null : next.getSpec().getReadOnly(),
                previous.getSpec() == null ? null : previous.getSpec().getReadOnly()))
        .build(), context);
    // The copies of bound RedisInstances' passwords, and the instances and namespace labels the bindings need.
    secrets = childInformer(Secret.class, TrainingJob.class, "trainingjob-secrets", x -> x, context);
    redisInstances = new InformerEventSource<>(InformerEventSourceConfiguration.from(RedisInstance.class, TrainingJob.class)
        .withName("trainingjob-redisinstances").withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new PruningItemStore<RedisInstance>(r -> r, true))
        .withSecondaryToPrimaryMapper(ri -> context.getPrimaryCache()
            .list(tj -> redisBindings(tj).contains(ResourceID.fromResource(ri))
                && (tj.getStatus() == null || !TrainingJobPhase.isFinished(tj.getStatus().getPhase())))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> redisBindings(tj))
        .build(), context);
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, TrainingJob.class)
        .withName("trainingjob-namespaces").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new PruningItemStore<Namespace>(Labels::namespaceLabelsOnly, true))
        .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache()
            .list(tj -> ns.getMetadata().getName().equals(tj.getMetadata().getNamespace()) && !redisBindings(tj).isEmpty())
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> Set.of(new ResourceID(tj.getMetadata().getNamespace())))
        .withOnUpdateFilter((next, previous) -> !Objects.equals(next.getMetadata().getLabels(),
            previous.getMetadata().getLabels()))
        .build(), context);
    // The Job controller's FailedCreate Events on the jobs' Jobs (the Job is named after its TrainingJob): a pod
    // the API server refused is otherwise seen nowhere but in the Job's Events. The server filters by field.
    jobEvents = new InformerEventSource<>(InformerEventSourceConfiguration.from(Event.class, TrainingJob.class)
        .withName("trainingjob-job-events").withInformerListLimit(INFORMER_LIST_LIMIT)
        .withFieldSelector(new FieldSelector(List.of(new FieldSelector.Field("involvedObject.kind", "Job"),
            new FieldSelector.Field("reason", TrainingJobPlanner.FAILED_CREATE))))
        .withItemStore(new PruningItemStore<>(CachePruning::event))
        .withSecondaryToPrimaryMapper(event -> isPodCreateRefusal(event)
            ? Set.of(new ResourceID(event.getInvolvedObject().getName(), event.getMetadata().getNamespace())) : Set.of())
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> Set.of())
        .build(), context);
    // Every bound pod of the cluster that requests GPUs (or another extended resource), of any owner: what is free
    // is allocatable minus these. Terminal pods are filtered by the server and dropped by the store.
    gpuPods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
        .withName("trainingjob-gpu-pods").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withInformerListLimit(INFORMER_LIST_LIMIT)
        .withFieldSelector(new FieldSelector(List.of(new FieldSelector.Field("status.phase", "Succeeded", true),
            new FieldSelector.Field("status.phase", "Failed", true))))
        .withItemStore(gpuPodStore)
        .withSecondaryToPrimaryMapper(pod -> {
          long version = gpuPodStore.version();
          if (seenPodVersion.getAndSet(version) != version) {
            ledger.changed();
          }
          return Set.of();
        })
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> Set.of())
        .build(), context);
    // PriorityClasses order the queue; a job naming one that is missing waits for it.
    priorityClasses = new InformerEventSource<>(InformerEventSourceConfiguration.from(PriorityClass.class, TrainingJob.class)
        .withName("trainingjob-priorityclasses").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withItemStore(new dev.mlops.operator.common.PruningItemStore<PriorityClass>(pc -> {
          pc.getMetadata().setManagedFields(null);
          pc.setDescription(null);
          return pc;
        }))
        .withSecondaryToPrimaryMapper(pc -> context.getPrimaryCache()
            .list(tj -> tj.getSpec() != null
                && pc.getMetadata().getName().equals(TrainingJobValidator.priorityClassName(tj.getSpec()))
                && (tj.getStatus() == null || !TrainingJobPhase.isFinished(tj.getStatus().getPhase())))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> Set.of())
        .build(), context);
    return List.of(jobs, services, pods, nodes, nasVolumes, secrets, redisInstances, namespaces, jobEvents, gpuPods,
        priorityClasses, admittedJobs);
  }

  /** Kept and read client-side too: a server (the mock one) that ignores the field selector sends every Event. */
  private static boolean isPodCreateRefusal(Event event) {
    return event.getInvolvedObject() != null && "Job".equals(event.getInvolvedObject().getKind())
        && TrainingJobPlanner.FAILED_CREATE.equals(event.getReason());
  }

  /**
   * The newest FailedCreate message on {@code job} (by uid: an earlier attempt's Job of the same name does not
   * count), with the random pod name taken out so that each retry of the same refusal reads the same.
   */
  private Optional<String> podCreateRefusal(Optional<Job> job) {
    if (job.isEmpty() || jobEvents == null) {
      return Optional.empty();
    }
    String uid = job.get().getMetadata().getUid();
    return jobEvents.list(job.get().getMetadata().getNamespace(), e -> isPodCreateRefusal(e)
            && Objects.equals(uid, e.getInvolvedObject().getUid()))
        .max(Comparator.comparing(TrainingJobReconciler::eventTime))
        .map(e -> e.getMessage() == null ? "" : POD_NAME.matcher(e.getMessage()).replaceAll("pods"));
  }

  private static final Pattern POD_NAME = Pattern.compile("pods? \"[^\"]*\"");

  private static String eventTime(Event event) {
    String time = event.getLastTimestamp() != null ? event.getLastTimestamp()
        : event.getEventTime() != null ? event.getEventTime().getTime() : event.getMetadata().getCreationTimestamp();
    return time == null ? "" : time;
  }

  private static Set<ResourceID> redisBindings(TrainingJob tj) {
    if (tj.getSpec() == null || tj.getSpec().getRedis() == null) {
      return Set.of();
    }
    return tj.getSpec().getRedis().stream().filter(b -> b.getName() != null)
        .map(b -> new ResourceID(b.getName(), TrainingJobResources.redisNamespace(tj, b))).collect(Collectors.toSet());
  }

  /** The bindings' view: instances and namespace labels from the caches; the instance's password read from its Secret. */
  private TrainingJobPlanner.RedisView redisView(TrainingJob tj, Context<TrainingJob> context) {
    return new TrainingJobPlanner.RedisView() {
      @Override
      public java.util.Optional<RedisInstance> instance(String namespace, String name) {
        return redisInstances.get(new ResourceID(name, namespace));
      }

      @Override
      public java.util.Optional<Map<String, String>> namespaceLabels(String namespace) {
        // A namespace not in the cache yet has no labels: fail closed (render alone assumes it is allowed).
        return java.util.Optional.of(namespaces.get(new ResourceID(namespace)).map(ns -> ns.getMetadata().getLabels() == null
            ? Map.<String, String>of() : ns.getMetadata().getLabels()).orElse(Map.of()));
      }

      @Override
      public java.util.Optional<String> password(RedisInstance instance) {
        String name = RedisResources.secretName(instance);
        if (name == null) {
          return java.util.Optional.empty();
        }
        Secret source = context.getClient().secrets().inNamespace(instance.getMetadata().getNamespace()).withName(name).get();
        // Only a password every server accepts (the instance's status says so): during a rotation the
        // job's copy keeps the old one until the servers have the new one.
        String applied = instance.getStatus() == null || instance.getStatus().getAuth() == null ? null
            : instance.getStatus().getAuth().getAppliedSecret();
        if (source == null || !(name + "@" + source.getMetadata().getResourceVersion()).equals(applied)) {
          return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(RedisResources.password(source));
      }

      @Override
      public java.util.Optional<String> boundPassword(String secretName) {
        return secrets.get(new ResourceID(secretName, tj.getMetadata().getNamespace())).map(RedisResources::password);
      }
    };
  }

  private static String phase(NasVolume nv) {
    return nv.getStatus() == null ? null : nv.getStatus().getPhase();
  }

  @Override
  protected KindPlan<TrainingJobStatus> plan(TrainingJob tj, Context<TrainingJob> context) {
    var observed = new TrainingJobPlanner.Observed(context.getSecondaryResource(Job.class),
        context.getSecondaryResource(Service.class), List.copyOf(context.getSecondaryResources(Pod.class)), gpuPools)
        .withNasVolumes(tj.getSpec() == null || TrainingJobResources.nasVolumes(tj.getSpec()).isEmpty() ? List.of()
            : List.copyOf(context.getSecondaryResources(NasVolume.class)))
        .withRedis(redisBindings(tj).isEmpty() ? TrainingJobPlanner.RedisView.NONE : redisView(tj, context))
        .withPodCreateRefusal(podCreateRefusal(context.getSecondaryResource(Job.class)));
    PassAdmission admission = new PassAdmission();
    if (tj.getSpec() != null && KueuePolicy.queued(tj.getSpec())) {
      observed = observed.withKueue(kueueView(context));
    }
    Plan plan = TrainingJobPlanner.plan(tj, observed.withAdmission(admission), clock.instant());
    if (!admission.asked) {
      // Not waiting for GPUs in this pass (running, suspended, finished, invalid, waiting for a volume): no place.
      ledger.withdraw(tj.getMetadata().getNamespace() + "/" + tj.getMetadata().getName());
    }
    return new KindPlan<>(plan.status(), plan.actions().stream().map(this::childAction).toList(),
        plan.events().stream().map(e -> new KindPlan.KindEvent(e.type(), e.reason(), e.message())).toList(),
        plan.requeueAfter());
  }

  /**
   * Kueue as a job in one of its queues sees it: installed or not (looked up at most every 15 s while it is not; the
   * Workload informer starts the first time it is), and the Workload Kueue made for a Job (owned by the Job).
   */
  private TrainingJobPlanner.Kueue kueueView(Context<TrainingJob> context) {
    if (!kueueInstalled && clock.instant().isAfter(kueueCheckedAt.plusSeconds(TrainingJobPlanner.KUEUE_RECHECK_SECONDS - 1))) {
      synchronized (this) {
        try {
          boolean served = client.apiextensions().v1().customResourceDefinitions()
              .withName(dev.mlops.operator.kueue.Workload.CRD).get() != null;
          kueueMissing = served ? null : "Kueue is not installed: CRD " + dev.mlops.operator.kueue.Workload.CRD
              + " not found. Install Kueue (v0.13 or newer, with the batch/job integration) and create LocalQueue "
              + "for spec.scheduling.queue, or remove spec.scheduling.queue to use the operator's own admission; the"
              + " job proceeds once Kueue is there.";
          if (served && workloads == null) {
            workloads = workloadInformer(context);
          }
          kueueInstalled = served;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          kueueMissing = "reading CustomResourceDefinition " + dev.mlops.operator.kueue.Workload.CRD + " was refused"
              + " (HTTP " + e.getCode() + "): the operator needs get on customresourcedefinitions.apiextensions.k8s.io";
        }
        kueueCheckedAt = clock.instant();
      }
    }
    String missing = kueueInstalled ? null : kueueMissing;
    var informer = workloads;
    return new TrainingJobPlanner.Kueue() {
      @Override
      public Optional<String> notInstalled() {
        return Optional.ofNullable(missing);
      }

      @Override
      public Optional<dev.mlops.operator.kueue.Workload> workload(Job job) {
        if (informer == null) {
          return Optional.empty();
        }
        String uid = job.getMetadata().getUid();
        return informer.list(job.getMetadata().getNamespace(), w -> w.getMetadata().getOwnerReferences() != null
            && w.getMetadata().getOwnerReferences().stream().anyMatch(r -> "Job".equals(r.getKind())
                && (uid == null ? job.getMetadata().getName().equals(r.getName()) : uid.equals(r.getUid()))))
            .findFirst().map(dev.mlops.operator.kueue.Workload::of);
      }
    };
  }

  /** Kueue's Workloads in the watched namespaces; each wakes the TrainingJob whose Job owns it (same name). */
  private InformerEventSource<io.fabric8.kubernetes.api.model.GenericKubernetesResource, TrainingJob> workloadInformer(
      Context<TrainingJob> context) {
    var retriever = context.eventSourceRetriever();
    var gvk = new io.javaoperatorsdk.operator.processing.GroupVersionKind(dev.mlops.operator.kueue.Workload.GROUP,
        dev.mlops.operator.kueue.Workload.VERSION, dev.mlops.operator.kueue.Workload.KIND);
    var informer = new InformerEventSource<>(InformerEventSourceConfiguration
        .<TrainingJob>from(gvk, TrainingJob.class)
        .withName("trainingjob-kueue-workloads").withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new dev.mlops.operator.common.PruningItemStore<>(dev.mlops.operator.kueue.Workload::prune))
        .withSecondaryToPrimaryMapper(w -> w.getMetadata().getOwnerReferences() == null ? Set.of()
            : w.getMetadata().getOwnerReferences().stream().filter(r -> "Job".equals(r.getKind()))
                .map(r -> new ResourceID(r.getName(), w.getMetadata().getNamespace())).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((TrainingJob tj) -> Set.of())
        .build(), retriever.eventSourceContextForDynamicRegistration());
    retriever.dynamicallyRegisterEventSource(informer);
    return informer;
  }

  /** One pass's view of admission: the ledger, and whether the pass asked it. */
  private final class PassAdmission implements TrainingJobPlanner.Admission {
    boolean asked;

    @Override
    public Optional<Integer> priority(String className) {
      if (className == null) {
        return Optional.of(priorityClasses.list(pc -> Boolean.TRUE.equals(pc.getGlobalDefault()))
            .map(PriorityClass::getValue).max(Integer::compare).orElse(0));
      }
      return priorityClasses.get(new ResourceID(className)).map(PriorityClass::getValue);
    }

    @Override
    public GangAdmission.Verdict ask(GangAdmission.Demand demand, int attempt) {
      asked = true;
      return ledger.ask(demand, attempt);
    }
  }

  private KindPlan.ChildAction childAction(Action action) {
    if (action instanceof CreateService create) {
      return w -> w.createIfAbsent("headless Service", create.service(), services);
    } else if (action instanceof CreateJob create) {
      return w -> w.createIfAbsent("Job", create.job(), jobs);
    } else if (action instanceof DeleteJob delete) {
      return w -> w.delete(delete.job(), DeletionPropagation.BACKGROUND);
    } else if (action instanceof DeleteService delete) {
      return w -> w.delete(delete.service(), null);
    } else if (action instanceof DeletePod delete) {
      return w -> w.delete(delete.pod(), null);
    } else if (action instanceof TrainingJobPlanner.DeleteRedisSecret delete) {
      return w -> w.delete(delete.secret(), null);
    } else if (action instanceof TrainingJobPlanner.SyncRedisSecret sync) {
      if (!sync.exists()) {
        return w -> w.createIfAbsent("Redis password Secret", sync.secret(), secrets);
      }
      return w -> w.edit(sync.secret(), secrets, s -> {
        s.setData(null);
        s.setStringData(sync.secret().getStringData());
        return s;
      });
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  @Override
  public void refreshMetrics() {
    metrics.refresh();
  }

  @Override
  protected void statusWritten(TrainingJob before, KindPlan<TrainingJobStatus> plan) {
    if (plan.events().stream().anyMatch(e -> GangAdmission.ADMITTED.equals(e.reason()))) {
      metrics.admitted(before, plan.status().getGpuProduct(), clock.instant());
    }
    plan.events().stream().map(KindPlan.KindEvent::reason)
        .filter(r -> r.equals("WorkerFailed") || r.equals("WorkerDisrupted")).forEach(metrics::restarted);
    boolean wasRunning = before.getStatus() != null && TrainingJobPhase.RUNNING.equals(before.getStatus().getPhase());
    if (!wasRunning && TrainingJobPhase.RUNNING.equals(plan.status().getPhase()) && plan.status().getAttempt() == 1) {
      metrics.firstRunning(before, clock.instant());
    }
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
