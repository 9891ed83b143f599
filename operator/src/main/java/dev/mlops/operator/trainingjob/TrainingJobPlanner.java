package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobPhase.*;

import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.RedisBinding;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.common.LabelSelectors;
import dev.mlops.operator.redis.RedisResources;
import io.fabric8.kubernetes.api.model.Secret;
import dev.mlops.operator.api.v1alpha1.RunPolicy;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.api.v1alpha1.WorkerCounts;
import dev.mlops.operator.api.v1alpha1.WorkerFailure;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.Times;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TrainingJob state machine as a pure function: from the resource, its observed children and
 * the time, it computes the status to write, the child writes to make and the events to record.
 *
 * <p>Decisions that destroy evidence (a restart deletes the failed attempt's pods) are recorded in
 * the status first: the reconciler writes the status before it acts, so an operator that dies in
 * between finds attempt n+1 in the status and the old Job still there, and simply finishes the
 * teardown. Nothing here depends on which event woke the reconciler.
 */
public final class TrainingJobPlanner {

  private TrainingJobPlanner() {}

  /**
   * What the reconciler observed: the current Job and Service (by name), every worker pod, and the
   * GPU pools of the cluster's Nodes (product -> nodes able to hold a worker of a given spec).
   */
  /**
   * @param podCreateRefusal the Job controller's newest FailedCreate message on the current Job (a missing
   *                         ServiceAccount or PriorityClass, a quota, an admission webhook), if any
   */
  public record Observed(Optional<Job> job, Optional<Service> service, List<Pod> pods, GpuPools pools,
      Function<String, Optional<NasVolume>> nasVolumes, RedisView redis, Optional<String> podCreateRefusal,
      Admission admission, Kueue kueue) {
    /** With the pools counted from these Nodes. */
    public Observed(Optional<Job> job, Optional<Service> service, List<Pod> pods, Collection<Node> nodes) {
      this(job, service, pods, GpuPools.of(nodes), name -> Optional.empty(), RedisView.NONE, Optional.empty(),
          Admission.UNLIMITED, Kueue.NONE);
    }

    public Observed(Optional<Job> job, Optional<Service> service, List<Pod> pods, GpuPools pools) {
      this(job, service, pods, pools, name -> Optional.empty(), RedisView.NONE, Optional.empty(), Admission.UNLIMITED,
          Kueue.NONE);
    }

    /** With these NasVolumes of the job's namespace. */
    public Observed withNasVolumes(Collection<NasVolume> volumes) {
      return new Observed(job, service, pods, pools,
          name -> volumes.stream().filter(v -> name.equals(v.getMetadata().getName())).findFirst(), redis,
          podCreateRefusal, admission, kueue);
    }

    public Observed withRedis(RedisView view) {
      return new Observed(job, service, pods, pools, nasVolumes, view, podCreateRefusal, admission, kueue);
    }

    public Observed withPodCreateRefusal(Optional<String> refusal) {
      return new Observed(job, service, pods, pools, nasVolumes, redis, refusal, admission, kueue);
    }

    public Observed withAdmission(Admission gate) {
      return new Observed(job, service, pods, pools, nasVolumes, redis, podCreateRefusal, gate, kueue);
    }

    public Observed withKueue(Kueue view) {
      return new Observed(job, service, pods, pools, nasVolumes, redis, podCreateRefusal, admission, view);
    }
  }

  /** What the operator sees of Kueue: whether it is installed, and the Workload of a Job. */
  public interface Kueue {
    /** Empty when Kueue's CRDs are served; otherwise what is missing and what to install. */
    Optional<String> notInstalled();

    Optional<dev.mlops.operator.kueue.Workload> workload(Job job);

    /** Installed, no Workload seen (render: the Job is shown as created, waiting for Kueue). */
    Kueue NONE = new Kueue() {
      @Override
      public Optional<String> notInstalled() {
        return Optional.empty();
      }

      @Override
      public Optional<dev.mlops.operator.kueue.Workload> workload(Job job) {
        return Optional.empty();
      }
    };
  }

  /**
   * Whether a gang may start now ({@link AdmissionLedger} in the operator; {@link #UNLIMITED} where no cluster is
   * observed), and the value of a PriorityClass.
   */
  public interface Admission {
    /** The value of the named PriorityClass, or of the cluster's globalDefault for null (0 without one); empty: no such class. */
    Optional<Integer> priority(String className);

    /** The verdict for this attempt; admitted means its nodes are reserved for it. */
    GangAdmission.Verdict ask(GangAdmission.Demand demand, int attempt);

    /** Every gang admitted at once on its first product, on no particular nodes (unit tests of other behaviour). */
    Admission UNLIMITED = new Admission() {
      @Override
      public Optional<Integer> priority(String className) {
        return Optional.of(0);
      }

      @Override
      public GangAdmission.Verdict ask(GangAdmission.Demand demand, int attempt) {
        return new GangAdmission.Verdict(true, demand.products().get(0), List.of(), GangAdmission.ADMITTED,
            "Admitted on " + demand.products().get(0) + ".", 0);
      }
    };
  }

  /** What the job's spec.redis bindings need: the instances, the job namespace's labels, each password. */
  public interface RedisView {
    Optional<RedisInstance> instance(String namespace, String name);

    /** The labels of a namespace; empty when not known (render without it): the instance is taken to allow it. */
    Optional<Map<String, String>> namespaceLabels(String namespace);

    /** The instance's password, empty without auth (or while its Secret is missing). */
    Optional<String> password(RedisInstance instance);

    /** The password the job's own copy (a Secret of the job's namespace) holds, if that Secret exists. */
    Optional<String> boundPassword(String secretName);

    RedisView NONE = new RedisView() {
      @Override
      public Optional<RedisInstance> instance(String namespace, String name) {
        return Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> namespaceLabels(String namespace) {
        return Optional.empty();
      }

      @Override
      public Optional<String> password(RedisInstance instance) {
        return Optional.empty();
      }

      @Override
      public Optional<String> boundPassword(String secretName) {
        return Optional.empty();
      }
    };
  }

  /** Product -> number of Nodes able to hold one worker of the spec; and why others could not. */
  public interface GpuPools {
    Map<String, Integer> of(TrainingJobSpec spec);

    /** Which of the spec's filters ruled out GPU nodes with room (see GpuProductSelector#exclusions); "" if none. */
    String exclusions(TrainingJobSpec spec);

    static GpuPools of(Collection<Node> nodes) {
      return new GpuPools() {
        @Override
        public Map<String, Integer> of(TrainingJobSpec spec) {
          return GpuProductSelector.pools(spec, nodes);
        }

        @Override
        public String exclusions(TrainingJobSpec spec) {
          return GpuProductSelector.exclusions(spec, nodes);
        }
      };
    }
  }

  /** A write to a child. */
  public sealed interface Action permits CreateService, CreateJob, DeleteJob, DeleteService, DeletePod, SyncRedisSecret,
      DeleteRedisSecret {}

  /** Deletes the job's copy of a password it may no longer have (the instance stopped allowing its namespace). */
  public record DeleteRedisSecret(Secret secret) implements Action {}

  /** Creates (or, when {@code exists}, rewrites) the job's copy of a bound instance's password. */
  public record SyncRedisSecret(Secret secret, boolean exists) implements Action {}

  public record CreateService(Service service) implements Action {}

  public record CreateJob(Job job) implements Action {}

  public record DeleteJob(Job job) implements Action {}

  public record DeleteService(Service service) implements Action {}

  public record DeletePod(Pod pod) implements Action {}

  public record Event(String type, String reason, String message) {}

  /** The Job controller's reason for a pod it could not create; the TrainingJob reports it under the same word. */
  public static final String FAILED_CREATE = "FailedCreate";

  /** How often a queued job looks at its place again (and at most how often that place is written). */
  public static final int QUEUE_REFRESH_SECONDS = 30;

  /** How often a job in a Kueue queue looks for Kueue again while its CRDs are missing (as Pipelines do for Argo). */
  public static final int KUEUE_RECHECK_SECONDS = 15;

  public record Plan(TrainingJobStatus status, List<Action> actions, List<Event> events, Optional<Duration> requeueAfter) {}

  public static Plan plan(TrainingJob tj, Observed observed, Instant now) {
    Plan plan = new Pass(tj, observed, now).run();
    plan.status().setReason(Conditions.leadingReason(plan.status().getConditions(), COND_VALID, COND_RUNNING));
    return plan;
  }

  /** One evaluation; mutable scratch space for a single call of {@link #plan}. */
  private static final class Pass {
    private final TrainingJob tj;
    private final TrainingJobSpec spec;
    private final Observed observed;
    private final Instant now;
    private final String nowText;
    private final Long generation;
    private final TrainingJobStatus before;
    private final TrainingJobStatus status;
    private final List<Action> actions = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    /** The Job of this TrainingJob (by owner uid); a Job left by a deleted namesake is not it. */
    private final Optional<Job> job;
    private final Optional<Job> foreignJob;
    private boolean invalid;
    private Instant wakeAt;

    Pass(TrainingJob tj, Observed observed, Instant now) {
      this.tj = tj;
      this.spec = tj.getSpec();
      this.observed = observed;
      this.now = now;
      this.nowText = Times.format(now);
      this.generation = tj.getMetadata().getGeneration();
      this.before = tj.getStatus() == null ? new TrainingJobStatus() : tj.getStatus();
      this.status = copy(before);
      this.job = observed.job().filter(j -> ownedBy(j, tj));
      this.foreignJob = observed.job().filter(j -> !ownedBy(j, tj));
    }

    Plan run() {
      status.setObservedGeneration(generation);
      if (status.getConditions() == null) {
        status.setConditions(new ArrayList<>());
      }
      List<String> errors = TrainingJobValidator.validate(tj, job);
      invalid = !errors.isEmpty();
      if (invalid) {
        // An invalid spec creates nothing new, but what runs is still watched: failures, the
        // deadline, suspension and clean-up keep working while the user fixes the spec.
        invalid(String.join("; ", errors));
      } else {
        condition(COND_VALID, Conditions.TRUE, "SpecValid", "The spec is valid.");
      }
      // Legal but probably a mistake: said once per spec change, the job runs as written.
      if (!Objects.equals(before.getObservedGeneration(), generation)) {
        TrainingJobValidator.warnings(tj).forEach(w -> events.add(new Event("Warning", "SpecWarning", w)));
      }
      if (spec.getNodes() != null && spec.getGpusPerNode() != null) {
        status.setGpus(spec.getNodes() * spec.getGpusPerNode());
      }
      int attempt = Math.max(status.getAttempt() == null ? 1 : status.getAttempt(), observedJobAttempt());
      status.setAttempt(attempt);
      status.setRestarts(attempt - 1);
      if (status.getFailures() == null) {
        status.setFailures(0);
      }
      if (status.getPhase() == null) {
        status.setPhase(PENDING);
      }
      countWorkers();

      if (isFinished(status.getPhase())) {
        finished();
      } else if (Boolean.TRUE.equals(runPolicy().getSuspend())) {
        suspend();
      } else {
        if (SUSPENDED.equals(status.getPhase())) {
          resume();
        }
        if (!deadlinePassed()) {
          active();
        }
      }
      return done();
    }

    private Plan done() {
      Duration requeue = wakeAt == null ? null : Duration.between(now, wakeAt).plusSeconds(1);
      return new Plan(status, actions, events, Optional.ofNullable(requeue).map(d -> d.isNegative() ? Duration.ofSeconds(1) : d));
    }

    // ---- invalid spec -------------------------------------------------------------------

    private void invalid(String message) {
      boolean alreadyReported = Conditions.find(before.getConditions(), COND_VALID)
          .map(c -> Conditions.FALSE.equals(c.getStatus()) && message.equals(c.getMessage())).orElse(false);
      condition(COND_VALID, Conditions.FALSE, "InvalidSpec", message);
      if (!alreadyReported) {
        events.add(new Event("Warning", "InvalidSpec", message));
      }
    }

    // ---- finished: keep the final status, release and clean up ----------------------------

    private void finished() {
      if (FAILED.equals(status.getPhase()) && job.isPresent() && !jobFinished(job.get())
          && "DeadlineExceeded".equals(failedReason())) {
        actions.add(new DeleteJob(job.get()));
      }
      Integer ttl = runPolicy().getTtlSecondsAfterFinished();
      if (ttl == null || status.getCompletionTime() == null) {
        return;
      }
      Instant due = Times.parse(status.getCompletionTime()).plusSeconds(ttl);
      boolean anything = job.isPresent() || observed.service().isPresent();
      if (!anything) {
        return;
      }
      if (now.isBefore(due)) {
        wake(due);
        return;
      }
      job.filter(j -> j.getMetadata().getDeletionTimestamp() == null)
          .ifPresent(j -> actions.add(new DeleteJob(j)));
      observed.service().ifPresent(s -> actions.add(new DeleteService(s)));
      events.add(new Event("Normal", "CleanedUp", "Removed the workers, Job and Service "
          + ttl + "s after the job finished (spec.runPolicy.ttlSecondsAfterFinished); the status stays."));
    }

    // ---- suspend / resume -----------------------------------------------------------------

    private void suspend() {
      job.filter(j -> j.getMetadata().getDeletionTimestamp() == null)
          .ifPresent(j -> actions.add(new DeleteJob(j)));
      if (!SUSPENDED.equals(status.getPhase())) {
        events.add(new Event("Normal", "Suspended", "spec.runPolicy.suspend is true: released the workers."));
      }
      setPhase(SUSPENDED, "Suspended", "spec.runPolicy.suspend is true: no worker runs and no GPU is held.");
    }

    private void resume() {
      boolean hadStarted = status.getStartTime() != null;
      if (hadStarted) {
        status.setAttempt(status.getAttempt() + 1);
        status.setRestarts(status.getAttempt() - 1);
        // The deadline clock restarts with the run, as for a resumed Kubernetes Job.
        status.setStartTime(nowText);
      }
      events.add(new Event("Normal", "Resumed", hadStarted
          ? "spec.runPolicy.suspend is false: starting attempt " + status.getAttempt() + "."
          : "spec.runPolicy.suspend is false: starting the job."));
      setPhase(hadStarted ? RESTARTING : PENDING, "Resumed", "Resuming.");
    }

    // ---- deadline ---------------------------------------------------------------------------

    private boolean deadlinePassed() {
      Long deadline = runPolicy().getActiveDeadlineSeconds();
      if (deadline == null || status.getStartTime() == null || attemptSucceeded()) {
        // Success already observed wins over a deadline noticed late (a restart, a failover).
        return false;
      }
      Instant due = Times.parse(status.getStartTime()).plusSeconds(deadline);
      if (now.isBefore(due)) {
        wake(due);
        return false;
      }
      String message = "The job ran longer than spec.runPolicy.activeDeadlineSeconds (" + deadline
          + "s); its workers were stopped and its GPUs released.";
      fail("DeadlineExceeded", message);
      job.filter(j -> j.getMetadata().getDeletionTimestamp() == null)
          .ifPresent(j -> actions.add(new DeleteJob(j)));
      return true;
    }

    // ---- the running life of an attempt ------------------------------------------------------

    private void active() {
      if (foreignJob.isPresent()) {
        // Left by a deleted TrainingJob of the same name: its owner is gone, so it goes too; nothing
        // of it (attempt, product, outcome) belongs to this job.
        foreignJob.filter(j -> j.getMetadata().getDeletionTimestamp() == null)
            .ifPresent(j -> actions.add(new DeleteJob(j)));
        setPhase(PENDING, "PreviousJobTerminating", "Waiting for the Job of a deleted TrainingJob with this name"
            + " to be removed.");
        return;
      }
      if (invalid && job.isEmpty()) {
        setPhase(Conditions.INVALID_PHASE, Conditions.INVALID_SPEC, "Nothing runs until the spec is fixed: see the Valid"
            + " condition.");
        return;
      }
      String product = status.getGpuProduct();
      if (product == null) {
        product = job.map(TrainingJobPlanner::jobProduct).orElse(null);
      }
      if (!invalid) {
        syncRedisSecrets();
      }
      if (job.isEmpty() && !invalid && (!volumesReady() || !redisReady())) {
        return;
      }
      boolean needsProduct = (spec.getGpusPerNode() != null && spec.getGpusPerNode() > 0)
          || (spec.getGpu() != null && spec.getGpu().getProduct() != null);
      List<String> candidates = product == null ? List.of() : List.of(product);
      if (product == null && needsProduct && !invalid) {
        Map<String, Integer> pools = observed.pools().of(spec);
        GpuProductSelector.Choice counted = GpuProductSelector.choose(spec, pools);
        GpuProductSelector.Choice choice = counted.placeable() ? counted
            : GpuProductSelector.explained(counted, spec, observed.pools().exclusions(spec));
        if (!choice.placeable()) {
          String message = choice.message();
          boolean wasReported = Conditions.find(before.getConditions(), COND_SCHEDULABLE)
              .map(c -> "InsufficientGpuNodes".equals(c.getReason()) && message.equals(c.getMessage()))
              .orElse(false);
          condition(COND_SCHEDULABLE, Conditions.FALSE, "InsufficientGpuNodes", message);
          if (!wasReported) {
            events.add(new Event("Warning", "InsufficientGpuNodes", message));
          }
          setPhase(PENDING, "InsufficientGpuNodes", "Waiting for GPU nodes: " + message);
          return;
        }
        // The pool sizes say which products could ever hold the gang; free GPUs decide among them at admission
        // (Kueue's ResourceFlavor does, for a job in a Kueue queue).
        candidates = KueuePolicy.queued(spec) ? List.of() : GpuProductSelector.candidates(spec, pools);
      }
      status.setGpuProduct(product);

      if (observed.service().isEmpty() && !invalid && job.isPresent()) {
        actions.add(new CreateService(TrainingJobResources.desiredService(tj)));
      }
      int attempt = status.getAttempt();
      if (job.isPresent() && (jobAttempt(job.get()) != attempt || job.get().getMetadata().getDeletionTimestamp() != null)) {
        if (job.get().getMetadata().getDeletionTimestamp() == null) {
          actions.add(new DeleteJob(job.get()));
        }
        setPhase(RESTARTING, "Restarting", "Stopping the workers of attempt " + jobAttempt(job.get())
            + " before attempt " + attempt + " starts.");
        holdPlace();
        return;
      }
      if (job.isEmpty()) {
        if (!invalid) {
          createAttempt(product, candidates, attempt);
        }
        return;
      }
      watchAttempt(job.get(), attempt);
    }

    /**
     * Whether every NasVolume the job mounts is Bound (by Kubernetes: its claim is bound to its PV),
     * and the checkpoint's is writable. Checked before each attempt's Job is created; while not, the
     * job waits with VolumesReady=False naming each volume, and a NasVolume's change wakes it.
     */
    private boolean volumesReady() {
      List<String> names = TrainingJobResources.nasVolumes(spec);
      if (names.isEmpty()) {
        return true;
      }
      List<String> problems = new ArrayList<>();
      for (String name : names) {
        Optional<NasVolume> nv = observed.nasVolumes().apply(name);
        if (nv.isEmpty()) {
          problems.add("NasVolume " + name + " does not exist in namespace " + tj.getMetadata().getNamespace());
          continue;
        }
        var st = nv.get().getStatus();
        String phase = st == null || st.getPhase() == null ? "not yet reconciled" : st.getPhase();
        if (nv.get().getMetadata().getDeletionTimestamp() != null) {
          problems.add("NasVolume " + name + " is being deleted");
        } else if (!"Bound".equals(phase)) {
          String why = st == null ? null : Conditions.find(st.getConditions(), "Ready").map(c -> c.getMessage()).orElse(null);
          problems.add("NasVolume " + name + " is " + phase + (why == null ? "" : " (" + why + ")"));
        } else if (spec.getCheckpoint() != null && name.equals(spec.getCheckpoint().getNasVolume())
            && (nv.get().getSpec() == null || nv.get().getSpec().getReadOnly() == null || nv.get().getSpec().getReadOnly())) {
          problems.add("NasVolume " + name + " is read-only: spec.checkpoint needs one with readOnly: false");
        }
      }
      if (problems.isEmpty()) {
        condition(COND_VOLUMES_READY, Conditions.TRUE, "VolumesBound", "NasVolume" + (names.size() == 1 ? " " : "s ")
            + String.join(", ", names) + (names.size() == 1 ? " is" : " are") + " Bound.");
        return true;
      }
      String message = String.join("; ", problems) + ".";
      boolean said = Conditions.find(before.getConditions(), COND_VOLUMES_READY)
          .map(c -> Conditions.FALSE.equals(c.getStatus()) && message.equals(c.getMessage())).orElse(false);
      condition(COND_VOLUMES_READY, Conditions.FALSE, "VolumesNotReady", message);
      if (!said) {
        events.add(new Event("Warning", "VolumesNotReady", message));
      }
      int attempt = status.getAttempt();
      setPhase(attempt > 1 ? RESTARTING : PENDING, "VolumesNotReady", "Waiting for volumes: " + message);
      return false;
    }

    /** Whether the instance allows the job's namespace: its own always; others by access.allowedNamespaces. */
    private boolean allows(RedisInstance instance) {
      String ns = tj.getMetadata().getNamespace();
      if (ns.equals(instance.getMetadata().getNamespace())) {
        return true;
      }
      var access = instance.getSpec() == null ? null : instance.getSpec().getAccess();
      if (access == null || access.getAllowedNamespaces() == null) {
        return false;
      }
      return observed.redis().namespaceLabels(ns).map(labels -> LabelSelectors.matches(access.getAllowedNamespaces(), labels))
          .orElse(true);
    }

    /**
     * Whether every RedisInstance the job binds exists, allows the job's namespace and is Ready.
     * Checked before each attempt's Job is created, like the volumes; a refusal is said once.
     */
    private boolean redisReady() {
      List<RedisBinding> bindings = spec.getRedis();
      if (bindings == null || bindings.isEmpty()) {
        return true;
      }
      List<String> refused = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      List<String> ready = new ArrayList<>();
      for (RedisBinding b : bindings) {
        String ns = TrainingJobResources.redisNamespace(tj, b);
        String id = ns + "/" + b.getName();
        Optional<RedisInstance> instance = observed.redis().instance(ns, b.getName());
        if (instance.isEmpty()) {
          problems.add("RedisInstance " + id + " does not exist");
        } else if (!allows(instance.get())) {
          var selector = instance.get().getSpec() == null || instance.get().getSpec().getAccess() == null ? null
              : instance.get().getSpec().getAccess().getAllowedNamespaces();
          refused.add("RedisInstance " + id + " does not allow namespace " + tj.getMetadata().getNamespace()
              + (selector == null ? " (it has no access.allowedNamespaces: only its own namespace may bind it)"
              : " (access.allowedNamespaces: " + LabelSelectors.describe(selector) + ")"));
        } else {
          var st = instance.get().getStatus();
          if (st == null || !Conditions.isTrue(st.getConditions(), "Ready")) {
            String why = st == null ? null : Conditions.find(st.getConditions(), "Ready").map(c -> c.getMessage()).orElse(null);
            problems.add("RedisInstance " + id + " is not Ready" + (why == null ? "" : " (" + why + ")"));
          } else if (RedisResources.secretName(instance.get()) != null
              && observed.redis().boundPassword(TrainingJobResources.redisSecretName(tj, b)).isEmpty()
              && actions.stream().noneMatch(a -> a instanceof SyncRedisSecret sync && !sync.exists()
                  && sync.secret().getMetadata().getName().equals(TrainingJobResources.redisSecretName(tj, b)))) {
            // Never a worker without its password: the copy exists, or is created in this pass before the Job.
            problems.add("the password of RedisInstance " + id + " is not available yet (its Secret is missing or being"
                + " rotated)");
          } else {
            ready.add(id);
          }
        }
      }
      if (refused.isEmpty() && problems.isEmpty()) {
        condition(COND_REDIS_READY, Conditions.TRUE, "RedisReady", "RedisInstance" + (ready.size() == 1 ? " " : "s ")
            + String.join(", ", ready) + (ready.size() == 1 ? " is" : " are") + " Ready.");
        return true;
      }
      List<String> all = new ArrayList<>(refused);
      all.addAll(problems);
      String message = String.join("; ", all) + ".";
      String reason = refused.isEmpty() ? "RedisNotReady" : "NamespaceNotAllowed";
      boolean said = Conditions.find(before.getConditions(), COND_REDIS_READY)
          .map(c -> Conditions.FALSE.equals(c.getStatus()) && message.equals(c.getMessage())).orElse(false);
      condition(COND_REDIS_READY, Conditions.FALSE, reason, message);
      if (!said) {
        events.add(new Event("Warning", reason, message));
      }
      int attempt = status.getAttempt();
      setPhase(attempt > 1 ? RESTARTING : PENDING, reason, "Waiting for Redis: " + message);
      return false;
    }

    /**
     * The job's copy of each bound instance's password, in a Secret of its namespace that its workers
     * read: created, and rewritten when the instance's password changes. Never for an instance that does
     * not allow the job's namespace.
     */
    private void syncRedisSecrets() {
      if (spec.getRedis() == null) {
        return;
      }
      for (RedisBinding b : spec.getRedis()) {
        Optional<RedisInstance> instance = observed.redis().instance(TrainingJobResources.redisNamespace(tj, b), b.getName());
        if (instance.isPresent() && !allows(instance.get())) {
          // No longer allowed (the namespace's labels or the selector changed): its copy goes.
          String copy = TrainingJobResources.redisSecretName(tj, b);
          if (observed.redis().boundPassword(copy).isPresent()) {
            actions.add(new DeleteRedisSecret(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName(copy).withNamespace(tj.getMetadata().getNamespace()).endMetadata().build()));
          }
          continue;
        }
        if (instance.isEmpty()) {
          continue;
        }
        Optional<String> password = observed.redis().password(instance.get());
        if (password.isEmpty()) {
          continue;
        }
        String name = TrainingJobResources.redisSecretName(tj, b);
        Optional<String> bound = observed.redis().boundPassword(name);
        if (bound.isEmpty() || !bound.get().equals(password.get())) {
          actions.add(new SyncRedisSecret(TrainingJobResources.redisSecret(tj, name, password.get()), bound.isPresent()));
        }
      }
    }

    private void createAttempt(String chosen, List<String> candidates, int attempt) {
      // No Job exists, so every worker pod is a leftover: of an earlier attempt, of a Job deleted
      // with --cascade=orphan, or of a deleted namesake. They must be gone before new ones exist.
      List<Pod> leftovers = observed.pods();
      if (!leftovers.isEmpty()) {
        // The old attempt's pods must be gone before new ones exist: no GPU is booked twice.
        leftovers.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .forEach(p -> actions.add(new DeletePod(p)));
        setPhase(attempt > 1 ? RESTARTING : PENDING, attempt > 1 ? "Restarting" : "LeftoverWorkers",
            leftovers.size() + " worker pod(s) without a Job are still terminating; attempt " + attempt
                + " starts when they are gone.");
        if (attempt > 1) {
          holdPlace();
        }
        return;
      }
      if (KueuePolicy.queued(spec)) {
        kueueAttempt(chosen, attempt);
        return;
      }
      String product = chosen;
      Optional<AdmissionLedger.Reservation> reservation = Optional.empty();
      String waited = null;
      if (spec.getGpusPerNode() != null && spec.getGpusPerNode() > 0 && !candidates.isEmpty()) {
        Optional<GangAdmission.Verdict> admitted = admit(candidates, attempt);
        if (admitted.isEmpty()) {
          return;
        }
        product = admitted.get().product();
        if (!admitted.get().nodes().isEmpty()) {
          reservation = Optional.of(new AdmissionLedger.Reservation(TrainingJobValidator.gpuResourceName(spec),
              spec.getGpusPerNode(), admitted.get().nodes()));
        }
        if (before.getQueue() != null && before.getQueue().getSince() != null) {
          waited = GangAdmission.Times.text(Duration.between(Times.parse(before.getQueue().getSince()), now));
        }
        status.setGpuProduct(product);
      }
      if (observed.service().isEmpty()) {
        actions.add(new CreateService(TrainingJobResources.desiredService(tj)));
      }
      actions.add(new CreateJob(TrainingJobResources.desiredJob(tj, product, attempt, reservation)));
      if (status.getStartTime() == null) {
        status.setStartTime(nowText);
        wakeAtDeadline();
      }
      String gpus = spec.getGpusPerNode() > 0
          ? spec.getGpusPerNode() + " GPU(s) each on " + product : "CPU only";
      if (reservation.isPresent()) {
        events.add(new Event("Normal", GangAdmission.ADMITTED, "Admitted attempt " + attempt
            + (waited == null ? "" : " after " + waited + " in the queue") + ": " + spec.getNodes() + " worker(s), "
            + gpus + ", on nodes " + String.join(", ", reservation.get().nodes()) + "."));
      } else {
        events.add(new Event("Normal", "AttemptStarted", "Created attempt " + attempt + ": " + spec.getNodes()
            + " worker(s), " + gpus + "."));
      }
      setPhase(STARTING, "WorkersStarting", "0 of " + spec.getNodes() + " workers running (attempt " + attempt + ").");
    }

    /**
     * An attempt for Kueue to admit: the Job is created suspended with the queue label (as Kueue's webhook would make
     * it), pinned to a GPU product only when spec.gpu.product fixes one (Kueue then admits it only to a ResourceFlavor
     * whose node labels agree); otherwise the flavor chooses the product. The deadline clock starts when Kueue admits.
     */
    private void kueueAttempt(String fixedProduct, int attempt) {
      String queueName = spec.getScheduling().getQueue();
      Optional<String> missing = observed.kueue().notInstalled();
      if (missing.isPresent()) {
        String message = missing.get();
        if (!Conditions.says(before.getConditions(), COND_ADMITTED, "KueueNotInstalled", message)) {
          events.add(new Event("Warning", "KueueNotInstalled", message));
        }
        condition(COND_ADMITTED, Conditions.FALSE, "KueueNotInstalled", message);
        setPhase(attempt > 1 ? RESTARTING : PENDING, "KueueNotInstalled", message);
        wake(now.plusSeconds(KUEUE_RECHECK_SECONDS));
        return;
      }
      String className = TrainingJobValidator.priorityClassName(spec);
      if (className != null && observed.admission().priority(className).isEmpty()) {
        priorityClassMissing(className, attempt);
        return;
      }
      String product = spec.getGpu() != null && spec.getGpu().getProduct() != null && !spec.getGpu().getProduct().isEmpty()
          ? spec.getGpu().getProduct() : fixedProduct;
      if (observed.service().isEmpty()) {
        actions.add(new CreateService(TrainingJobResources.desiredService(tj)));
      }
      actions.add(new CreateJob(TrainingJobResources.desiredJob(tj, product, attempt, Optional.empty())));
      String message = "Created attempt " + attempt + " suspended for Kueue (LocalQueue " + queueName + "): its workers"
          + " start when Kueue admits the Workload.";
      events.add(new Event("Normal", "AttemptStarted", message));
      condition(COND_ADMITTED, Conditions.FALSE, "WaitingForKueue", message);
      var queue = new dev.mlops.operator.api.v1alpha1.QueueStatus();
      queue.setSince(nowText);
      setPhase(QUEUED, "WaitingForKueue", message);
      status.setQueue(queue);
    }

    /**
     * What Kueue decided for the attempt's Job: still waiting (Queued, in Kueue's words), evicted (a restart not counted
     * against backoffLimit), or admitted. True when the pass is done with the attempt.
     */
    private boolean kueueDecision(Job job) {
      Optional<dev.mlops.operator.kueue.Workload> workload = observed.kueue().workload(job);
      String queueName = spec.getScheduling() == null || spec.getScheduling().getQueue() == null ? "?"
          : spec.getScheduling().getQueue();
      if (KueuePolicy.suspended(job)) {
        Optional<KueuePolicy.Evicted> evicted = KueuePolicy.evicted(job, workload);
        if (evicted.isPresent() && evicted.get().isFinal()) {
          // Kueue's decision to stop: the job fails and its suspended Job stays (deleting it would undo Kueue's).
          fail(evicted.get().reason(), evicted.get().message());
          return true;
        }
        if (evicted.isPresent()) {
          WorkerFailure failure = new WorkerFailure();
          failure.setReason(evicted.get().reason());
          failure.setMessage(evicted.get().message());
          failure.setTime(nowText);
          failure.setAttempt(status.getAttempt());
          restart(job, failure, evicted.get().reason(), evicted.get().message() + "; restarting all workers as attempt "
              + (status.getAttempt() + 1) + " when Kueue admits it again (not counted against"
              + " spec.runPolicy.backoffLimit).");
          // The deadline counts running time: it stops while Kueue holds the gang, and starts again at readmission.
          status.setStartTime(null);
          return true;
        }
        KueuePolicy.Waiting waiting = KueuePolicy.waiting(job, workload, queueName);
        var queue = new dev.mlops.operator.api.v1alpha1.QueueStatus();
        queue.setSince(before.getQueue() != null && before.getQueue().getSince() != null ? before.getQueue().getSince()
            : nowText);
        condition(COND_ADMITTED, Conditions.FALSE, waiting.reason(), waiting.message());
        setPhase(QUEUED, waiting.reason(), waiting.message());
        status.setQueue(queue);
        return true;
      }
      Optional<String> product = KueuePolicy.flavorProduct(job);
      if (status.getGpuProduct() == null) {
        product.ifPresent(status::setGpuProduct);
      }
      String message = "Kueue admitted attempt " + status.getAttempt() + " (LocalQueue " + queueName
          + workload.map(w -> ", Workload " + w.name()).orElse("") + ")"
          + product.map(p -> " on " + p).orElse("") + ".";
      if (!Conditions.isTrue(before.getConditions(), COND_ADMITTED)) {
        events.add(new Event("Normal", GangAdmission.ADMITTED, message));
      }
      condition(COND_ADMITTED, Conditions.TRUE, GangAdmission.ADMITTED, message);
      if (status.getStartTime() == null) {
        // The run starts when Kueue lets it: the deadline does not count the time in Kueue's queue.
        status.setStartTime(nowText);
        wakeAtDeadline();
      }
      return false;
    }

    private void priorityClassMissing(String className, int attempt) {
      String message = "PriorityClass " + className + " does not exist (spec.scheduling.priorityClassName): create it"
          + " or name another (kubectl get priorityclasses lists them); the job waits for it.";
      if (!Conditions.says(before.getConditions(), COND_ADMITTED, "PriorityClassNotFound", message)) {
        events.add(new Event("Warning", "PriorityClassNotFound", message));
      }
      condition(COND_ADMITTED, Conditions.FALSE, "PriorityClassNotFound", message);
      setPhase(attempt > 1 ? RESTARTING : PENDING, "PriorityClassNotFound", message);
      wake(now.plusSeconds(QUEUE_REFRESH_SECONDS));
    }

    private GangAdmission.Demand demand(List<String> candidates, int attempt, int priority) {
      Instant since = before.getQueue() != null && before.getQueue().getSince() != null
          ? Times.parse(before.getQueue().getSince()) : now;
      boolean ran = attempt > 1 && (status.getLastFailure() == null
          || !StartupPolicy.STARTUP_TIMEOUT.equals(status.getLastFailure().getReason()));
      Instant created = tj.getMetadata().getCreationTimestamp() == null ? null
          : parseOrNull(tj.getMetadata().getCreationTimestamp());
      return new GangAdmission.Demand(tj.getMetadata().getNamespace() + "/" + tj.getMetadata().getName(), spec,
          candidates, priority, ran, created, since);
    }

    /**
     * A gang being restarted keeps its place from the moment the restart is decided, while its old workers stop:
     * its next attempt is in the queue (ahead of jobs that never ran) before their GPUs are free for anyone else.
     */
    private void holdPlace() {
      String product = status.getGpuProduct();
      if (KueuePolicy.queued(spec) || product == null || spec.getGpusPerNode() == null || spec.getGpusPerNode() <= 0 || invalid) {
        return;
      }
      observed.admission().priority(TrainingJobValidator.priorityClassName(spec))
          .ifPresent(p -> observed.admission().ask(demand(List.of(product), status.getAttempt(), p), status.getAttempt()));
    }

    /**
     * Asks for the whole gang's GPUs: the verdict when admitted; otherwise the job is Queued (or waits for its
     * PriorityClass) and this pass ends.
     */
    private Optional<GangAdmission.Verdict> admit(List<String> candidates, int attempt) {
      String className = TrainingJobValidator.priorityClassName(spec);
      Optional<Integer> priority = observed.admission().priority(className);
      if (priority.isEmpty()) {
        priorityClassMissing(className, attempt);
        return Optional.empty();
      }
      GangAdmission.Demand demand = demand(candidates, attempt, priority.get());
      GangAdmission.Verdict verdict = observed.admission().ask(demand, attempt);
      if (verdict.admitted()) {
        Integer pool = observed.pools().of(spec).get(verdict.product());
        condition(COND_ADMITTED, Conditions.TRUE, GangAdmission.ADMITTED, verdict.message());
        condition(COND_SCHEDULABLE, Conditions.TRUE, "GpuProductSelected", "Workers run on " + verdict.product()
            + (pool == null ? "." : " (" + pool + " node" + (pool == 1 ? "" : "s") + " qualify)."));
        return Optional.of(verdict);
      }
      var queue = new dev.mlops.operator.api.v1alpha1.QueueStatus();
      queue.setPosition(verdict.position());
      queue.setSince(Times.format(demand.since()));
      condition(COND_ADMITTED, Conditions.FALSE, verdict.reason(), verdict.message());
      setPhase(QUEUED, verdict.reason(), verdict.message());
      status.setQueue(queue);
      wake(now.plusSeconds(QUEUE_REFRESH_SECONDS));
      return Optional.empty();
    }

    private void watchAttempt(Job job, int attempt) {
      if (KueuePolicy.managed(job) && kueueDecision(job)) {
        return;
      }
      int workers = expectedWorkers();
      List<Pod> pods = currentPods();
      Optional<Pod> disrupted = pods.stream().filter(p -> WorkerPods.disruption(p).isPresent())
          .min(Comparator.comparingInt(WorkerPods::index));
      // The cause first: pods the Job controller stopped after the first failure carry a deletion
      // timestamp and fail later; among the rest, the earliest.
      List<Pod> failed = pods.stream().filter(WorkerPods::isFailed)
          .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getDeletionTimestamp() != null)
              .thenComparing(p -> finishedAt(p)).thenComparingInt(WorkerPods::index)).toList();
      if (disrupted.isPresent()) {
        restartAfterDisruption(job, disrupted.get());
        return;
      }
      if (!failed.isEmpty()) {
        List<Integer> fatal = runPolicy().getNonRetryableExitCodes();
        Pod cause = failed.stream().filter(p -> fatal != null && WorkerPods.termination(p)
            .map(t -> fatal.contains(t.getExitCode())).orElse(false)).findFirst().orElse(failed.get(0));
        afterWorkerFailure(job, cause);
        return;
      }
      long succeeded = pods.stream().filter(WorkerPods::isSucceeded).count();
      if (jobCondition(job, "Complete") || succeeded >= workers) {
        status.setCompletionTime(nowText);
        setPhase(SUCCEEDED, "AllWorkersSucceeded", "All " + workers + " workers of attempt " + attempt
            + " exited with code 0.");
        events.add(new Event("Normal", "Succeeded", "All " + workers + " workers succeeded (attempt "
            + attempt + ")."));
        wakeForTtl();
        return;
      }
      if (jobCondition(job, "Failed")) {
        // The Job says failed but no failed pod is visible: give the pod's own update a moment to
        // arrive (it names the worker and exit code), then decide from the Job alone.
        if (jobFailedFor(job).compareTo(Duration.ofSeconds(10)) < 0) {
          wake(now.plusSeconds(2));
          return;
        }
        afterJobFailureWithoutPod(job);
        return;
      }
      List<Pod> unschedulable = pods.stream().filter(p -> WorkerPods.unschedulable(p).isPresent()).toList();
      Optional<StartupPolicy.NotStarting> notStarting = StartupPolicy.notStarting(pods);
      String why = pods.size() < workers && observed.podCreateRefusal().isPresent()
          ? "the Job controller cannot create pods: " + observed.podCreateRefusal().get()
          : !unschedulable.isEmpty() ? WorkerPods.unschedulable(unschedulable.get(0)).map(PodCondition::getMessage).orElse("")
          : notStarting.map(StartupPolicy.NotStarting::describe).orElse(null);
      Optional<StartupPolicy.TimedOut> timedOut = StartupPolicy.timedOut(job, pods, workers, spec.getScheduling(), now,
          why);
      if (timedOut.isPresent()) {
        startupTimedOut(job, timedOut.get());
        return;
      }
      if (pods.stream().filter(StartupPolicy::started).count() < workers) {
        StartupPolicy.deadline(job, spec.getScheduling()).ifPresent(this::wake);
      }
      if (pods.size() < workers && observed.podCreateRefusal().isPresent()) {
        // The cause sits in the Job's Events, where nobody looks: said here, in the job's own status.
        String message = "The Job controller cannot create " + (workers - pods.size()) + " of " + workers
            + " worker pods (attempt " + attempt + "): " + observed.podCreateRefusal().get();
        if (!Conditions.says(before.getConditions(), COND_RUNNING, FAILED_CREATE, message)) {
          events.add(new Event("Warning", FAILED_CREATE, message));
        }
        setPhase(STARTING, FAILED_CREATE, message);
        return;
      }
      if (!unschedulable.isEmpty()) {
        String unplaced = WorkerPods.unschedulable(unschedulable.get(0)).map(PodCondition::getMessage).orElse("");
        String message = unschedulable.size() + " of " + workers + " workers cannot be scheduled: " + unplaced;
        condition(COND_SCHEDULABLE, Conditions.FALSE, "Unschedulable", message);
        setPhase(PENDING, "Unschedulable", message);
        return;
      }
      long scheduled = pods.stream().filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null).count();
      if (scheduled >= workers) {
        condition(COND_SCHEDULABLE, Conditions.TRUE, "Scheduled", "All " + workers + " workers are placed"
            + (status.getGpuProduct() == null ? "." : " on " + status.getGpuProduct() + "."));
      }
      long ready = pods.stream().filter(WorkerPods::isReady).count();
      if (notStarting.isPresent() && ready + succeeded < workers) {
        // As kubectl get pods says ImagePullBackOff: the kubelet's reason, in the job's own status.
        setPhase(STARTING, notStarting.get().reason(), ready + " of " + workers + " workers running (attempt " + attempt
            + "); " + notStarting.get().describe());
        return;
      }
      if (ready > 0 && ready + succeeded >= workers) {
        // Workers finish one by one: the job is still running until the last one exits.
        if (!RUNNING.equals(before.getPhase())) {
          events.add(new Event("Normal", "Running", "All " + workers + " workers are running (attempt "
              + attempt + ")."));
        }
        setPhase(RUNNING, "AllWorkersRunning", "All " + workers + " workers are running (attempt " + attempt + ").");
      } else {
        setPhase(STARTING, "WorkersStarting", ready + " of " + workers + " workers running (attempt " + attempt + ").");
      }
    }

    /** spec.scheduling.onStartupTimeout: Requeue restarts the gang without counting a failure; Fail fails the job. */
    private void startupTimedOut(Job job, StartupPolicy.TimedOut timedOut) {
      if (!timedOut.requeue()) {
        actions.add(new DeleteJob(job));
        fail(StartupPolicy.STARTUP_TIMEOUT, timedOut.message());
        return;
      }
      WorkerFailure failure = timedOut.worker().map(p -> failure(p, StartupPolicy.STARTUP_TIMEOUT, timedOut.message()))
          .orElseGet(() -> {
            WorkerFailure f = new WorkerFailure();
            f.setReason(StartupPolicy.STARTUP_TIMEOUT);
            f.setMessage(timedOut.message());
            f.setTime(nowText);
            f.setAttempt(status.getAttempt());
            return f;
          });
      restart(job, failure, StartupPolicy.STARTUP_TIMEOUT, timedOut.message());
    }

    private void restartAfterDisruption(Job job, Pod pod) {
      PodCondition why = WorkerPods.disruption(pod).orElseThrow();
      WorkerFailure failure = failure(pod, why.getReason(), why.getMessage());
      int next = status.getAttempt() + 1;
      String message = "Worker " + failure.getWorker() + " was disrupted (" + why.getReason() + ": "
          + why.getMessage() + "); restarting all workers as attempt " + next
          + " (not counted against spec.runPolicy.backoffLimit).";
      restart(job, failure, "WorkerDisrupted", message);
    }

    private void afterWorkerFailure(Job job, Pod pod) {
      Optional<ContainerStateTerminated> end = WorkerPods.termination(pod);
      String reason = end.map(ContainerStateTerminated::getReason).orElse(
          pod.getStatus() != null && pod.getStatus().getReason() != null ? pod.getStatus().getReason() : "Error");
      String message = end.map(ContainerStateTerminated::getMessage).orElse(
          pod.getStatus() == null ? null : pod.getStatus().getMessage());
      WorkerFailure failure = failure(pod, reason, message);
      String what = "Worker " + failure.getWorker() + " exited with code "
          + (failure.getExitCode() == null ? "unknown" : failure.getExitCode()) + " (" + reason + ")";
      decideAfterFailure(job, failure, what);
    }

    private void afterJobFailureWithoutPod(Job job) {
      var condition = job.getStatus().getConditions().stream()
          .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElseThrow();
      WorkerFailure failure = new WorkerFailure();
      failure.setReason(condition.getReason() == null ? "JobFailed" : condition.getReason());
      failure.setMessage(condition.getMessage());
      failure.setTime(nowText);
      failure.setAttempt(status.getAttempt());
      decideAfterFailure(job, failure, "The Job of attempt " + status.getAttempt() + " failed ("
          + failure.getReason() + ")");
    }

    private void decideAfterFailure(Job job, WorkerFailure failure, String what) {
      List<Integer> fatal = runPolicy().getNonRetryableExitCodes();
      if (failure.getExitCode() != null && fatal != null && fatal.contains(failure.getExitCode())) {
        status.setLastFailure(failure);
        fail("NonRetryableExitCode", what + ", which spec.runPolicy.nonRetryableExitCodes lists: not retried.");
        return;
      }
      int limit = runPolicy().getBackoffLimit() == null ? RunPolicy.DEFAULT_BACKOFF_LIMIT : runPolicy().getBackoffLimit();
      int failures = status.getFailures() + 1;
      if (failures > limit) {
        status.setLastFailure(failure);
        fail("BackoffLimitExceeded", what + "; spec.runPolicy.backoffLimit (" + limit + ") restarts are used up.");
        return;
      }
      status.setFailures(failures);
      int next = status.getAttempt() + 1;
      restart(job, failure, "WorkerFailed", what + "; restarting all workers as attempt " + next
          + " (restart " + failures + " of spec.runPolicy.backoffLimit " + limit + ").");
    }

    /** Records attempt n+1 and tears attempt n down; the next pass creates n+1 once n's pods are gone. */
    private void restart(Job job, WorkerFailure failure, String reason, String message) {
      status.setLastFailure(failure);
      status.setAttempt(status.getAttempt() + 1);
      status.setRestarts(status.getAttempt() - 1);
      actions.add(new DeleteJob(job));
      events.add(new Event("Warning", reason, message));
      setPhase(RESTARTING, reason, message);
      holdPlace();
    }

    private void fail(String reason, String message) {
      status.setCompletionTime(nowText);
      setPhase(FAILED, reason, message);
      events.add(new Event("Warning", reason, message));
      wakeForTtl();
    }

    // ---- helpers ------------------------------------------------------------------------

    private void setPhase(String phase, String reason, String message) {
      status.setPhase(phase);
      status.setQueue(null);
      condition(COND_RUNNING, RUNNING.equals(phase) ? Conditions.TRUE : Conditions.FALSE, reason, message);
      condition(COND_SUCCEEDED, SUCCEEDED.equals(phase) ? Conditions.TRUE : Conditions.FALSE,
          SUCCEEDED.equals(phase) ? reason : "NotSucceeded",
          SUCCEEDED.equals(phase) ? message : "The job has not succeeded.");
      condition(COND_FAILED, FAILED.equals(phase) ? Conditions.TRUE : Conditions.FALSE,
          FAILED.equals(phase) ? reason : "NotFailed", FAILED.equals(phase) ? message : "The job has not failed.");
      condition(COND_SUSPENDED, SUSPENDED.equals(phase) ? Conditions.TRUE : Conditions.FALSE,
          SUSPENDED.equals(phase) ? reason : "NotSuspended",
          SUSPENDED.equals(phase) ? message : "spec.runPolicy.suspend is false.");
      if (Conditions.find(status.getConditions(), COND_SCHEDULABLE).isEmpty()) {
        condition(COND_SCHEDULABLE, Conditions.UNKNOWN, "NotEvaluated", "Placement has not been evaluated yet.");
      }
    }

    private void condition(String type, String value, String reason, String message) {
      Conditions.set(status.getConditions(), type, value, reason, message, generation, nowText);
    }

    private void countWorkers() {
      List<Pod> pods = currentPods();
      WorkerCounts counts = new WorkerCounts();
      counts.setActive((int) pods.stream().filter(WorkerPods::isActive).count());
      counts.setReady((int) pods.stream().filter(WorkerPods::isReady).count());
      counts.setSucceeded((int) pods.stream().filter(WorkerPods::isSucceeded).count());
      counts.setFailed((int) pods.stream().filter(WorkerPods::isFailed).count());
      status.setWorkers(counts);
    }

    private List<Pod> currentPods() {
      int attempt = status.getAttempt();
      return observed.pods().stream().filter(p -> WorkerPods.attempt(p) == attempt).toList();
    }

    private int observedJobAttempt() {
      return job.map(TrainingJobPlanner::jobAttempt).orElse(0);
    }

    /** The worker count the running attempt was created with (the spec may be invalid meanwhile). */
    private int expectedWorkers() {
      return job.map(j -> j.getSpec() == null ? null : j.getSpec().getCompletions())
          .orElse(spec.getNodes() == null ? 0 : spec.getNodes());
    }

    private boolean attemptSucceeded() {
      if (job.isEmpty()) {
        return false;
      }
      long succeeded = currentPods().stream().filter(WorkerPods::isSucceeded).count();
      return jobCondition(job.get(), "Complete") || (expectedWorkers() > 0 && succeeded >= expectedWorkers());
    }

    private Duration jobFailedFor(Job job) {
      return job.getStatus().getConditions().stream()
          .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
          .map(c -> parseOrNull(c.getLastTransitionTime())).filter(java.util.Objects::nonNull)
          .map(t -> Duration.between(t, now)).findFirst().orElse(Duration.ofDays(1));
    }

    private WorkerFailure failure(Pod pod, String reason, String message) {
      WorkerFailure failure = new WorkerFailure();
      failure.setWorker(WorkerPods.index(pod) < 0 ? null : WorkerPods.index(pod));
      failure.setExitCode(WorkerPods.termination(pod).map(ContainerStateTerminated::getExitCode).orElse(null));
      failure.setReason(reason);
      failure.setMessage(message);
      failure.setTime(Times.format(finishedAt(pod)));
      failure.setAttempt(status.getAttempt());
      return failure;
    }

    private Instant finishedAt(Pod pod) {
      return WorkerPods.termination(pod).map(ContainerStateTerminated::getFinishedAt)
          .map(TrainingJobPlanner::parseOrNull).orElse(now);
    }

    private String failedReason() {
      return Conditions.find(status.getConditions(), COND_FAILED).map(c -> c.getReason()).orElse(null);
    }

    private RunPolicy runPolicy() {
      return spec.getRunPolicy() == null ? new RunPolicy() : spec.getRunPolicy();
    }

    private void wakeAtDeadline() {
      Long deadline = runPolicy().getActiveDeadlineSeconds();
      if (deadline != null && status.getStartTime() != null) {
        wake(Times.parse(status.getStartTime()).plusSeconds(deadline));
      }
    }

    private void wakeForTtl() {
      Integer ttl = runPolicy().getTtlSecondsAfterFinished();
      if (ttl != null && status.getCompletionTime() != null) {
        wake(Times.parse(status.getCompletionTime()).plusSeconds(ttl));
      }
    }

    private void wake(Instant at) {
      if (wakeAt == null || at.isBefore(wakeAt)) {
        wakeAt = at;
      }
    }
  }

  /** Whether this TrainingJob controls the Job; unknown uids (render, old objects) count as owned. */
  static boolean ownedBy(Job job, TrainingJob tj) {
    String uid = tj.getMetadata().getUid();
    if (uid == null || job.getMetadata().getOwnerReferences() == null || job.getMetadata().getOwnerReferences().isEmpty()) {
      return true;
    }
    return job.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && "TrainingJob".equals(r.getKind()))
        .allMatch(r -> uid.equals(r.getUid()));
  }

  static int jobAttempt(Job job) {
    String value = job.getMetadata().getLabels() == null ? null
        : job.getMetadata().getLabels().get(TrainingJobResources.ATTEMPT_LABEL);
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String jobProduct(Job job) {
    return job.getMetadata().getLabels() == null ? null
        : job.getMetadata().getLabels().get(TrainingJobResources.PRODUCT_LABEL);
  }

  static boolean jobFinished(Job job) {
    return jobCondition(job, "Complete") || jobCondition(job, "Failed");
  }

  static boolean jobCondition(Job job, String type) {
    return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
        .stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Instant parseOrNull(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A deep copy, field by field (every pass copies the stored status; a JSON round trip cost more than the plan). */
  static TrainingJobStatus copy(TrainingJobStatus status) {
    if (status == null) {
      return null;
    }
    TrainingJobStatus copy = new TrainingJobStatus();
    copy.setPhase(status.getPhase());
    copy.setReason(status.getReason());
    copy.setGpuProduct(status.getGpuProduct());
    copy.setGpus(status.getGpus());
    if (status.getQueue() != null) {
      var queue = new dev.mlops.operator.api.v1alpha1.QueueStatus();
      queue.setPosition(status.getQueue().getPosition());
      queue.setSince(status.getQueue().getSince());
      copy.setQueue(queue);
    }
    copy.setAttempt(status.getAttempt());
    copy.setRestarts(status.getRestarts());
    copy.setFailures(status.getFailures());
    if (status.getWorkers() != null) {
      var w = status.getWorkers();
      var workers = new dev.mlops.operator.api.v1alpha1.WorkerCounts();
      workers.setActive(w.getActive());
      workers.setReady(w.getReady());
      workers.setSucceeded(w.getSucceeded());
      workers.setFailed(w.getFailed());
      copy.setWorkers(workers);
    }
    copy.setStartTime(status.getStartTime());
    copy.setCompletionTime(status.getCompletionTime());
    if (status.getLastFailure() != null) {
      var f = status.getLastFailure();
      var failure = new WorkerFailure();
      failure.setWorker(f.getWorker());
      failure.setExitCode(f.getExitCode());
      failure.setReason(f.getReason());
      failure.setMessage(f.getMessage());
      failure.setTime(f.getTime());
      failure.setAttempt(f.getAttempt());
      copy.setLastFailure(failure);
    }
    copy.setObservedGeneration(status.getObservedGeneration());
    copy.setConditions(status.getConditions() == null ? null : new java.util.ArrayList<>(status.getConditions().stream()
        .map(c -> new io.fabric8.kubernetes.api.model.ConditionBuilder(c).build()).toList()));
    return copy;
  }
}
