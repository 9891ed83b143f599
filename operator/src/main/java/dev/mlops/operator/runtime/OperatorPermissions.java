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
    OPERATOR_NAMESPACE,
    /** The namespace of Argo Workflows' controller, whose memoization caches are ConfigMaps of its own namespace. */
    ARGO_NAMESPACE
  }

  public record Rule(Scope scope, String apiGroup, List<String> resources, List<String> verbs, String why) {}

  /**
   * Every kind's rules ({@link dev.mlops.operator.kind.Kind#permissions}), in the order of the kinds,
   * then what all kinds share: Events and the leader-election Lease.
   */
  public static final List<Rule> RULES = rules();

  private static List<Rule> rules() {
    List<Rule> rules = new java.util.ArrayList<>();
    dev.mlops.operator.kind.Kinds.ALL.forEach(kind -> rules.addAll(kind.permissions()));
    rules.add(new Rule(Scope.WATCHED_NAMESPACES, "", List.of("events"), List.of("create", "patch"),
        "Events on the objects it reconciles; a repeat is counted on the Event already written (patch)"));
    rules.add(new Rule(Scope.OPERATOR_NAMESPACE, "coordination.k8s.io", List.of("leases"), List.of("get", "create", "update"),
        "leader election"));
    return List.copyOf(rules);
  }
}
