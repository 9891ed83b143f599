package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateJob;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.CreateService;
import dev.mlops.operator.trainingjob.TrainingJobPlanner.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.redis.RedisResources;

/**
 * The operator's first reconcile of a TrainingJob on a cluster with the given Nodes and no children
 * yet, without a server: the planner's child creations and the status it would write.
 */
public final class TrainingJobRender {

  private TrainingJobRender() {}

  public record Result(List<HasMetadata> objects, List<String> errors) {}

  public static Result render(TrainingJob tj, Collection<Node> nodes, Instant now) {
    return render(tj, nodes, List.of(), now);
  }

  /** With the NasVolumes of the cluster (and their status): a job that mounts one that is not Bound waits. */
  public static Result render(TrainingJob tj, Collection<Node> nodes, Collection<NasVolume> nasVolumes, Instant now) {
    return render(tj, nodes, nasVolumes, List.of(), Map.of(), now);
  }

  /**
   * With the RedisInstances of the cluster (and their status) and its Namespaces' labels too: a job that
   * binds one that is missing, not Ready or does not allow its namespace waits; a namespace not among
   * {@code namespaceLabels} is taken as allowed (the caller says so). The job's copy of a password is
   * rendered with a placeholder.
   */
  public static Result render(TrainingJob tj, Collection<Node> nodes, Collection<NasVolume> nasVolumes,
      Collection<RedisInstance> redisInstances, Map<String, Map<String, String>> namespaceLabels, Instant now) {
    return render(tj, nodes, nasVolumes, redisInstances, namespaceLabels, TrainingJobPlanner.Admission.UNLIMITED, now);
  }

  /** As above, with gangs admitted by {@code admission} (render's own ledger over the cluster's nodes and pods). */
  public static Result render(TrainingJob tj, Collection<Node> nodes, Collection<NasVolume> nasVolumes,
      Collection<RedisInstance> redisInstances, Map<String, Map<String, String>> namespaceLabels,
      TrainingJobPlanner.Admission admission, Instant now) {
    if (tj.getMetadata().getNamespace() == null) {
      tj.getMetadata().setNamespace("default");
    }
    if (tj.getMetadata().getGeneration() == null) {
      tj.getMetadata().setGeneration(1L);
    }
    List<String> errors = TrainingJobValidator.validate(tj, Optional.empty());
    if (!errors.isEmpty()) {
      return new Result(List.of(), errors);
    }
    Plan plan = TrainingJobPlanner.plan(tj, new TrainingJobPlanner.Observed(Optional.empty(), Optional.empty(),
        List.of(), nodes).withNasVolumes(nasVolumes.stream()
        .filter(v -> tj.getMetadata().getNamespace().equals(v.getMetadata().getNamespace())).toList())
        .withRedis(new TrainingJobPlanner.RedisView() {
          @Override
          public Optional<RedisInstance> instance(String namespace, String name) {
            return redisInstances.stream().filter(r -> name.equals(r.getMetadata().getName())
                && namespace.equals(r.getMetadata().getNamespace())).findFirst();
          }

          @Override
          public Optional<Map<String, String>> namespaceLabels(String namespace) {
            return Optional.ofNullable(namespaceLabels.get(namespace));
          }

          @Override
          public Optional<String> password(RedisInstance instance) {
            return RedisResources.secretName(instance) == null ? Optional.empty()
                : Optional.of(dev.mlops.operator.redis.RedisRender.PASSWORD_PLACEHOLDER);
          }

          @Override
          public Optional<String> boundPassword(String secretName) {
            return Optional.empty();
          }
        }).withAdmission(admission), now);
    List<HasMetadata> objects = new ArrayList<>();
    for (var action : plan.actions()) {
      if (action instanceof CreateService create) {
        objects.add(create.service());
      } else if (action instanceof CreateJob create) {
        objects.add(create.job());
      } else if (action instanceof TrainingJobPlanner.SyncRedisSecret sync) {
        objects.add(sync.secret());
      }
    }
    tj.setStatus(plan.status());
    objects.add(tj);
    return new Result(objects, List.of());
  }

  /**
   * Admission as render sees the cluster: the given Nodes, the given Pods (bound and not finished: what they request
   * is not free), and the jobs rendered before in the same run (each admitted one takes its nodes). PriorityClasses:
   * those given; when none is given at all, every named class is taken to exist with value 0 ({@code assumed} says so).
   */
  public static TrainingJobPlanner.Admission admission(Collection<Node> nodes,
      Collection<io.fabric8.kubernetes.api.model.Pod> pods,
      Collection<io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass> classes, Instant now,
      java.util.function.Consumer<String> assumed) {
    List<io.fabric8.kubernetes.api.model.Pod> bound = pods.stream().map(GpuPodStore::prune)
        .filter(java.util.Objects::nonNull).toList();
    AdmissionLedger ledger = new AdmissionLedger(new AdmissionLedger.Cluster() {
      @Override
      public Collection<Node> nodes() {
        return nodes;
      }

      @Override
      public Collection<io.fabric8.kubernetes.api.model.Pod> gpuPods() {
        return bound;
      }

      @Override
      public Collection<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs() {
        return List.of();
      }

      @Override
      public long version() {
        return 0;
      }

      @Override
      public boolean active(String key) {
        return true;
      }
    }, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC),
        dev.mlops.operator.runtime.OperatorSettings.DEFAULT_BACKFILL_LIMIT, keys -> { });
    return new TrainingJobPlanner.Admission() {
      @Override
      public Optional<Integer> priority(String className) {
        if (className == null) {
          return Optional.of(classes.stream().filter(c -> Boolean.TRUE.equals(c.getGlobalDefault()))
              .map(c -> c.getValue()).max(Integer::compare).orElse(0));
        }
        Optional<Integer> value = classes.stream().filter(c -> className.equals(c.getMetadata().getName()))
            .map(c -> c.getValue()).findFirst();
        if (value.isEmpty() && classes.isEmpty()) {
          assumed.accept("PriorityClass " + className + " taken to exist with value 0 (no PriorityClass in --cluster;"
              + " kubectl get priorityclasses -o yaml gives them)");
          return Optional.of(0);
        }
        return value;
      }

      @Override
      public GangAdmission.Verdict ask(GangAdmission.Demand demand, int attempt) {
        return ledger.ask(demand, attempt);
      }
    };
  }

  /**
   * What a job's dependencies would be once ready, for {@code render --assume-ready}: each NasVolume it mounts that
   * is missing or not Bound is taken as Bound (writable, for the checkpoint), each RedisInstance it binds that is
   * missing or not Ready as Ready and allowing its namespace. {@code assumed} gets one line per such assumption.
   */
  public record Ready(List<NasVolume> nasVolumes, List<RedisInstance> redisInstances, List<String> assumed) {}

  public static Ready assumeReady(TrainingJob tj, Collection<NasVolume> nasVolumes, Collection<RedisInstance> redis) {
    String namespace = tj.getMetadata().getNamespace() == null ? "default" : tj.getMetadata().getNamespace();
    List<NasVolume> volumes = new ArrayList<>(nasVolumes);
    List<RedisInstance> instances = new ArrayList<>(redis);
    List<String> assumed = new ArrayList<>();
    if (tj.getSpec() == null) {
      return new Ready(volumes, instances, assumed);
    }
    for (String name : TrainingJobResources.nasVolumes(tj.getSpec())) {
      Optional<NasVolume> known = volumes.stream().filter(v -> name.equals(v.getMetadata().getName())
          && namespace.equals(v.getMetadata().getNamespace())).findFirst();
      if (known.map(v -> v.getStatus() != null && "Bound".equals(v.getStatus().getPhase())).orElse(false)) {
        continue;
      }
      NasVolume bound = known.map(v -> io.fabric8.kubernetes.client.utils.Serialization.clone(v)).orElseGet(() -> {
        NasVolume v = new NasVolume();
        v.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
            .build());
        v.setSpec(new dev.mlops.operator.api.v1alpha1.NasVolumeSpec());
        return v;
      });
      if (tj.getSpec().getCheckpoint() != null && name.equals(tj.getSpec().getCheckpoint().getNasVolume())) {
        bound.getSpec().setReadOnly(false);
      }
      var status = new dev.mlops.operator.api.v1alpha1.NasVolumeStatus();
      status.setPhase("Bound");
      status.setPersistentVolumeClaimName(name);
      bound.setStatus(status);
      known.ifPresent(volumes::remove);
      volumes.add(bound);
      assumed.add("NasVolume " + namespace + "/" + name + " taken as Bound (" + known.map(v -> "it is "
          + (v.getStatus() == null || v.getStatus().getPhase() == null ? "not reconciled yet" : v.getStatus().getPhase()))
          .orElse("it is not in the files or --cluster") + ")");
    }
    if (tj.getSpec().getRedis() != null) {
      for (var binding : tj.getSpec().getRedis()) {
        String ns = TrainingJobResources.redisNamespace(tj, binding);
        Optional<RedisInstance> known = instances.stream().filter(r -> binding.getName().equals(r.getMetadata().getName())
            && ns.equals(r.getMetadata().getNamespace())).findFirst();
        if (known.map(r -> r.getStatus() != null && dev.mlops.operator.common.Conditions.isTrue(
            r.getStatus().getConditions(), "Ready")).orElse(false)) {
          continue;
        }
        RedisInstance ready = known.map(r -> io.fabric8.kubernetes.client.utils.Serialization.clone(r)).orElseGet(() -> {
          RedisInstance r = new RedisInstance();
          r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(binding.getName())
              .withNamespace(ns).build());
          r.setSpec(new dev.mlops.operator.api.v1alpha1.RedisInstanceSpec());
          return r;
        });
        if (!ns.equals(namespace)) {
          var access = ready.getSpec().getAccess() == null ? new dev.mlops.operator.api.v1alpha1.RedisAccess()
              : ready.getSpec().getAccess();
          access.setAllowedNamespaces(new io.fabric8.kubernetes.api.model.LabelSelector());
          ready.getSpec().setAccess(access);
        }
        var status = new dev.mlops.operator.api.v1alpha1.RedisInstanceStatus();
        status.setPhase("Ready");
        status.setConditions(new ArrayList<>(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
            .withType("Ready").withStatus("True").withReason("MasterServing").withMessage("assumed by render").build())));
        ready.setStatus(status);
        known.ifPresent(instances::remove);
        instances.add(ready);
        assumed.add("RedisInstance " + ns + "/" + binding.getName() + " taken as Ready and allowing namespace " + namespace
            + " (" + known.map(r -> "it is " + (r.getStatus() == null || r.getStatus().getPhase() == null
            ? "not reconciled yet" : r.getStatus().getPhase())).orElse("it is not in the files or --cluster") + ")");
      }
    }
    return new Ready(volumes, instances, assumed);
  }
}
