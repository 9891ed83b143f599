package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisFailoverStatus;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceSpec;
import dev.mlops.operator.api.v1alpha1.RedisInstanceStatus;
import dev.mlops.operator.api.v1alpha1.RedisReplicaStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.Times;
import dev.mlops.operator.kind.KindPlan.KindEvent;
import dev.mlops.operator.redis.RedisConnector.Address;
import dev.mlops.operator.redis.RedisTopology.Server;
import dev.mlops.operator.redis.RedisTopology.State;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A RedisInstance's decision for one pass, pure: from the spec, the children the caches hold and what
 * each server answered, the children to create or change, the {@code REPLICAOF} commands of the
 * failover manager ({@link RedisTopology}), the role label of each pod (the Services select on it),
 * and the status.
 */
public final class RedisPlanner {

  private RedisPlanner() {}

  public static final String COND_VALID = "Valid";
  public static final String COND_READY = "Ready";
  public static final String COND_DEGRADED = "Degraded";
  /** How often a valid instance is probed for its live status. */
  public static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);
  /** used_memory at or above this share of maxmemory is MemoryNearLimit. */
  public static final double MEMORY_NEAR_LIMIT = 0.9;

  /**
   * What the reconciler saw.
   *
   * @param children        the instance's children from the caches, by name (StatefulSet, ConfigMap, Services, ...)
   * @param pods            the StatefulSet's pods
   * @param secretProblem   why the password cannot be used (a missing existingSecret), if so
   * @param servers         each pod's server and its answer, in ordinal order (empty when not probed)
   */
  /**
   * @param claims            the StatefulSet's claims (data-NAME-i): a Pending one is why a pod cannot be scheduled
   * @param operatorNamespace where the operator's pod runs (null outside a pod): the NetworkPolicy admits it from there
   */
  public record Observed(List<HasMetadata> children, List<Pod> pods, Optional<String> secretProblem, List<Server> servers,
      Optional<Password> password, Map<String, List<String>> passwordHashes, List<PersistentVolumeClaim> claims,
      String operatorNamespace) {

    public Observed(List<HasMetadata> children, List<Pod> pods, Optional<String> secretProblem, List<Server> servers) {
      this(children, pods, secretProblem, servers, Optional.empty(), Map.of(), List.of(), null);
    }

    public Observed(List<HasMetadata> children, List<Pod> pods, Optional<String> secretProblem, List<Server> servers,
        Optional<Password> password, Map<String, List<String>> passwordHashes) {
      this(children, pods, secretProblem, servers, password, passwordHashes, List.of(), null);
    }

    public Observed withClaims(List<PersistentVolumeClaim> claims) {
      return new Observed(children, pods, secretProblem, servers, password, passwordHashes, claims, operatorNamespace);
    }

    public Observed withOperatorNamespace(String namespace) {
      return new Observed(children, pods, secretProblem, servers, password, passwordHashes, claims, namespace);
    }

    /** During a rotation: the default user's password hashes ({@code ACL GETUSER}) per pod that answered. */
    boolean everyServerHas(String hash) {
      return !servers.isEmpty() && servers.stream().allMatch(s -> passwordHashes.getOrDefault(s.pod(), List.of())
          .contains(hash));
    }

    boolean everyServerHasOnly(String hash) {
      return !servers.isEmpty() && servers.stream().allMatch(s -> passwordHashes.getOrDefault(s.pod(), List.of())
          .equals(List.of(hash)));
    }

    <T extends HasMetadata> Optional<T> child(Class<T> type, String name) {
      return children.stream().filter(type::isInstance).map(type::cast)
          .filter(c -> name.equals(c.getMetadata().getName())).findFirst();
    }
  }

  /**
   * The password the instance's Secret holds now, and which version of the Secret that is
   * ({@code name@resourceVersion}): a change starts a rotation.
   */
  public record Password(String secret, String value) {
    @Override
    public String toString() {
      return secret;
    }
  }

  /** A write the pass makes. */
  public sealed interface Action {}

  /** Creates a child the instance lacks. */
  public record Create(String what, HasMetadata child) implements Action {}

  /** Replaces what the operator owns of a child whose desired hash changed. */
  public record Update(HasMetadata observed, HasMetadata desired) implements Action {}

  public record Delete(HasMetadata child) implements Action {}

  /**
   * Creates a generated Secret with a fresh password, made at write time (never planned, never
   * rendered): the auth Secret, or ({@code operator}) the operator's own ACL user's.
   */
  public record GenerateSecret(RedisInstance instance, boolean operator) implements Action {}

  /** Adds the new password to the server's default user and makes it its masterauth (the old one stays valid). */
  public record AcceptPassword(String pod, Address server, String password) implements Action {}

  /** Removes every password of the server's default user but the new one. */
  public record DropOldPasswords(String pod, Address server, String password) implements Action {}

  /** Sets the generated Secret's ownerReferences (deletionPolicy Delete owns it, Retain does not); never its data. */
  public record SetSecretOwners(Secret secret, List<OwnerReference> owners) implements Action {}

  public record SetRole(Pod pod, String role) implements Action {}

  public record Replicate(RedisTopology.Command command) implements Action {}

  public record Plan(RedisInstanceStatus status, List<Action> actions, List<KindEvent> events, Optional<Duration> requeueAfter) {}

  public static Plan plan(RedisInstance ri, Observed observed, Instant now) {
    Plan plan = planWithoutReason(ri, observed, now);
    List<Condition> conditions = plan.status().getConditions();
    String reason = Conditions.leadingReason(conditions, COND_VALID, COND_READY);
    if (Conditions.isTrue(conditions, COND_READY) && Conditions.isTrue(conditions, COND_DEGRADED)) {
      reason = Conditions.find(conditions, COND_DEGRADED).get().getReason();
    }
    plan.status().setReason(reason);
    return plan;
  }

  /** Parts joined with "; ", as one sentence. */
  private static String sentence(List<String> parts) {
    String joined = String.join("; ", parts);
    return Character.toUpperCase(joined.charAt(0)) + joined.substring(1) + ".";
  }

  private static Plan planWithoutReason(RedisInstance ri, Observed observed, Instant now) {
    RedisInstanceStatus before = ri.getStatus() == null ? new RedisInstanceStatus() : ri.getStatus();
    RedisInstanceStatus status = new RedisInstanceStatus();
    status.setConditions(before.getConditions() == null ? new ArrayList<>() : new ArrayList<>(before.getConditions()));
    Long generation = ri.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    String nowText = Times.format(now);
    List<KindEvent> events = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    String name = ri.getMetadata().getName();
    String namespace = ri.getMetadata().getNamespace();

    List<String> errors = RedisValidator.validate(ri);
    if (!errors.isEmpty()) {
      String message = String.join("; ", errors);
      if (!Conditions.find(before.getConditions(), COND_VALID)
          .map(c -> Conditions.FALSE.equals(c.getStatus()) && message.equals(c.getMessage())).orElse(false)) {
        events.add(new KindEvent("Warning", "InvalidSpec", message));
      }
      // Nothing is started on an invalid spec; what runs keeps running and is reported as it was.
      status.setPhase(Conditions.INVALID_PHASE);
      status.setMaster(before.getMaster());
      status.setMasterReplicationId(before.getMasterReplicationId());
      status.setLastFailover(before.getLastFailover());
      status.setAuth(before.getAuth());
      Conditions.set(status.getConditions(), COND_VALID, Conditions.FALSE, "InvalidSpec", message, generation, nowText);
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, "InvalidSpec", "The spec is invalid: see the"
          + " Valid condition.", generation, nowText);
      return new Plan(status, actions, events, Optional.empty());
    }
    Conditions.set(status.getConditions(), COND_VALID, Conditions.TRUE, "SpecValid", "The spec is valid.", generation,
        nowText);
    RedisInstanceSpec spec = ri.getSpec();
    boolean replication = RedisResources.replication(spec);
    status.setEndpoint(name + "." + namespace + ".svc:" + RedisConnector.PORT);
    status.setReadEndpoint(replication ? RedisResources.replicasServiceName(name) + "." + namespace + ".svc:"
        + RedisConnector.PORT : null);
    status.setSecretName(RedisResources.secretName(ri));

    // ---- children ----
    if (RedisResources.authEnabled(spec)) {
      List<String> generated = new ArrayList<>();
      if (RedisResources.generatesSecret(ri)) {
        generated.add(RedisResources.generatedSecretName(name));
      }
      generated.add(RedisResources.operatorSecretName(name));
      for (String secretName : generated) {
        Optional<Secret> secret = observed.child(Secret.class, secretName);
        if (secret.isEmpty()) {
          actions.add(new GenerateSecret(ri, secretName.equals(RedisResources.operatorSecretName(name))));
        } else if (!sameOwners(secret.get().getMetadata().getOwnerReferences(), RedisResources.secretOwners(ri))) {
          actions.add(new SetSecretOwners(secret.get(), RedisResources.secretOwners(ri)));
        }
      }
    }
    ensure(actions, observed, ConfigMap.class, "ConfigMap", RedisResources.configMap(ri));
    ensure(actions, observed, Service.class, "headless Service", RedisResources.headlessService(ri));
    ensure(actions, observed, Service.class, "master Service", RedisResources.masterService(ri));
    if (replication) {
      ensure(actions, observed, Service.class, "replicas Service", RedisResources.replicasService(ri));
    }
    ensure(actions, observed, PodDisruptionBudget.class, "PodDisruptionBudget", RedisResources.disruptionBudget(ri));
    boolean policy = spec.getAccess() != null && Boolean.TRUE.equals(spec.getAccess().getNetworkPolicy());
    if (policy) {
      ensure(actions, observed, NetworkPolicy.class, "NetworkPolicy", RedisResources.networkPolicy(ri,
          observed.operatorNamespace()));
    } else {
      observed.child(NetworkPolicy.class, name).ifPresent(p -> actions.add(new Delete(p)));
    }
    Optional<String> problem0 = observed.secretProblem();
    boolean operatorSecret = !RedisResources.authEnabled(spec)
        || observed.child(Secret.class, RedisResources.operatorSecretName(name)).isPresent();
    if (problem0.isEmpty() && !operatorSecret) {
      // Created in this pass: until it is cached the servers are not probed, and nothing they said is forgotten.
      problem0 = Optional.of("Waiting for the operator's own Secret " + RedisResources.operatorSecretName(name));
    }
    if (problem0.isPresent()) {
      String problem = problem0.get();
      boolean own = !operatorSecret && observed.secretProblem().isEmpty();
      if (!own && !Conditions.find(before.getConditions(), COND_READY).map(c -> problem.equals(c.getMessage()))
          .orElse(false)) {
        events.add(new KindEvent("Warning", "SecretMissing", problem));
      }
      if (own && before.getPhase() != null) {
        // Keep what was seen; the Secret appears in the next pass.
        RedisInstanceStatus kept = copyOf(before);
        kept.setObservedGeneration(generation);
        return new Plan(kept, actions, events, Optional.of(Duration.ofSeconds(1)));
      }
      status.setPhase(before.getMaster() == null ? "Pending" : "Degraded");
      status.setMaster(before.getMaster());
      status.setMasterReplicationId(before.getMasterReplicationId());
      status.setLastFailover(before.getLastFailover());
      status.setAuth(before.getAuth());
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, "SecretMissing", problem, generation, nowText);
      return new Plan(status, actions, events, Optional.of(PROBE_INTERVAL));
    }
    ensure(actions, observed, StatefulSet.class, "StatefulSet", RedisResources.statefulSet(ri,
        observed.child(Secret.class, RedisResources.operatorSecretName(name)).map(x -> x.getMetadata().getUid())
            .orElse(null)));

    // ---- live servers ----
    List<Server> servers = observed.servers();
    String master;
    String lostSince = null;
    String waiting = null;
    Optional<Duration> wake = Optional.empty();
    RedisFailoverStatus failover = before.getLastFailover();
    if (replication) {
      RedisTopology.Decision decision = RedisTopology.decide(servers, before.getMaster(), before.getMasterReplicationId(),
          before.getMasterLostSince(), RedisValidator.failoverTimeout(spec), now);
      master = decision.master();
      lostSince = decision.lostSince();
      waiting = decision.waiting();
      wake = decision.wake();
      if (decision.failover().isPresent()) {
        failover = decision.failover().get();
      }
      decision.commands().forEach(c -> actions.add(new Replicate(c)));
      if (!decision.commands().isEmpty()) {
        wake = Optional.of(Duration.ofSeconds(1));
      }
    } else {
      master = name + "-0";
    }
    Optional<Server> masterServer = servers.stream().filter(s -> s.pod().equals(master)).findFirst();
    boolean promotedNow = actions.stream().anyMatch(a -> a instanceof Replicate r && r.command().master().isEmpty());
    boolean serving = masterServer.map(s -> s.state() == State.MASTER).orElse(false) || promotedNow;
    Optional<RedisInfo> masterInfo = masterServer.filter(s -> s.state() == State.MASTER).map(Server::info);
    // After a promotion the new master's ID is read on the next pass; until then the old one still
    // names the history (the promoted server keeps it as master_replid2).
    status.setMasterReplicationId(!promotedNow && masterInfo.isPresent() ? masterInfo.get().replicationId()
        : before.getMasterReplicationId());
    status.setMaster(master);
    status.setMasterLostSince(lostSince);
    status.setLastFailover(failover);
    masterInfo.ifPresent(i -> {
      status.setMasterOffset(i.offset());
      status.setUsedMemoryBytes(i.usedMemoryBytes());
      status.setMaxMemoryBytes(i.maxMemoryBytes());
      status.setLastSaveOk(i.lastSaveOk());
      status.setLastSaveTime(i.lastSaveTime() > 0 ? Times.format(Instant.ofEpochSecond(i.lastSaveTime())) : null);
    });

    // ---- replicas and roles ----
    List<RedisReplicaStatus> replicas = new ArrayList<>();
    List<String> linkDown = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    Map<String, String> roles = new LinkedHashMap<>();
    Address masterAddress = masterServer.flatMap(Server::address).orElse(null);
    for (Pod pod : observed.pods()) {
      String podName = pod.getMetadata().getName();
      Optional<Server> server = servers.stream().filter(s -> s.pod().equals(podName)).findFirst();
      if (podName.equals(master)) {
        // The master keeps its label while it does not answer (a missed probe empties no Service); it
        // loses it only when it answers as something else (restarted, fenced) or a failover moves it.
        boolean answersAsOther = server.isPresent() && (server.get().state() == State.FENCED
            || server.get().state() == State.REPLICA);
        roles.put(podName, serving || !answersAsOther ? "master" : "none");
        continue;
      }
      boolean linked = server.isPresent() && server.get().state() == State.REPLICA && masterAddress != null
          && server.get().follows(masterAddress) && server.get().info().masterLinkUp() && !promotedNow;
      roles.put(podName, linked ? "replica" : "none");
      if (!replication) {
        continue;
      }
      Long offset = server.filter(s -> s.state() != State.UNREACHABLE).map(s -> s.info().offset()).orElse(null);
      Long lag = offset != null && masterInfo.isPresent() && linked ? Math.max(0, masterInfo.get().offset() - offset) : null;
      replicas.add(new RedisReplicaStatus(podName, linked, lag, offset));
      if (server.isEmpty() || server.get().state() == State.UNREACHABLE) {
        unreachable.add(podName);
      } else if (!linked) {
        linkDown.add(podName);
      }
    }
    status.setReplicas(replication ? replicas : null);
    // Demotions first, the master last: two pods never both carry the master label.
    List<Action> demote = new ArrayList<>();
    List<Action> promote = new ArrayList<>();
    for (Pod pod : observed.pods()) {
      String want = roles.get(pod.getMetadata().getName());
      String have = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(RedisResources.ROLE_LABEL);
      if (want != null && !want.equals(have)) {
        ("master".equals(want) ? promote : demote).add(new SetRole(pod, want));
      }
    }
    actions.addAll(demote);
    actions.addAll(promote);

    // ---- password rotation ----
    wake = rotate(ri, before, status, observed, now, actions, events).map(Optional::of).orElse(wake);

    // ---- conditions and phase ----
    // A pod that never ran is unschedulable or not started, in the scheduler's or the kubelet's words.
    Map<String, RedisPodTrouble.Trouble> troubles = RedisPodTrouble.of(observed.pods(), observed.claims());
    if (serving) {
      Conditions.set(status.getConditions(), COND_READY, Conditions.TRUE, "MasterServing", "Master " + master
          + " serves at " + status.getEndpoint() + ".", generation, nowText);
    } else {
      String reason;
      String message;
      if (observed.pods().isEmpty()) {
        reason = "Creating";
        message = "Waiting for the StatefulSet's pods.";
      } else if (!troubles.isEmpty()) {
        reason = troubles.values().stream().map(RedisPodTrouble.Trouble::reason)
            .anyMatch(RedisPodTrouble.UNSCHEDULABLE::equals) ? RedisPodTrouble.UNSCHEDULABLE : RedisPodTrouble.NOT_STARTED;
        message = sentence(troubles.values().stream().map(RedisPodTrouble.Trouble::message).toList());
        if (!Conditions.says(before.getConditions(), COND_READY, reason, message)) {
          events.add(new KindEvent("Warning", reason, message));
        }
      } else if (waiting != null) {
        reason = before.getMaster() == null ? "ElectingMaster" : "MasterUnreachable";
        message = Character.toUpperCase(waiting.charAt(0)) + waiting.substring(1) + ".";
      } else {
        reason = "ServerUnreachable";
        message = "Server " + master + " does not answer" + masterServer.map(s -> s.answer() == null || s.answer().error()
            == null ? "" : ": " + s.answer().error()).orElse(" (no address yet)") + ".";
      }
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, reason, message, generation, nowText);
    }
    List<String> problems = new ArrayList<>();
    String degradedReason = null;
    if (!serving && before.getMaster() != null) {
      RedisPodTrouble.Trouble masterTrouble = troubles.get(master);
      degradedReason = masterTrouble == null ? "MasterUnreachable" : masterTrouble.reason();
      problems.add(masterTrouble == null ? "the master does not serve" : masterTrouble.message());
    }
    List<String> neverRan = unreachable.stream().filter(troubles::containsKey).toList();
    List<String> silent = unreachable.stream().filter(p -> !troubles.containsKey(p)).toList();
    if (!neverRan.isEmpty()) {
      degradedReason = degradedReason == null ? troubles.get(neverRan.get(0)).reason() : degradedReason;
      neverRan.forEach(p -> problems.add(troubles.get(p).message()));
    }
    if (!silent.isEmpty()) {
      degradedReason = degradedReason == null ? "ReplicaUnreachable" : degradedReason;
      problems.add("replicas not answering: " + String.join(", ", silent));
    }
    if (!linkDown.isEmpty() && serving) {
      degradedReason = degradedReason == null ? "ReplicaLinkDown" : degradedReason;
      problems.add("replicas not linked to the master: " + String.join(", ", linkDown));
    }
    if (masterInfo.isPresent() && masterInfo.get().maxMemoryBytes() > 0
        && masterInfo.get().usedMemoryBytes() >= MEMORY_NEAR_LIMIT * masterInfo.get().maxMemoryBytes()) {
      degradedReason = degradedReason == null ? "MemoryNearLimit" : degradedReason;
      problems.add("memory used is " + masterInfo.get().usedMemoryBytes() * 100 / masterInfo.get().maxMemoryBytes()
          + "% of maxmemory");
    }
    if (masterInfo.isPresent() && !masterInfo.get().lastSaveOk()) {
      degradedReason = degradedReason == null ? "LastSaveFailed" : degradedReason;
      problems.add("the last save failed");
    }
    if (degradedReason == null) {
      Conditions.set(status.getConditions(), COND_DEGRADED, Conditions.FALSE, "Healthy", serving
          ? "Every server answers and follows the master." : "Not serving yet.", generation, nowText);
    } else {
      String message = sentence(problems);
      if (!neverRan.isEmpty() && !Conditions.says(before.getConditions(), COND_DEGRADED, degradedReason, message)) {
        events.add(new KindEvent("Warning", degradedReason, message));
      }
      Conditions.set(status.getConditions(), COND_DEGRADED, Conditions.TRUE, degradedReason, message, generation,
          nowText);
    }
    boolean everServed = before.getMaster() != null && !"Pending".equals(before.getPhase()) || serving;
    status.setPhase(serving && degradedReason == null ? "Ready" : everServed ? "Degraded" : "Pending");
    Duration next = wake.filter(w -> w.compareTo(PROBE_INTERVAL) < 0).orElse(PROBE_INTERVAL);
    return new Plan(status, actions, events, Optional.of(next));
  }

  /**
   * A password change (a new existingSecret, or the Secret's password rotated) without a moment where
   * a client is refused: the new password is added to every server's default user (ACL users accept
   * several) and made its masterauth; one pass later it is recorded as applied, and only then do bound
   * jobs' copies get it; after the grace period the old one is removed from every server.
   */
  private static Optional<Duration> rotate(RedisInstance ri, RedisInstanceStatus before, RedisInstanceStatus status,
      Observed observed, Instant now, List<Action> actions, List<KindEvent> events) {
    if (observed.password().isEmpty()) {
      status.setAuth(before.getAuth());
      return Optional.empty();
    }
    RedisPlanner.Password current = observed.password().get();
    dev.mlops.operator.api.v1alpha1.RedisAuthStatus was = before.getAuth();
    dev.mlops.operator.api.v1alpha1.RedisAuthStatus auth = new dev.mlops.operator.api.v1alpha1.RedisAuthStatus();
    status.setAuth(auth);
    List<Server> reachable = observed.servers().stream().filter(s -> s.state() != State.UNREACHABLE).toList();
    if (was == null || was.getAppliedSecret() == null) {
      // The servers start with the Secret they mount: nothing to rotate.
      auth.setAppliedSecret(current.secret());
      return Optional.empty();
    }
    auth.setAppliedSecret(was.getAppliedSecret());
    if (was.getRotatingTo() == null && was.getAppliedSecret().equals(current.secret())) {
      return Optional.empty();
    }
    Duration grace = ri.getSpec().getAuth() == null ? null
        : RedisValidator.duration(ri.getSpec().getAuth().getRotationGracePeriod()).orElse(null);
    grace = grace == null ? RedisValidator.DEFAULT_ROTATION_GRACE : grace;
    String hash = RedisResources.sha256(current.value());
    List<Server> missing = reachable.stream().filter(s -> !observed.passwordHashes().getOrDefault(s.pod(), List.of())
        .contains(hash)).toList();
    if (was.getRotatingTo() == null || !was.getRotatingTo().equals(current.secret())) {
      // Step 1: every server that answers accepts the new password too.
      reachable.forEach(s -> actions.add(new AcceptPassword(s.pod(), s.address().orElseThrow(), current.value())));
      auth.setRotatingTo(current.secret());
      auth.setRotationStartedAt(Times.format(now));
      events.add(new KindEvent("Normal", "PasswordRotationStarted", "The password of Secret " + current.secret()
          + " is being added to " + reachable.size() + " server(s); the old one stays valid"));
      return Optional.of(Duration.ofSeconds(1));
    }
    auth.setRotatingTo(was.getRotatingTo());
    auth.setRotationStartedAt(was.getRotationStartedAt());
    if (was.getOldPasswordAcceptedUntil() == null) {
      // Step 2, once every server says (ACL GETUSER) that it accepts it: bound jobs may have it now; the old
      // one stays for the grace period. Until then it is given again to those that lack it.
      if (!observed.everyServerHas(hash)) {
        missing.forEach(s -> actions.add(new AcceptPassword(s.pod(), s.address().orElseThrow(), current.value())));
        return Optional.of(Duration.ofSeconds(2));
      }
      auth.setAppliedSecret(current.secret());
      auth.setOldPasswordAcceptedUntil(Times.format(now.plus(grace)));
      events.add(new KindEvent("Normal", "PasswordRotated", "Every server accepts the password of Secret "
          + current.secret() + "; bound jobs' Secrets are updated; the old password is accepted until "
          + auth.getOldPasswordAcceptedUntil()));
      return Optional.of(grace);
    }
    auth.setAppliedSecret(current.secret());
    auth.setOldPasswordAcceptedUntil(was.getOldPasswordAcceptedUntil());
    Instant until = Times.parse(was.getOldPasswordAcceptedUntil());
    if (now.isBefore(until)) {
      // A server that restarted meanwhile has only the new one; one that lacks it is given it.
      missing.forEach(s -> actions.add(new AcceptPassword(s.pod(), s.address().orElseThrow(), current.value())));
      return Optional.of(Duration.between(now, until));
    }
    // Step 3: the grace period is over: the old passwords go, until every server has the new one alone.
    if (!observed.everyServerHasOnly(hash)) {
      reachable.stream().filter(s -> !observed.passwordHashes().getOrDefault(s.pod(), List.of()).equals(List.of(hash)))
          .forEach(s -> actions.add(new DropOldPasswords(s.pod(), s.address().orElseThrow(), current.value())));
      return Optional.of(Duration.ofSeconds(2));
    }
    auth.setRotatingTo(null);
    auth.setRotationStartedAt(null);
    auth.setOldPasswordAcceptedUntil(null);
    events.add(new KindEvent("Normal", "PasswordRotationFinished", "Every server accepts only the password of Secret "
        + current.secret()));
    return Optional.empty();
  }

  private static RedisInstanceStatus copyOf(RedisInstanceStatus status) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(status);
  }

  private static <T extends HasMetadata> void ensure(List<Action> actions, Observed observed, Class<T> type, String what,
      T desired) {
    Optional<T> existing = observed.child(type, desired.getMetadata().getName());
    if (existing.isEmpty()) {
      actions.add(new Create(what, desired));
    } else if (!Objects.equals(RedisResources.desiredHash(existing.get()), RedisResources.desiredHash(desired))) {
      actions.add(new Update(existing.get(), desired));
    }
  }

  private static boolean sameOwners(List<OwnerReference> have, List<OwnerReference> want) {
    List<String> a = have == null ? List.of() : have.stream().map(OwnerReference::getName).toList();
    List<String> b = want.stream().map(OwnerReference::getName).toList();
    return a.equals(b);
  }

  /**
   * Whether {@code next} differs from {@code before} only in figures that move all the time (offsets,
   * lag, memory, last save time, condition wording): those are written at most every 30 seconds.
   */
  public static boolean progressOnly(RedisInstanceStatus before, RedisInstanceStatus next) {
    return shape(before).equals(shape(next));
  }

  private static List<Object> shape(RedisInstanceStatus s) {
    List<Object> shape = new ArrayList<>();
    shape.add(s.getPhase());
    shape.add(s.getReason());
    shape.add(s.getMaster());
    shape.add(s.getMasterReplicationId());
    shape.add(s.getMasterLostSince());
    shape.add(s.getEndpoint());
    shape.add(s.getReadEndpoint());
    shape.add(s.getSecretName());
    shape.add(s.getLastSaveOk());
    shape.add(s.getLastFailover());
    shape.add(s.getAuth());
    shape.add(s.getObservedGeneration());
    shape.add(s.getMaxMemoryBytes());
    if (s.getReplicas() != null) {
      s.getReplicas().forEach(r -> shape.add(r.getPod() + "/" + r.getLinkUp() + "/" + (r.getOffset() != null)));
    }
    if (s.getConditions() != null) {
      s.getConditions().forEach(c -> shape.add(c.getType() + "/" + c.getStatus() + "/" + c.getReason()));
    }
    return shape;
  }
}
