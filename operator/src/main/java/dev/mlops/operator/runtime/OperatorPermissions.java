package dev.mlops.operator.runtime;

import java.util.List;

/**
 * Every Kubernetes API permission the operator uses, in one place. The Helm chart's RBAC is written
 * from this list and a test asserts the chart grants exactly these: no wildcard, nothing extra.
 * When code starts calling a new API, add it here, and the chart test says what to add to the chart.
 */
public final class OperatorPermissions {

  private OperatorPermissions() {}

  /** Where a rule is granted: in each watched namespace, cluster-wide, or in the operator's own namespace. */
  public enum Scope {
    /** Namespaced resources of the watched namespaces (a ClusterRole when watching all of them). */
    WATCHED_NAMESPACES,
    /** Cluster-scoped resources: always a ClusterRole. */
    CLUSTER,
    /** The operator's own namespace: the leader-election Lease. */
    OPERATOR_NAMESPACE
  }

  public record Rule(Scope scope, String apiGroup, List<String> resources, List<String> verbs, String why) {}

  public static final List<Rule> RULES = List.of(
      new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("trainingjobs"), List.of("get", "list", "watch"),
          "the TrainingJobs it reconciles"),
      new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("trainingjobs/status"), List.of("update"),
          "writes each TrainingJob's status (optimistic locking, one place)"),
      new Rule(Scope.WATCHED_NAMESPACES, "batch", List.of("jobs"), List.of("get", "list", "watch", "create", "delete"),
          "one Indexed Job per attempt; deleted to restart, suspend, stop at the deadline, or after the TTL"),
      new Rule(Scope.WATCHED_NAMESPACES, "", List.of("services"), List.of("get", "list", "watch", "create", "delete"),
          "the headless rendezvous Service; deleted after the TTL"),
      new Rule(Scope.WATCHED_NAMESPACES, "", List.of("pods"), List.of("get", "list", "watch", "delete"),
          "watches workers; deletes a finished attempt's leftover pods before the next attempt starts"),
      new Rule(Scope.WATCHED_NAMESPACES, "", List.of("events"), List.of("create", "patch"),
          "Events on the TrainingJobs; a repeat is counted on the Event already written (patch)"),
      new Rule(Scope.CLUSTER, "", List.of("nodes"), List.of("get", "list", "watch"),
          "GPU products and capacity (nvidia.com/gpu.product, allocatable GPUs)"),
      new Rule(Scope.OPERATOR_NAMESPACE, "coordination.k8s.io", List.of("leases"), List.of("get", "create", "update"),
          "leader election"));
}
