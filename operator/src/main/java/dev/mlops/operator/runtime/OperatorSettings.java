package dev.mlops.operator.runtime;

import dev.mlops.operator.redis.RedisConnector;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * How the operator runs: which namespaces it watches (empty: all), how often every resource is
 * re-reconciled even without events, how many reconciles run at once, leader election (null: off),
 * how the operator reaches each Redis server (pod IP and port 6379; tests map pods to local servers), and
 * the namespace of Argo Workflows' controller (where Pipelines' memoization ConfigMaps are), and the operator's own
 * namespace when it runs in a pod (null outside one): a RedisInstance's NetworkPolicy admits the operator from there only.
 */
public record OperatorSettings(Set<String> namespaces, Duration resyncInterval, int reconcileThreads, Clock clock,
    LeaderElection leaderElection, RedisConnector redisConnector, String argoNamespace, String operatorNamespace,
    Duration backfillLimit) {

  /** One active replica at a time, elected through a coordination.k8s.io Lease. */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod) {

    /** Kubernetes' usual timings: a new leader within about 15 seconds of the old one's loss. */
    public LeaderElection(String leaseName, String leaseNamespace, String identity) {
      this(leaseName, leaseNamespace, identity, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  /** Argo Workflows' own install namespace (its quick-start and Helm chart). */
  public static final String DEFAULT_ARGO_NAMESPACE = "argo";

  /**
   * How long a gang that does not fit lets jobs of its own priority behind it take the nodes it waits for (backfill),
   * before those nodes are held for it.
   */
  public static final Duration DEFAULT_BACKFILL_LIMIT = Duration.ofMinutes(10);

  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), Duration.ofMinutes(10), 10, Clock.systemUTC(), null,
        RedisConnector.podIp(), DEFAULT_ARGO_NAMESPACE, null, DEFAULT_BACKFILL_LIMIT);
  }

  public OperatorSettings withResyncInterval(Duration interval) {
    return new OperatorSettings(namespaces, interval, reconcileThreads, clock, leaderElection, redisConnector,
        argoNamespace, operatorNamespace, backfillLimit);
  }

  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(watched, resyncInterval, reconcileThreads, clock, leaderElection, redisConnector,
        argoNamespace, operatorNamespace, backfillLimit);
  }

  public OperatorSettings withReconcileThreads(int threads) {
    return new OperatorSettings(namespaces, resyncInterval, threads, clock, leaderElection, redisConnector,
        argoNamespace, operatorNamespace, backfillLimit);
  }

  public OperatorSettings withLeaderElection(LeaderElection election) {
    return new OperatorSettings(namespaces, resyncInterval, reconcileThreads, clock, election, redisConnector,
        argoNamespace, operatorNamespace, backfillLimit);
  }

  /** Where Argo Workflows' controller runs: its memoization caches are ConfigMaps of that namespace. */
  public OperatorSettings withArgoNamespace(String namespace) {
    return new OperatorSettings(namespaces, resyncInterval, reconcileThreads, clock, leaderElection, redisConnector, namespace,
        operatorNamespace, backfillLimit);
  }

  public OperatorSettings withRedisConnector(RedisConnector connector) {
    return new OperatorSettings(namespaces, resyncInterval, reconcileThreads, clock, leaderElection, connector,
        argoNamespace, operatorNamespace, backfillLimit);
  }

  /** See {@link #DEFAULT_BACKFILL_LIMIT}. */
  public OperatorSettings withBackfillLimit(Duration limit) {
    return new OperatorSettings(namespaces, resyncInterval, reconcileThreads, clock, leaderElection, redisConnector,
        argoNamespace, operatorNamespace, limit);
  }

  /** The namespace the operator's pod runs in (from POD_NAMESPACE): the one namespace its Redis peers admit it from. */
  public OperatorSettings withOperatorNamespace(String namespace) {
    return new OperatorSettings(namespaces, resyncInterval, reconcileThreads, clock, leaderElection, redisConnector,
        argoNamespace, namespace, backfillLimit);
  }
}
