package dev.mlops.operator.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a control plane the operator depends on, simulated against the embedded API server:
 * the Job controller (Indexed Jobs, pod retries off), kube-scheduler ({@link SimulatedScheduler}),
 * a kubelet (Pending -> Running -> Succeeded after set times, or a failure on request) and the
 * garbage collector for owner references. One thread, one tick at a time.
 *
 * <p>Pod annotations steer the kubelet, so a manifest can ask for a failure:
 * {@value #FAIL_WORKER} (worker index), {@value #FAIL_EXIT_CODE} (default 1),
 * {@value #FAIL_ATTEMPTS} (fail in attempts 1..n, default 1) and {@value #RUN_SECONDS}.
 */
public final class SimulatedCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedCluster.class);

  public static final String FAIL_WORKER = "sandbox.mlops.dev/fail-worker";
  public static final String FAIL_EXIT_CODE = "sandbox.mlops.dev/fail-exit-code";
  public static final String FAIL_ATTEMPTS = "sandbox.mlops.dev/fail-attempts";
  public static final String RUN_SECONDS = "sandbox.mlops.dev/run-seconds";
  static final String INDEX = "batch.kubernetes.io/job-completion-index";
  /** Holds an evicted pod for one kubelet tick, as a real kubelet's graceful termination does. */
  static final String GRACEFUL_DELETION = "sandbox.mlops.dev/graceful-deletion";
  static final String ATTEMPT = "mlops.dev/attempt";
  private static final Pattern GB = Pattern.compile("(\\d+)GB");

  /** Timings of the simulated kubelet; a null run duration keeps pods running until told otherwise. */
  public record Settings(Duration startDelay, Duration runDuration, Duration tick) {
    public static Settings defaults() {
      return new Settings(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMillis(100));
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Clock clock;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-control-plane");
    t.setDaemon(true);
    return t;
  });
  private SharedIndexInformer<Job> jobs;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<PersistentVolume> volumes;
  private SharedIndexInformer<PersistentVolumeClaim> claims;
  /** The informers of every registered kind: the owners the garbage collector checks children against. */
  private final List<SharedIndexInformer<? extends HasMetadata>> owners = new ArrayList<>();

  // Local memory of this controller's own writes, so a lagging cache never makes it repeat them.
  private final Map<String, Set<Integer>> createdIndexes = new HashMap<>();
  private final Map<String, String> bindings = new HashMap<>();
  private final Map<String, Instant> boundAt = new HashMap<>();
  private final Map<String, Instant> startedAt = new HashMap<>();
  private final Set<String> terminated = new HashSet<>();
  private final Set<String> finishedJobs = new HashSet<>();
  private final Set<String> failureTargets = new HashSet<>();
  private final Map<String, String> unschedulableMessage = new HashMap<>();
  private final Map<String, Instant> orphanSince = new HashMap<>();
  private final Set<String> deleted = new HashSet<>();
  private final Map<String, Integer> forcedExit = new ConcurrentHashMap<>();
  private Map<String, Map<String, java.math.BigDecimal>> requestsByUid = new HashMap<>();

  public SimulatedCluster(KubernetesClient client, Settings settings) {
    this(client, settings, Clock.systemUTC());
  }

  public SimulatedCluster(KubernetesClient client, Settings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
  }

  /** Creates the Nodes of the pools, labelled as NVIDIA GPU Feature Discovery labels them. */
  public List<Node> createNodes(List<NodePool> pools) {
    return createNodes(pools, () -> false);
  }

  /** Creates the pools' nodes until {@code stop} says so; returns those created. */
  public List<Node> createNodes(List<NodePool> pools, BooleanSupplier stop) {
    List<Node> created = new ArrayList<>();
    for (NodePool pool : pools) {
      for (int i = 0; i < pool.count(); i++) {
        if (stop.getAsBoolean()) {
          return created;
        }
        created.add(client.nodes().resource(node(pool, pool.namePrefix() + "-" + i)).create());
      }
    }
    return created;
  }

  static Node node(NodePool pool, String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    Map<String, Quantity> allocatable = new LinkedHashMap<>();
    allocatable.put("cpu", new Quantity("128"));
    allocatable.put("memory", new Quantity("2Ti"));
    allocatable.put("pods", new Quantity("110"));
    var builder = new NodeBuilder();
    if (!pool.cpuOnly()) {
      labels.put("nvidia.com/gpu.product", pool.product());
      labels.put("nvidia.com/gpu.count", String.valueOf(pool.gpusPerNode()));
      Matcher gb = GB.matcher(pool.product());
      if (gb.find()) {
        labels.put("nvidia.com/gpu.memory", String.valueOf(Integer.parseInt(gb.group(1)) * 1024));
      }
      allocatable.put("nvidia.com/gpu", new Quantity(String.valueOf(pool.gpusPerNode())));
      allocatable.put("rdma/hca", new Quantity("8"));
      builder.withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present")
          .withEffect("NoSchedule").endTaint().endSpec();
    }
    return builder.withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewStatus()
        .withAllocatable(allocatable).withCapacity(allocatable)
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
        .endStatus().build();
  }

  public void start() {
    jobs = client.batch().v1().jobs().inAnyNamespace().inform();
    pods = client.pods().inAnyNamespace().inform();
    nodes = client.nodes().inform();
    services = client.services().inAnyNamespace().inform();
    volumes = client.persistentVolumes().inform();
    claims = client.persistentVolumeClaims().inAnyNamespace().inform();
    for (var kind : dev.mlops.operator.kind.Kinds.ALL) {
      owners.add(client.resources(kind.type()).inAnyNamespace().inform());
    }
    long tick = settings.tick().toMillis();
    loop.scheduleWithFixedDelay(this::safeTick, tick, tick, TimeUnit.MILLISECONDS);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("simulated control plane tick failed: {}", e.toString());
    }
  }

  synchronized void tick() {
    Instant now = clock.instant();
    Map<String, List<Pod>> podsByJob = pods.getStore().list().stream()
        .filter(p -> !deleted.contains(p.getMetadata().getUid()))
        .collect(Collectors.groupingBy(p -> controllerUid(p).orElse(""), Collectors.toList()));
    jobController(podsByJob, now);
    volumeBinder();
    garbageCollector(now);
    scheduler();
    kubelet(now);
  }

  // ---- Job controller ----------------------------------------------------------------------

  private void jobController(Map<String, List<Pod>> podsByJob, Instant now) {
    for (Job job : jobs.getStore().list()) {
      String uid = job.getMetadata().getUid();
      if (job.getMetadata().getDeletionTimestamp() != null || deleted.contains(uid) || finishedJobs.contains(uid)) {
        continue;
      }
      List<Pod> owned = podsByJob.getOrDefault(uid, List.of());
      int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
      boolean anyFailed = owned.stream().anyMatch(p -> "Failed".equals(phase(p)));
      Set<Integer> succeeded = owned.stream().filter(p -> "Succeeded".equals(phase(p)))
          .map(SimulatedCluster::index).collect(Collectors.toSet());
      if (anyFailed) {
        // backoffLimit 0: the first failed pod fails the Job. As the real Job controller does (since
        // 1.31), the Job first says FailureTarget and stops its other pods, and says Failed only once
        // none is left running.
        List<Pod> active = owned.stream().filter(SimulatedCluster::isActive).toList();
        if (failureTargets.add(uid)) {
          addJobCondition(job, "FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit",
              now);
        }
        if (active.isEmpty()) {
          finishJob(job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now,
              succeeded.size(), 1);
        } else {
          active.forEach(this::deletePod);
        }
        continue;
      }
      if (succeeded.size() >= completions) {
        // The real Job controller's pair: SuccessCriteriaMet, then Complete, both CompletionsReached.
        addJobCondition(job, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
        finishJob(job, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now,
            succeeded.size(), 0);
        continue;
      }
      if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
        owned.stream().filter(p -> isActive(p)).forEach(this::deletePod);
        continue;
      }
      Set<Integer> have = createdIndexes.computeIfAbsent(uid, k -> new HashSet<>());
      owned.forEach(p -> have.add(index(p)));
      for (int i = 0; i < completions; i++) {
        if (!have.contains(i)) {
          createPod(job, i);
          have.add(i);
        }
      }
    }
  }

  private void addJobCondition(Job job, String type, String reason, String message, Instant now) {
    addJobCondition(job, type, reason, message, now, status -> {});
  }

  private void finishJob(Job job, String type, String reason, String message, Instant now, int succeeded, int failed) {
    String ts = format(now);
    boolean written = addJobCondition(job, type, reason, message, now, status -> {
      status.setSucceeded(succeeded);
      status.setFailed(failed);
      status.setActive(0);
      if ("Complete".equals(type)) {
        status.setCompletionTime(ts);
      }
    });
    if (written) {
      finishedJobs.add(job.getMetadata().getUid());
    }
  }

  /** Adds a True condition to the Job's status, with {@code change} made in the same write; false when it failed. */
  private boolean addJobCondition(Job job, String type, String reason, String message, Instant now,
      java.util.function.Consumer<io.fabric8.kubernetes.api.model.batch.v1.JobStatus> change) {
    String ts = format(now);
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .editStatus(j -> {
            if (j.getStatus() == null) {
              j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
            }
            if (j.getStatus().getConditions() == null) {
              j.getStatus().setConditions(new ArrayList<>());
            }
            change.accept(j.getStatus());
            j.getStatus().getConditions().add(new JobConditionBuilder().withType(type).withStatus("True")
                .withReason(reason).withMessage(message).withLastTransitionTime(ts).withLastProbeTime(ts).build());
            return j;
          });
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug("job status update failed: {}", e.getMessage());
      return false;
    }
  }

  private void createPod(Job job, int index) {
    var template = job.getSpec().getTemplate();
    String jobName = job.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels() == null
        ? Map.of() : template.getMetadata().getLabels());
    labels.put(INDEX, String.valueOf(index));
    labels.put("job-name", jobName);
    labels.put("batch.kubernetes.io/job-name", jobName);
    labels.put("controller-uid", job.getMetadata().getUid());
    labels.put("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
    Map<String, String> annotations = new LinkedHashMap<>(template.getMetadata().getAnnotations() == null
        ? Map.of() : template.getMetadata().getAnnotations());
    annotations.put(INDEX, String.valueOf(index));
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
        .withName(jobName).withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(jobName + "-" + index + "-" + suffix())
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(annotations).withOwnerReferences(owner).endMetadata()
        .withSpec(template.getSpec())
        .editSpec().withHostname(jobName + "-" + index).endSpec()
        .withNewStatus().withPhase("Pending").endStatus()
        .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    } catch (KubernetesClientException e) {
      LOG.debug("pod create failed: {}", e.getMessage());
    }
  }

  // ---- PV binder ----------------------------------------------------------------------------

  /**
   * What kube-controller-manager's PV controller does with a claim that names its volume
   * ({@code spec.volumeName}) and a volume pre-bound to it ({@code claimRef}): the volume's claimRef
   * gets the claim's uid, and both become Bound. A Bound volume whose claim is gone becomes Released.
   * Dynamic provisioning is not simulated: a claim without a volumeName stays Pending.
   */
  private void volumeBinder() {
    Map<String, PersistentVolumeClaim> claimsByUid = new HashMap<>();
    for (PersistentVolumeClaim claim : claims.getStore().list()) {
      claimsByUid.put(claim.getMetadata().getUid(), claim);
      String volumeName = claim.getSpec().getVolumeName();
      boolean bound = claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
      if (volumeName == null || bound || claim.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      PersistentVolume volume = volumes.getStore().getByKey(volumeName);
      if (volume == null) {
        continue;
      }
      var ref = volume.getSpec().getClaimRef();
      boolean forThisClaim = ref == null || (claim.getMetadata().getName().equals(ref.getName())
          && claim.getMetadata().getNamespace().equals(ref.getNamespace())
          && (ref.getUid() == null || ref.getUid().equals(claim.getMetadata().getUid())));
      if (!forThisClaim) {
        continue;
      }
      try {
        client.persistentVolumes().withName(volumeName).edit(v -> {
          v.getSpec().setClaimRef(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder().withApiVersion("v1")
              .withKind("PersistentVolumeClaim").withNamespace(claim.getMetadata().getNamespace())
              .withName(claim.getMetadata().getName()).withUid(claim.getMetadata().getUid()).build());
          return v;
        });
        client.persistentVolumes().withName(volumeName).editStatus(v -> {
          v.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder().withPhase("Bound").build());
          return v;
        });
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName()).editStatus(c -> {
              c.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                  .withAccessModes(volume.getSpec().getAccessModes()).withCapacity(volume.getSpec().getCapacity()).build());
              return c;
            });
      } catch (KubernetesClientException e) {
        LOG.debug("binding {} failed: {}", volumeName, e.getMessage());
      }
    }
    for (PersistentVolume volume : volumes.getStore().list()) {
      var ref = volume.getSpec().getClaimRef();
      boolean bound = volume.getStatus() != null && "Bound".equals(volume.getStatus().getPhase());
      if (bound && ref != null && ref.getUid() != null && !claimsByUid.containsKey(ref.getUid())) {
        try {
          client.persistentVolumes().withName(volume.getMetadata().getName()).editStatus(v -> {
            v.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder().withPhase("Released").build());
            return v;
          });
        } catch (KubernetesClientException e) {
          LOG.debug("releasing {} failed: {}", volume.getMetadata().getName(), e.getMessage());
        }
      }
    }
  }

  // ---- garbage collector --------------------------------------------------------------------

  private void garbageCollector(Instant now) {
    Set<String> jobUids = jobs.getStore().list().stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet());
    // Owned by any of the operator's kinds: the uids of all of them, whatever the kind.
    Set<String> ownerUids = owners.stream().flatMap(i -> i.getStore().list().stream())
        .map(o -> o.getMetadata().getUid()).collect(Collectors.toSet());
    Set<String> seenOrphans = new HashSet<>();
    for (Pod pod : pods.getStore().list()) {
      collectIfOrphan(pod, Set.of("Job"), jobUids, now, seenOrphans, () -> deletePod(pod));
    }
    for (Job job : jobs.getStore().list()) {
      collectIfOrphan(job, OWNER_KINDS, ownerUids, now, seenOrphans, () -> delete(job, () ->
          client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
              .withName(job.getMetadata().getName()).delete()));
    }
    for (Service svc : services.getStore().list()) {
      collectIfOrphan(svc, OWNER_KINDS, ownerUids, now, seenOrphans, () -> delete(svc, () ->
          client.services().inNamespace(svc.getMetadata().getNamespace()).withName(svc.getMetadata().getName()).delete()));
    }
    orphanSince.keySet().retainAll(seenOrphans);
    // Forget what belongs to objects that are gone.
    createdIndexes.keySet().retainAll(jobUids);
    finishedJobs.retainAll(jobUids);
    failureTargets.retainAll(jobUids);
  }

  private static final Set<String> OWNER_KINDS = Set.copyOf(dev.mlops.operator.kind.Kinds.names());

  private void collectIfOrphan(HasMetadata object, Set<String> ownerKinds, Set<String> liveOwners, Instant now,
      Set<String> seenOrphans, Runnable delete) {
    String uid = object.getMetadata().getUid();
    var owner = object.getMetadata().getOwnerReferences().stream()
        .filter(r -> ownerKinds.contains(r.getKind())).findFirst();
    if (owner.isEmpty() || liveOwners.contains(owner.get().getUid()) || deleted.contains(uid)) {
      return;
    }
    seenOrphans.add(uid);
    Instant since = orphanSince.computeIfAbsent(uid, k -> now);
    // A grace period: a fresh owner may not be in this controller's cache yet.
    if (Duration.between(since, now).toMillis() >= 1000) {
      delete.run();
    }
  }

  private void deletePod(Pod pod) {
    delete(pod, () -> client.pods().inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).delete());
  }

  private void delete(HasMetadata object, Runnable delete) {
    String uid = object.getMetadata().getUid();
    if (deleted.add(uid)) {
      try {
        delete.run();
      } catch (KubernetesClientException e) {
        LOG.debug("delete failed: {}", e.getMessage());
      }
    }
    if (deleted.size() > 100_000) {
      deleted.clear();
    }
  }

  // ---- scheduler ----------------------------------------------------------------------------

  private void scheduler() {
    List<Node> nodeList = nodes.getStore().list().stream()
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName())).toList();
    Map<String, List<Pod>> podsByNode = new HashMap<>();
    List<Pod> pending = new ArrayList<>();
    for (Pod pod : pods.getStore().list()) {
      String uid = pod.getMetadata().getUid();
      if (deleted.contains(uid) || terminated.contains(uid) || !isActive(pod)) {
        continue;
      }
      String node = pod.getSpec().getNodeName() != null ? pod.getSpec().getNodeName() : bindings.get(uid);
      if (node != null) {
        podsByNode.computeIfAbsent(node, k -> new ArrayList<>()).add(node.equals(pod.getSpec().getNodeName()) ? pod
            : new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build());
      } else {
        pending.add(pod);
      }
    }
    pending.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
    Map<String, Map<String, java.math.BigDecimal>> used = new HashMap<>();
    Map<String, Map<String, java.math.BigDecimal>> requests = new HashMap<>();
    podsByNode.forEach((node, bound) -> bound.forEach(p -> addRequests(used, node, requestsOf(p, requests))));
    requestsByUid = requests;
    // Within a tick capacity only shrinks, so the leading nodes found too full for one shape of
    // request stay too full for it: the next pod of that shape starts after them. This keeps a tick
    // linear in pods and nodes where first-fit over all nodes for every pod would be quadratic.
    Map<Map<String, java.math.BigDecimal>, Integer> fullPrefix = new HashMap<>();
    for (Pod pod : pending) {
      Map<String, java.math.BigDecimal> wanted = requestsOf(pod, requests);
      String fit = null;
      boolean prefix = true;
      for (int i = fullPrefix.getOrDefault(wanted, 0); i < nodeList.size() && fit == null; i++) {
        Node node = nodeList.get(i);
        String name = node.getMetadata().getName();
        if (!SimulatedScheduler.hasRoom(wanted, node, used.getOrDefault(name, Map.of()))) {
          if (prefix) {
            fullPrefix.put(wanted, i + 1);
          }
          continue;
        }
        prefix = false;
        if (SimulatedScheduler.misfit(pod, node, podsByNode.getOrDefault(name, List.of())).isEmpty()) {
          fit = name;
        }
      }
      // No fit: the full pass over every node, for kube-scheduler's per-reason message.
      var decision = fit != null ? new SimulatedScheduler.Decision(fit, null)
          : SimulatedScheduler.schedule(pod, nodeList, podsByNode);
      String uid = pod.getMetadata().getUid();
      if (decision.placed()) {
        Instant now = clock.instant();
        boolean startNow = settings.startDelay().isZero();
        bind(pod, decision.nodeName(), startNow ? now : null);
        bindings.put(uid, decision.nodeName());
        boundAt.put(uid, now);
        if (startNow) {
          startedAt.put(uid, now);
        }
        podsByNode.computeIfAbsent(decision.nodeName(), k -> new ArrayList<>())
            .add(new PodBuilder(pod).editSpec().withNodeName(decision.nodeName()).endSpec().build());
        addRequests(used, decision.nodeName(), wanted);
      } else if (!decision.message().equals(unschedulableMessage.get(uid))) {
        unschedulableMessage.put(uid, decision.message());
        setCondition(pod, new PodConditionBuilder().withType("PodScheduled").withStatus("False")
            .withReason("Unschedulable").withMessage(decision.message())
            .withLastTransitionTime(format(clock.instant())).build());
      }
    }
  }

  /** A pod's requests, parsed once per pod (its spec does not change) rather than on every tick. */
  private Map<String, java.math.BigDecimal> requestsOf(Pod pod, Map<String, Map<String, java.math.BigDecimal>> seen) {
    String uid = pod.getMetadata().getUid();
    Map<String, java.math.BigDecimal> known = requestsByUid.get(uid);
    Map<String, java.math.BigDecimal> parsed = known != null ? known : SimulatedScheduler.requests(pod);
    seen.put(uid, parsed);
    return parsed;
  }

  private static void addRequests(Map<String, Map<String, java.math.BigDecimal>> used, String node,
      Map<String, java.math.BigDecimal> requests) {
    Map<String, java.math.BigDecimal> onNode = used.computeIfAbsent(node, k -> new HashMap<>());
    requests.forEach((k, v) -> onNode.merge(k, v, java.math.BigDecimal::add));
  }

  /**
   * Binds a pod (and, with no start delay, starts it) in one write. The embedded server keeps pod
   * status in the main resource, so one edit carries both; a real kubelet would use /status.
   */
  private void bind(Pod pod, String nodeName, Instant startNow) {
    String ts = format(clock.instant());
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .edit(p -> {
            p.getSpec().setNodeName(nodeName);
            if (p.getStatus() == null) {
              p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
            }
            upsert(p, new PodConditionBuilder().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime(ts).build());
            if (startNow != null) {
              running(p, startNow);
            }
            return p;
          });
    } catch (KubernetesClientException e) {
      LOG.debug("bind failed: {}", e.getMessage());
    }
  }

  // ---- kubelet ------------------------------------------------------------------------------

  private void kubelet(Instant now) {
    for (Pod pod : pods.getStore().list()) {
      String uid = pod.getMetadata().getUid();
      if (pod.getMetadata().getDeletionTimestamp() != null
          && pod.getMetadata().getFinalizers().contains(GRACEFUL_DELETION)) {
        finishGracefulDeletion(pod);
        continue;
      }
      if (deleted.contains(uid) || terminated.contains(uid) || !bindings.containsKey(uid)) {
        continue;
      }
      Instant started = startedAt.get(uid);
      if (started == null) {
        if (Duration.between(boundAt.get(uid), now).compareTo(settings.startDelay()) >= 0) {
          markRunning(pod, now);
          startedAt.put(uid, now);
        }
        continue;
      }
      Integer forced = forcedExit.remove(uid);
      if (forced != null) {
        terminate(pod, forced, now, null);
        continue;
      }
      Duration run = runDuration(pod);
      if (run != null && Duration.between(started, now).compareTo(run) >= 0) {
        terminate(pod, plannedExitCode(pod), now, null);
      }
    }
    Set<String> live = pods.getStore().list().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    bindings.keySet().retainAll(live);
    boundAt.keySet().retainAll(live);
    startedAt.keySet().retainAll(live);
    terminated.retainAll(live);
    unschedulableMessage.keySet().retainAll(live);
  }

  private void finishGracefulDeletion(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).edit(p -> {
        p.getMetadata().getFinalizers().remove(GRACEFUL_DELETION);
        return p;
      });
    } catch (KubernetesClientException e) {
      LOG.debug("finishing a graceful deletion failed: {}", e.getMessage());
    }
  }

  private Duration runDuration(Pod pod) {
    String seconds = annotation(pod, RUN_SECONDS);
    if (seconds != null) {
      return Duration.ofMillis((long) (Double.parseDouble(seconds) * 1000));
    }
    return settings.runDuration();
  }

  private static int plannedExitCode(Pod pod) {
    String worker = annotation(pod, FAIL_WORKER);
    if (worker == null || Integer.parseInt(worker) != index(pod)) {
      return 0;
    }
    String attempts = annotation(pod, FAIL_ATTEMPTS);
    int failFor = attempts == null ? 1 : Integer.parseInt(attempts);
    String attempt = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ATTEMPT);
    if (attempt != null && Integer.parseInt(attempt) > failFor) {
      return 0;
    }
    String code = annotation(pod, FAIL_EXIT_CODE);
    return code == null ? 1 : Integer.parseInt(code);
  }

  private void markRunning(Pod pod, Instant now) {
    editStatus(pod, p -> running(p, now));
  }

  private static void running(Pod p, Instant now) {
    String ts = format(now);
    {
      p.getStatus().setPhase("Running");
      p.getStatus().setStartTime(ts);
      p.getStatus().setPodIP("10.0." + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(256));
      upsert(p, new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(ts).build());
      p.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
          .withName("worker").withReady(true).withRestartCount(0).withImage(p.getSpec().getContainers().get(0).getImage())
          .withNewState().withNewRunning().withStartedAt(ts).endRunning().endState().build()));
    }
  }

  private void terminate(Pod pod, int exitCode, Instant now, PodCondition extra) {
    String uid = pod.getMetadata().getUid();
    terminated.add(uid);
    String ts = format(now);
    String reason = exitCode == 0 ? "Completed" : exitCode == 137 ? "OOMKilled" : "Error";
    editStatus(pod, p -> {
      p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
      upsert(p, new PodConditionBuilder().withType("Ready").withStatus("False").withReason("PodCompleted")
          .withLastTransitionTime(ts).build());
      if (extra != null) {
        upsert(p, extra);
      }
      p.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
          .withName("worker").withReady(false).withRestartCount(0).withImage(p.getSpec().getContainers().get(0).getImage())
          .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
          .withStartedAt(p.getStatus().getStartTime()).withFinishedAt(ts).endTerminated().endState().build()));
    });
  }

  // ---- levers for tests and demos -------------------------------------------------------------

  /** Makes a running (or about to run) pod exit with a code at the next tick. */
  public void failPod(String namespace, String name, int exitCode) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    forcedExit.put(pod.getMetadata().getUid(), exitCode);
  }

  /**
   * What the Eviction API (a node drain) does to a pod on a real cluster: DisruptionTarget=True, and
   * a graceful deletion (the pod stays, with a deletionTimestamp, until its kubelet has stopped it);
   * the pod never reaches a terminal phase, so it has no exit code. The mock server keeps an object
   * with a finalizer and a deletionTimestamp, so the kubelet's grace period is a finalizer here,
   * removed by the next tick of the kubelet.
   */
  public synchronized void disruptPod(String namespace, String name) {
    PodCondition disruption = new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
        .withReason("EvictionByEvictionAPI").withMessage("Eviction API: evicting")
        .withLastTransitionTime(format(clock.instant())).build();
    var pod = client.pods().inNamespace(namespace).withName(name);
    pod.edit(p -> {
      p.getMetadata().getFinalizers().add(GRACEFUL_DELETION);
      return p;
    });
    setCondition(pod.get(), disruption);
    pod.delete();
  }

  private void setCondition(Pod pod, PodCondition condition) {
    editStatus(pod, p -> upsert(p, condition));
  }

  private void editStatus(Pod pod, java.util.function.Consumer<Pod> change) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .editStatus(p -> {
            if (p.getStatus() == null) {
              p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
            }
            change.accept(p);
            return p;
          });
    } catch (KubernetesClientException e) {
      LOG.debug("pod status update failed: {}", e.getMessage());
    }
  }

  private static void upsert(Pod pod, PodCondition condition) {
    List<PodCondition> conditions = pod.getStatus().getConditions() == null
        ? new ArrayList<>() : new ArrayList<>(pod.getStatus().getConditions());
    conditions.removeIf(c -> condition.getType().equals(c.getType()));
    conditions.add(condition);
    pod.getStatus().setConditions(conditions);
  }

  // ---- small readers --------------------------------------------------------------------------

  private static java.util.Optional<String> controllerUid(Pod pod) {
    return pod.getMetadata().getOwnerReferences().stream().filter(r -> "Job".equals(r.getKind()))
        .map(OwnerReference::getUid).findFirst();
  }

  static int index(Pod pod) {
    String value = annotation(pod, INDEX);
    return value == null ? -1 : Integer.parseInt(value);
  }

  private static String annotation(Pod pod, String key) {
    return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(key);
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return "Pending".equals(phase) || "Running".equals(phase);
  }

  private static String suffix() {
    String chars = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return s.toString();
  }

  private static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  @Override
  public void close() {
    loop.shutdownNow();
    List<SharedIndexInformer<?>> all = new ArrayList<>(java.util.Arrays.asList(jobs, pods, nodes, services, volumes,
        claims));
    all.addAll(owners);
    for (SharedIndexInformer<?> informer : all) {
      if (informer != null) {
        informer.close();
      }
    }
  }
}
