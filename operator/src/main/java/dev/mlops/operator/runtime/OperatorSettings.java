package dev.mlops.operator.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * How the operator runs: which namespaces it watches (empty: all), how often every resource is
 * re-reconciled even without events, and how many reconciles run at once.
 */
public record OperatorSettings(Set<String> namespaces, Duration resyncInterval, int reconcileThreads, Clock clock) {

  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), Duration.ofMinutes(10), 10, Clock.systemUTC());
  }

  public OperatorSettings withResyncInterval(Duration interval) {
    return new OperatorSettings(namespaces, interval, reconcileThreads, clock);
  }

  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(watched, resyncInterval, reconcileThreads, clock);
  }

  public OperatorSettings withReconcileThreads(int threads) {
    return new OperatorSettings(namespaces, resyncInterval, threads, clock);
  }
}
