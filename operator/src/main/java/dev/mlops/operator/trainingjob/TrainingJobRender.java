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
        }), now);
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
}
