package dev.mlops.operator.trainingjob;

import dev.mlops.operator.trainingjob.GangAdmission.Decisions;
import dev.mlops.operator.trainingjob.GangAdmission.Demand;
import dev.mlops.operator.trainingjob.GangAdmission.NodeState;
import dev.mlops.operator.trainingjob.GangAdmission.Verdict;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The one place admission decisions are made, shared by every reconcile thread: the waiting gangs, the gangs admitted
 * whose Job is not in the cache yet, and the last {@link GangAdmission} pass. Everything else it counts comes from the
 * caches each time (free GPUs from the bound pods; reservations from the Jobs, which name their admitted nodes), so an
 * operator that restarts finds every admitted gang's GPUs reserved. Methods are synchronized: two jobs asking at the
 * same moment are decided one after the other, on the same counts, and never get the same free GPUs.
 */
public final class AdmissionLedger {

  /** What admission reads from the cluster; {@code version} changes whenever any of it changes. */
  public interface Cluster {
    Collection<Node> nodes();

    /** Non-terminal pods bound to a node that request an extended resource (pruned: see {@link GpuPodStore}). */
    Collection<Pod> gpuPods();

    /** The operator's Jobs (their {@link #ANNOTATION} names the admitted nodes). */
    Collection<Job> jobs();

    long version();

    /**
     * Whether the TrainingJob namespace/name exists and may still want GPUs: not finished, not suspended. A job that
     * does not lose its place; a Failed Job of an active job keeps its nodes until the operator decides on a restart.
     */
    boolean active(String key);
  }

  /** On an admitted attempt's Job: {@code <resource>=<gpusPerNode>:<node>,<node>,...}. */
  public static final String ANNOTATION = "mlops.dev/admitted-nodes";

  private static final Duration IN_FLIGHT_TTL = Duration.ofMinutes(2);

  private final Cluster cluster;
  private final Clock clock;
  private final Duration backfillLimit;
  private final Consumer<Set<String>> wake;
  private final java.util.concurrent.Executor background;
  private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();
  private final Map<String, Demand> waiting = new LinkedHashMap<>();
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private Decisions decisions;
  private List<NodeState> decidedOn = List.of();
  private List<Demand> decidedFor = List.of();
  private long decidedVersion = -1;
  private boolean dirty = true;
  private long passes;
  private long admissions;

  /** An attempt admitted whose Job the cache does not show yet: its nodes stay reserved meanwhile. */
  private record InFlight(int attempt, String namespace, String name, String resource, int gpus, String product,
      List<String> nodes, Instant at) {}

  /** A waiting job and its verdict (metrics, render, sandbox). */
  public record Waiting(Demand demand, Verdict verdict) {}

  /** Decides on the calling thread: render, the sandbox's own checks and unit tests. */
  public AdmissionLedger(Cluster cluster, Clock clock, Duration backfillLimit, Consumer<Set<String>> wake) {
    this(cluster, clock, backfillLimit, wake, Runnable::run);
  }

  /**
   * @param background where {@link #changed} decides: informer threads call it while their cache may hold a lock, so
   *                   the operator gives it a thread of its own (changes that arrive meanwhile fold into one pass)
   */
  public AdmissionLedger(Cluster cluster, Clock clock, Duration backfillLimit, Consumer<Set<String>> wake,
      java.util.concurrent.Executor background) {
    this.background = background;
    this.cluster = cluster;
    this.clock = clock;
    this.backfillLimit = backfillLimit;
    this.wake = wake;
  }

  /**
   * The verdict for one attempt of a job. Admitted: the nodes are reserved for it until its Job shows in the cache
   * (asking again for the same attempt gives the same nodes). Waiting: the job keeps its place until it is admitted,
   * {@link #withdraw withdrawn} or deleted; its first ask's time is its {@code since}.
   */
  public synchronized Verdict ask(Demand demand, int attempt) {
    InFlight flying = inFlight.get(demand.key());
    if (flying != null && flying.attempt() == attempt) {
      return Verdict.admitted(flying.product(), flying.nodes());
    }
    if (flying != null) {
      inFlight.remove(demand.key());
    }
    Demand before = waiting.get(demand.key());
    Demand asked = before == null || before.since().isAfter(demand.since()) ? demand
        : new Demand(demand.key(), demand.spec(), demand.products(), demand.priority(), demand.restart(), demand.created(),
            before.since());
    if (!same(asked, before)) {
      waiting.put(demand.key(), asked);
      dirty = true;
    }
    Verdict verdict = current(demand.key()).verdicts().get(demand.key());
    if (verdict == null) {
      // Not in the pass (cannot happen for the asker, which is kept): ask again on the next pass.
      return new Verdict(false, null, List.of(), GangAdmission.INSUFFICIENT_FREE_GPUS, "Admission is being decided.", 0);
    }
    if (verdict.admitted()) {
      waiting.remove(demand.key());
      String[] ns = demand.key().split("/", 2);
      inFlight.put(demand.key(), new InFlight(attempt, ns[0], ns[1], demand.resource(), demand.gpus(), verdict.product(),
          verdict.nodes(), clock.instant()));
      admissions++;
      dirty = true;
    }
    return verdict;
  }

  /**
   * The job no longer waits (admitted and its Job seen, suspended, finished, invalid, deleted): its place goes. Its
   * in-flight admission stays until the Job is in the informer's store (a pass may see the Job that JOSDK cached at
   * creation before the store has it) or the job is no longer active: see {@link #prune}.
   */
  public synchronized void withdraw(String key) {
    if (waiting.remove(key) != null) {
      dirty = true;
      changed();
    }
  }

  /** Two asks of the same job that would be decided alike (the spec object itself is a fresh copy each pass). */
  private static boolean same(Demand a, Demand b) {
    return b != null && a.key().equals(b.key()) && a.shape().equals(b.shape()) && a.products().equals(b.products())
        && a.priority() == b.priority() && a.restart() == b.restart() && a.nodes() == b.nodes()
        && java.util.Objects.equals(a.created(), b.created()) && a.since().equals(b.since());
  }

  /** Capacity or the queue may have changed: decide again if anyone waits, and wake the jobs now admitted. */
  public void changed() {
    if (pending.compareAndSet(false, true)) {
      background.execute(() -> {
        pending.set(false);
        decideIfWaiting();
      });
    }
  }

  private synchronized void decideIfWaiting() {
    if (!waiting.isEmpty()) {
      current(null);
    }
  }

  /** The waiting jobs in queue order, with their verdicts as of now. */
  public synchronized List<Waiting> waiting() {
    if (waiting.isEmpty()) {
      return List.of();
    }
    Decisions d = current(null);
    List<Waiting> list = new ArrayList<>();
    waiting.values().stream().sorted(GangAdmission.ORDER)
        .forEach(demand -> list.add(new Waiting(demand, d.verdicts().get(demand.key()))));
    return list;
  }

  /** Whether the last pass admitted no more GPUs than were free (bench and tests). */
  public synchronized boolean lastPassHeld() {
    if (decisions == null) {
      return true;
    }
    return GangAdmission.invariantHolds(decidedOn, decidedFor, decisions.verdicts());
  }

  public synchronized long passes() {
    return passes;
  }

  public synchronized long admissions() {
    return admissions;
  }

  private Decisions current(String asking) {
    Instant now = clock.instant();
    long version = cluster.version();
    // A job deleted, suspended or finished while waiting (nothing tells the ledger: no finalizer) gives up its place,
    // and the holds it had go with it.
    boolean gone = waiting.keySet().stream().anyMatch(key -> !key.equals(asking) && !cluster.active(key))
        || inFlight.keySet().stream().anyMatch(key -> !cluster.active(key));
    if (decisions != null && !dirty && !gone && version == decidedVersion
        && (decisions.validUntil() == null || now.isBefore(decisions.validUntil()))) {
      return decisions;
    }
    Decisions previous = decisions;
    Collection<Job> jobs = cluster.jobs();
    prune(jobs, now);
    waiting.keySet().removeIf(key -> !key.equals(asking) && !cluster.active(key));
    decidedOn = nodeStates(jobs);
    decidedFor = List.copyOf(waiting.values());
    decisions = GangAdmission.decide(decidedOn, decidedFor, now, backfillLimit);
    decidedVersion = version;
    dirty = false;
    passes++;
    Set<String> admitted = new HashSet<>();
    decisions.verdicts().forEach((key, v) -> {
      if (v.admitted() && !key.equals(asking) && (previous == null || previous.verdicts().get(key) == null
          || !previous.verdicts().get(key).admitted())) {
        admitted.add(key);
      }
    });
    if (!admitted.isEmpty()) {
      wake.accept(admitted);
    }
    return decisions;
  }

  /** In-flight admissions whose Job the cache now shows (its annotation takes over), or that never came, go. */
  private void prune(Collection<Job> jobs, Instant now) {
    if (inFlight.isEmpty()) {
      return;
    }
    // (An in-flight admission of a job that is no longer active goes too: suspended before its Job was created.)
    Set<String> seen = new HashSet<>();
    for (Job job : jobs) {
      seen.add(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName() + "#"
          + TrainingJobPlanner.jobAttempt(job));
    }
    inFlight.entrySet().removeIf(e -> seen.contains(e.getKey() + "#" + e.getValue().attempt())
        || e.getValue().at().plus(IN_FLIGHT_TTL).isBefore(now) || !cluster.active(e.getKey()));
  }

  /** Each GPU node with what is in use on it: bound pods' requests, admitted gangs' unbound workers. */
  private List<NodeState> nodeStates(Collection<Job> jobs) {
    Map<String, Map<String, Integer>> used = new HashMap<>();
    Map<String, Set<String>> boundByAttempt = new HashMap<>();
    for (Pod pod : cluster.gpuPods()) {
      String node = pod.getSpec().getNodeName();
      requests(pod).forEach((r, n) -> used.computeIfAbsent(node, k -> new HashMap<>()).merge(r, n, Integer::sum));
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels != null && labels.containsKey(TrainingJobResources.JOB_LABEL)) {
        boundByAttempt.computeIfAbsent(pod.getMetadata().getNamespace() + "/" + labels.get(TrainingJobResources.JOB_LABEL)
            + "#" + labels.get(TrainingJobResources.ATTEMPT_LABEL), k -> new HashSet<>()).add(node);
      }
    }
    for (Job job : jobs) {
      Optional<Reservation> reservation = reservation(job);
      // A Complete Job needs nothing more. A Failed one keeps its nodes while its owner is active: the operator is
      // about to restart the gang, whose next attempt then holds its place in the queue (the restart deletes the Job).
      if (reservation.isEmpty() || job.getMetadata().getDeletionTimestamp() != null
          || TrainingJobPlanner.jobCondition(job, "Complete") || (TrainingJobPlanner.jobCondition(job, "Failed")
              && !cluster.active(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName()))) {
        continue;
      }
      Set<String> bound = boundByAttempt.getOrDefault(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName()
          + "#" + TrainingJobPlanner.jobAttempt(job), Set.of());
      Reservation r = reservation.get();
      r.nodes().stream().filter(n -> !bound.contains(n))
          .forEach(n -> used.computeIfAbsent(n, k -> new HashMap<>()).merge(r.resource(), r.gpus(), Integer::sum));
    }
    for (InFlight f : inFlight.values()) {
      f.nodes().forEach(n -> used.computeIfAbsent(n, k -> new HashMap<>()).merge(f.resource(), f.gpus(), Integer::sum));
    }
    List<NodeState> states = new ArrayList<>();
    for (Node node : cluster.nodes()) {
      var labels = node.getMetadata().getLabels();
      if (labels != null && labels.containsKey(GpuProductSelector.PRODUCT_LABEL)) {
        states.add(new NodeState(node, used.getOrDefault(node.getMetadata().getName(), Map.of())));
      }
    }
    return states;
  }

  /** What an admitted Job reserves: {@code gpus} of {@code resource} on each named node. */
  public record Reservation(String resource, int gpus, List<String> nodes) {
    public String annotation() {
      return resource + "=" + gpus + ":" + String.join(",", nodes);
    }
  }

  public static Optional<Reservation> reservation(Job job) {
    var annotations = job.getMetadata().getAnnotations();
    String text = annotations == null ? null : annotations.get(ANNOTATION);
    if (text == null) {
      return Optional.empty();
    }
    try {
      int eq = text.lastIndexOf('=', text.indexOf(':'));
      int colon = text.indexOf(':');
      return Optional.of(new Reservation(text.substring(0, eq), Integer.parseInt(text.substring(eq + 1, colon)),
          List.of(text.substring(colon + 1).split(","))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A pod's effective requests of extended resources (max of the sum of its containers and each init container). */
  static Map<String, Integer> requests(Pod pod) {
    Map<String, Integer> sum = new HashMap<>();
    if (pod.getSpec() == null) {
      return sum;
    }
    Predicate<String> extended = name -> name.contains("/") && !name.startsWith("kubernetes.io/");
    if (pod.getSpec().getContainers() != null) {
      pod.getSpec().getContainers().forEach(c -> amounts(c, extended).forEach((r, n) -> sum.merge(r, n, Integer::sum)));
    }
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().forEach(c -> amounts(c, extended).forEach((r, n) -> sum.merge(r, n, Math::max)));
    }
    return sum;
  }

  private static Map<String, Integer> amounts(io.fabric8.kubernetes.api.model.Container c, Predicate<String> extended) {
    Map<String, Integer> out = new HashMap<>();
    if (c.getResources() == null) {
      return out;
    }
    Map<String, Quantity> requests = c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources().getLimits();
    // Extended resources cannot be overcommitted: a limit alone is also the request.
    if (limits != null) {
      limits.forEach((r, q) -> {
        if (extended.test(r)) {
          out.put(r, q.getNumericalAmount().intValue());
        }
      });
    }
    if (requests != null) {
      requests.forEach((r, q) -> {
        if (extended.test(r)) {
          out.put(r, q.getNumericalAmount().intValue());
        }
      });
    }
    return out;
  }
}
