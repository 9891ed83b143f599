package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.kind.Kind;
import dev.mlops.operator.manifest.ResourceKind;
import dev.mlops.operator.runtime.OperatorPermissions.Rule;
import dev.mlops.operator.runtime.OperatorPermissions.Scope;
import java.util.List;

/** The registration of RedisInstance: what every registry of the operator reads about it. */
public final class RedisKinds {

  private RedisKinds() {}

  public static final ResourceKind RESOURCE = new ResourceKind("mlops.dev", "v1alpha1", "RedisInstance",
      RedisInstance.class, true, "META-INF/fabric8/redisinstances.mlops.dev-v1.yml", null);

  public static final Kind<RedisInstance> INSTANCE = new Kind<>(RESOURCE, RedisInstance.class,
      RedisResources.INSTANCE_LABEL,
      List.of(
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("redisinstances"), List.of("get", "list", "watch"),
              "the RedisInstances it reconciles"),
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("redisinstances/status"), List.of("update"),
              "writes each RedisInstance's status (optimistic locking, one place)"),
          new Rule(Scope.WATCHED_NAMESPACES, "apps", List.of("statefulsets"), List.of("get", "list", "watch", "create",
              "patch"), "the servers of each RedisInstance; patched when its spec changes"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("configmaps"), List.of("get", "list", "watch", "create", "patch"),
              "redis.conf and the start script of each RedisInstance"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("services"), List.of("get", "list", "watch", "create", "patch"),
              "the master, replicas and headless Services of each RedisInstance"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("secrets"), List.of("get", "list", "watch", "create", "patch"),
              "the generated auth Secret (created once, never overwritten; patched only in its ownerReferences for"
                  + " deletionPolicy) and the password of an existingSecret (get)"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("pods"), List.of("get", "list", "watch", "patch"),
              "each Redis pod's IP, and its role label (master, replica) that the Services select on"),
          new Rule(Scope.WATCHED_NAMESPACES, "policy", List.of("poddisruptionbudgets"),
              List.of("get", "list", "watch", "create", "patch"), "one server of a RedisInstance evicted at a time"),
          new Rule(Scope.WATCHED_NAMESPACES, "networking.k8s.io", List.of("networkpolicies"),
              List.of("get", "list", "watch", "create", "patch", "delete"),
              "the NetworkPolicy of a RedisInstance with access.networkPolicy; deleted when that is turned off")),
      r -> r,
      (client, clock, registry, settings) -> new RedisReconciler(client, clock, settings.redisConnector(),
          new RedisMetrics(registry), settings.operatorNamespace()));
}
