package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasBenchmark;
import dev.mlops.operator.api.v1alpha1.NasBenchmarkStatus;
import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.NasVolumeStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.LabelSelectors;
import dev.mlops.operator.common.Times;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A NasVolume's decision for one pass, pure: from the volume, its NasServer, its namespace's labels,
 * its PV and claim, and its benchmark Job and pod, the status and the writes. The controller
 * ({@link NasVolumeReconciler}) observes and applies; {@code render} prints the same children.
 */
public final class NasVolumePlanner {

  private NasVolumePlanner() {}

  public static final String PENDING = "Pending";
  public static final String BOUND = "Bound";
  public static final String LOST = "Lost";
  public static final String FAILED = "Failed";

  public static final String COND_VALID = "Valid";
  public static final String COND_READY = "Ready";
  public static final String COND_DELETING = "Deleting";
  /** How often a deletion that waits for pods looks again (pods are not watched for this). */
  public static final Duration DELETION_RECHECK = Duration.ofSeconds(10);

  /**
   * What the controller observed. {@code namespaceLabels} is empty when the namespace is unknown.
   * {@code benchmarkJobs}/{@code benchmarkPods}: this volume's, of any run.
   */
  public record Observed(Optional<NasServer> server, Optional<Map<String, String>> namespaceLabels,
      Optional<PersistentVolume> volume, Optional<PersistentVolumeClaim> claim, List<Job> benchmarkJobs,
      List<Pod> benchmarkPods, boolean foreignClaim) {
    /** {@code foreignClaim}: a claim of the volume's name exists that the operator did not make. */
    public Observed(Optional<NasServer> server, Optional<Map<String, String>> namespaceLabels,
        Optional<PersistentVolume> volume, Optional<PersistentVolumeClaim> claim, List<Job> benchmarkJobs,
        List<Pod> benchmarkPods) {
      this(server, namespaceLabels, volume, claim, benchmarkJobs, benchmarkPods, false);
    }
  }

  /** A write of the plan. */
  public sealed interface Action permits CreateVolume, CreateClaim, SetMountOptions, CreateBenchmark, DeleteBenchmark,
      DeleteClaim, DeleteVolume {}

  public record CreateVolume(PersistentVolume volume) implements Action {}

  public record CreateClaim(PersistentVolumeClaim claim) implements Action {}

  /** A PV's mount options are the one part of its spec that may change: the NasServer's options reach it. */
  public record SetMountOptions(PersistentVolume volume, List<String> mountOptions) implements Action {}

  public record CreateBenchmark(Job job) implements Action {}

  public record DeleteBenchmark(Job job) implements Action {}

  public record DeleteClaim(PersistentVolumeClaim claim) implements Action {}

  public record DeleteVolume(PersistentVolume volume) implements Action {}

  public record Event(String type, String reason, String message) {}

  public record Plan(NasVolumeStatus status, List<Action> actions, List<Event> events, Optional<Duration> requeueAfter,
      boolean finalizerMayGo) {}

  public static Plan plan(NasVolume nv, Observed observed, Instant now, String benchmarkImage) {
    Pass pass = new Pass(nv, observed, now);
    pass.reconcile(benchmarkImage);
    return pass.plan(false);
  }

  /**
   * The NasVolume is being deleted. Retain: its PV and claim stay, and the finalizer goes. Delete:
   * the PV and claim are deleted once no pod uses the claim ({@code podsUsingClaim}); until then it
   * waits and says so. The data on the NAS is never touched: the PV's reclaim policy is Retain.
   */
  public static Plan cleanup(NasVolume nv, Observed observed, List<String> podsUsingClaim, Instant now) {
    Pass pass = new Pass(nv, observed, now);
    observed.benchmarkJobs().stream().filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .forEach(j -> pass.actions.add(new DeleteBenchmark(j)));
    if (!"Delete".equals(nv.getSpec() == null ? null : nv.getSpec().getDeletionPolicy())) {
      pass.events.add(new Event("Normal", "Retained", "Deleted with deletionPolicy Retain: PersistentVolume "
          + pass.pvName + " and claim " + pass.name + " are kept; the data on the NAS is untouched."));
      return pass.plan(true);
    }
    if (!podsUsingClaim.isEmpty()) {
      String message = "Waiting to delete claim " + pass.name + " and PersistentVolume " + pass.pvName + ": pod"
          + (podsUsingClaim.size() == 1 ? " " : "s ") + String.join(", ", podsUsingClaim.stream().limit(10).toList())
          + (podsUsingClaim.size() > 10 ? " and " + (podsUsingClaim.size() - 10) + " more" : "")
          + (podsUsingClaim.size() == 1 ? " still uses it." : " still use it.");
      boolean said = Conditions.find(pass.before.getConditions(), COND_DELETING)
          .map(c -> message.equals(c.getMessage())).orElse(false);
      pass.condition(COND_DELETING, Conditions.TRUE, "ClaimInUse", message);
      if (!said) {
        pass.events.add(new Event("Warning", "ClaimInUse", message));
      }
      return new Plan(pass.status, pass.actions, pass.events, Optional.of(DELETION_RECHECK), false);
    }
    observed.claim().filter(c -> c.getMetadata().getDeletionTimestamp() == null)
        .ifPresent(c -> pass.actions.add(new DeleteClaim(c)));
    observed.volume().filter(v -> v.getMetadata().getDeletionTimestamp() == null)
        .ifPresent(v -> pass.actions.add(new DeleteVolume(v)));
    pass.events.add(new Event("Normal", "Deleted", "Deleted with deletionPolicy Delete: claim " + pass.name
        + " and PersistentVolume " + pass.pvName + " are deleted; the data on the NAS is untouched."));
    return pass.plan(true);
  }

  /** Scratch space of one call. */
  private static final class Pass {
    private final NasVolume nv;
    private final Observed observed;
    private final String now;
    private final String name;
    private final String namespace;
    private final String pvName;
    private final NasVolumeStatus before;
    private final NasVolumeStatus status;
    private final List<Action> actions = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    Pass(NasVolume nv, Observed observed, Instant now) {
      this.nv = nv;
      this.observed = observed;
      this.now = Times.format(now);
      this.name = nv.getMetadata().getName();
      this.namespace = nv.getMetadata().getNamespace();
      this.pvName = NasVolumeResources.persistentVolumeName(namespace, name);
      this.before = nv.getStatus() == null ? new NasVolumeStatus() : nv.getStatus();
      this.status = before.copy();
      status.setObservedGeneration(nv.getMetadata().getGeneration());
    }

    Plan plan(boolean finalizerMayGo) {
      status.setReason(Conditions.leadingReason(status.getConditions(), COND_VALID, COND_DELETING, COND_READY));
      return new Plan(status, actions, events, Optional.empty(), finalizerMayGo);
    }

    void reconcile(String benchmarkImage) {
      List<String> errors = NasValidator.validateVolume(name, nv.getSpec());
      if (!errors.isEmpty()) {
        String message = String.join("; ", errors);
        warnOnChange(COND_VALID, "InvalidSpec", message);
        condition(COND_VALID, Conditions.FALSE, "InvalidSpec", message);
        notReady(Conditions.INVALID_PHASE, Conditions.INVALID_SPEC, "Nothing is created until the spec is fixed.", false);
        return;
      }
      condition(COND_VALID, Conditions.TRUE, "SpecValid", "The spec is valid.");
      String serverName = nv.getSpec().getServer();
      if (observed.server().isEmpty()) {
        notReady(PENDING, "NasServerNotFound", "NasServer " + serverName + " does not exist; ask a storage"
            + " administrator for an approved export (kubectl get nasservers).", true);
        return;
      }
      NasServer server = observed.server().get();
      List<String> serverErrors = NasValidator.validateServer(server.getSpec());
      if (!serverErrors.isEmpty()) {
        notReady(PENDING, "NasServerInvalid", "NasServer " + serverName + " is invalid: "
            + String.join("; ", serverErrors), true);
        return;
      }
      boolean allowed = observed.namespaceLabels()
          .map(labels -> LabelSelectors.matches(server.getSpec().getAllowedNamespaces(), labels)).orElse(false);
      if (!allowed) {
        notReady(PENDING, "NamespaceNotAllowed", "NasServer " + serverName + " does not allow namespace "
            + namespace + ": its spec.allowedNamespaces selects namespaces labelled "
            + LabelSelectors.describe(server.getSpec().getAllowedNamespaces())
            + (observed.volume().isPresent() ? ". The existing PersistentVolume and claim are kept, unused." : "."),
            true);
        return;
      }
      if (observed.foreignClaim()) {
        // Never adopt, change or delete a claim the operator did not make; nor create a PV it could bind to.
        notReady(PENDING, "ClaimConflict", "A PersistentVolumeClaim named " + name + " already exists in namespace "
            + namespace + " and was not made for this NasVolume: rename the NasVolume, or delete that claim if it is"
            + " not needed.", true);
        return;
      }
      PersistentVolume desiredVolume = NasVolumeResources.desiredPersistentVolume(namespace, name, nv.getSpec(),
          server.getSpec());
      Optional<String> mismatch = observed.volume().flatMap(pv -> NasVolumeResources.sourceMismatch(pv, desiredVolume));
      if (mismatch.isPresent()) {
        // A PV kept from an earlier NasVolume of this name (deletionPolicy Retain) or an earlier NasServer of
        // the server's name: its source is not this spec's. Never mount the wrong export: say what to do.
        notReady(LOST, "VolumeMismatch", "PersistentVolume " + pvName + " was made for another spec ("
            + mismatch.get() + "): delete claim " + name + " and PersistentVolume " + pvName + " (the data on the NAS"
            + " stays) and the operator creates them for this spec.", true);
        return;
      }
      List<String> options = desiredVolume.getSpec().getMountOptions();
      status.setPersistentVolumeName(pvName);
      status.setPersistentVolumeClaimName(name);
      status.setMountOptions(options);
      if (observed.volume().isEmpty()) {
        actions.add(new CreateVolume(desiredVolume));
      } else if (!Objects.equals(observed.volume().get().getSpec().getMountOptions(), options)) {
        actions.add(new SetMountOptions(observed.volume().get(), options));
        events.add(new Event("Normal", "MountOptionsChanged", "PersistentVolume " + pvName + " now has mount options "
            + String.join(",", options) + "; pods mounted before keep theirs until they restart."));
      }
      if (observed.claim().isEmpty()) {
        actions.add(new CreateClaim(NasVolumeResources.desiredClaim(namespace, name, nv.getSpec())));
      }
      String phase = bindingPhase();
      if (BOUND.equals(phase)) {
        if (!BOUND.equals(before.getPhase())) {
          events.add(new Event("Normal", "Bound", "Claim " + name + " is bound to PersistentVolume " + pvName + " ("
              + NasPaths.join(server.getSpec().getNfs().getExportRoot(), nv.getSpec().getPath()) + " on "
              + server.getSpec().getNfs().getServer() + ")."));
        }
        status.setPhase(BOUND);
        condition(COND_READY, Conditions.TRUE, "Bound", "Claim " + name + " is bound to PersistentVolume " + pvName + ".");
        benchmark(benchmarkImage);
      } else if (LOST.equals(phase)) {
        String message = lostMessage();
        warnOnChange(COND_READY, "Lost", message);
        status.setPhase(LOST);
        condition(COND_READY, Conditions.FALSE, "Lost", message);
      } else {
        status.setPhase(PENDING);
        condition(COND_READY, Conditions.FALSE, "WaitingForBinding", "Waiting for Kubernetes to bind claim " + name
            + " to PersistentVolume " + pvName + ".");
      }
    }

    /** Bound only when Kubernetes says so: the claim is Bound, to this PV. */
    private String bindingPhase() {
      Optional<PersistentVolumeClaim> claim = observed.claim();
      Optional<PersistentVolume> volume = observed.volume();
      if (claim.isPresent() && volume.isPresent()) {
        String claimPhase = claim.get().getStatus() == null ? null : claim.get().getStatus().getPhase();
        if ("Lost".equals(claimPhase) || (claim.get().getSpec().getVolumeName() != null
            && !pvName.equals(claim.get().getSpec().getVolumeName()))) {
          return LOST;
        }
        var ref = volume.get().getSpec().getClaimRef();
        if (ref != null && ref.getUid() != null && claim.get().getMetadata().getUid() != null
            && !ref.getUid().equals(claim.get().getMetadata().getUid())) {
          return LOST;
        }
        return "Bound".equals(claimPhase) ? BOUND : PENDING;
      }
      // One of them is gone after the volume had been bound: say so, and create it again.
      return BOUND.equals(before.getPhase()) || LOST.equals(before.getPhase()) ? LOST : PENDING;
    }

    private String lostMessage() {
      if (observed.volume().isEmpty()) {
        return "PersistentVolume " + pvName + " is gone; it is being created again (the data on the NAS is untouched).";
      }
      if (observed.claim().isEmpty()) {
        return "Claim " + name + " is gone; it is being created again (the data on the NAS is untouched).";
      }
      return "Claim " + name + " is not bound to PersistentVolume " + pvName + " (claim phase "
          + (observed.claim().get().getStatus() == null ? "unknown" : observed.claim().get().getStatus().getPhase())
          + ", volumeName " + observed.claim().get().getSpec().getVolumeName() + "): delete the claim and the"
          + " operator creates it again, bound to its volume.";
    }

    private void notReady(String phase, String reason, String message, boolean warn) {
      if (warn) {
        warnOnChange(COND_READY, reason, message);
      }
      status.setPhase(phase);
      condition(COND_READY, Conditions.FALSE, reason, message);
    }

    /** A Warning Event when the condition's reason or message is new (not on every pass). */
    private void warnOnChange(String type, String reason, String message) {
      boolean said = Conditions.find(before.getConditions(), type)
          .map(c -> reason.equals(c.getReason()) && message.equals(c.getMessage())).orElse(false);
      if (!said) {
        events.add(new Event("Warning", reason, message));
      }
    }

    void condition(String type, String value, String reason, String message) {
      Conditions.set(status.getConditions(), type, value, reason, message, nv.getMetadata().getGeneration(), now);
    }

    // ---- benchmark ----------------------------------------------------------------------------

    private void benchmark(String image) {
      NasBenchmark spec = nv.getSpec().getBenchmark();
      String wanted = spec != null && spec.enabled() ? NasBenchmarkJob.jobName(name, spec.runIdOrDefault()) : null;
      // Jobs of other runs (an earlier runId, a disabled benchmark) go; their results stay in status.
      observed.benchmarkJobs().stream().filter(j -> !j.getMetadata().getName().equals(wanted))
          .filter(j -> j.getMetadata().getDeletionTimestamp() == null).forEach(j -> actions.add(new DeleteBenchmark(j)));
      if (wanted == null) {
        return;
      }
      String runId = spec.runIdOrDefault();
      NasBenchmarkStatus result = before.getBenchmark();
      boolean finished = result != null && runId.equals(result.getRunId())
          && ("Succeeded".equals(result.getState()) || "Failed".equals(result.getState()));
      Optional<Job> job = observed.benchmarkJobs().stream().filter(j -> j.getMetadata().getName().equals(wanted))
          .findFirst();
      if (finished) {
        job.filter(j -> j.getMetadata().getDeletionTimestamp() == null).ifPresent(j -> actions.add(new DeleteBenchmark(j)));
        return;
      }
      if (job.isEmpty()) {
        actions.add(new CreateBenchmark(NasBenchmarkJob.desired(nv, image)));
        status.setBenchmark(running(runId, wanted, spec.sizeMiBOrDefault()));
        if (result == null || !runId.equals(result.getRunId())) {
          events.add(new Event("Normal", "BenchmarkStarted", "Benchmark run " + runId + " started: Job " + wanted
              + " writes and reads " + spec.sizeMiBOrDefault() + " MiB with direct I/O."));
        }
        return;
      }
      Optional<Pod> pod = observed.benchmarkPods().stream()
          .filter(p -> wanted.equals(p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get("job-name")))
          .filter(p -> NasBenchmarkJob.terminated(p).isPresent()).findFirst();
      if (pod.isEmpty()) {
        Optional<String> jobFailure = job.get().getStatus() == null || job.get().getStatus().getConditions() == null
            ? Optional.empty() : job.get().getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getReason() + ": " + c.getMessage()).findFirst();
        if (jobFailure.isEmpty()) {
          status.setBenchmark(running(runId, wanted, spec.sizeMiBOrDefault()));
          return;
        }
        // The Job gave up without a container that ran to the end (a deadline, a pod deleted): no result.
        NasBenchmarkStatus failed = running(runId, wanted, spec.sizeMiBOrDefault());
        failed.setState("Failed");
        failed.setCompletedAt(now);
        failed.setMessage("Job " + wanted + " failed without a result: " + jobFailure.get());
        events.add(new Event("Warning", "BenchmarkFailed", "Benchmark run " + runId + " failed: " + failed.getMessage()));
        status.setBenchmark(failed);
        actions.add(new DeleteBenchmark(job.get()));
        return;
      }
      var terminated = NasBenchmarkJob.terminated(pod.get()).get();
      NasBenchmarkStatus done = running(runId, wanted, spec.sizeMiBOrDefault());
      done.setCompletedAt(terminated.getFinishedAt() != null ? terminated.getFinishedAt() : now);
      Optional<double[]> mibps = NasBenchmarkJob.result(terminated.getMessage());
      if (Integer.valueOf(0).equals(terminated.getExitCode()) && mibps.isPresent()) {
        done.setState("Succeeded");
        done.setWriteMiBps(mibps.get()[0]);
        done.setReadMiBps(mibps.get()[1]);
        events.add(new Event("Normal", "BenchmarkSucceeded", "Benchmark run " + runId + ": write "
            + mibps.get()[0] + " MiB/s, read " + mibps.get()[1] + " MiB/s (" + spec.sizeMiBOrDefault()
            + " MiB, direct I/O)."));
      } else {
        done.setState("Failed");
        String why = terminated.getMessage() == null || terminated.getMessage().isBlank()
            ? "exit code " + terminated.getExitCode()
                + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")")
                + ", no result in the termination message"
            : "exit code " + terminated.getExitCode() + ": " + terminated.getMessage().trim();
        done.setMessage(why);
        events.add(new Event("Warning", "BenchmarkFailed", "Benchmark run " + runId + " failed: " + why));
      }
      status.setBenchmark(done);
      actions.add(new DeleteBenchmark(job.get()));
    }

    private static NasBenchmarkStatus running(String runId, String job, int sizeMiB) {
      NasBenchmarkStatus s = new NasBenchmarkStatus();
      s.setRunId(runId);
      s.setState("Running");
      s.setJobName(job);
      s.setSizeMiB(sizeMiB);
      return s;
    }
  }
}
