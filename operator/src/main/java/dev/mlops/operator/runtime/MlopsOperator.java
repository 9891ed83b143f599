package dev.mlops.operator.runtime;

import dev.mlops.operator.common.PruningItemStore;
import dev.mlops.operator.kind.Kind;
import dev.mlops.operator.kind.KindReconciler;
import dev.mlops.operator.kind.Kinds;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.List;
import dev.mlops.operator.trainingjob.TrainingJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one JOSDK {@link Operator} that {@code run}, {@code sandbox}, {@code bench} and the
 * integration tests all start, so they exercise the same configuration.
 */
public final class MlopsOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MlopsOperator.class);

  private final Operator operator;
  private final List<KindReconciler<?, ?>> controllers = new ArrayList<>();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final boolean electing;

  public MlopsOperator(KubernetesClient client, OperatorSettings settings) {
    this(client, settings, new SimpleMeterRegistry());
  }

  public MlopsOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
    this.electing = settings.leaderElection() != null;
    // Create/update with optimistic locking instead of server-side apply: the same path in tests
    // (the mock API server has no SSA) and in production.
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withUseSSAToPatchPrimaryResource(false)
          .checkingCRDAndValidateLocalModel(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          // No per-resource meters: one time series per TrainingJob would not scale.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (electing) {
        var election = settings.leaderElection();
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(election.leaseName())
            .withLeaseNamespace(election.leaseNamespace())
            .withIdentity(election.identity())
            .withLeaseDuration(election.leaseDuration())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            // Losing the lease stops this instance's reconciles; the process stays up as a standby
            // would, and the Deployment's liveness probe is not involved.
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(
                () -> {
                  leading.set(true);
                  LOG.info("{} is now the leader", election.identity());
                },
                () -> {
                  leading.set(false);
                  LOG.info("{} stopped leading", election.identity());
                },
                leader -> LOG.info("leader is {}", leader)))
            .build());
      }
    });
    GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2.0)
        .setMaxInterval(60_000).withoutMaxAttempts();
    for (Kind<?> kind : Kinds.ALL) {
      controllers.add(register(kind, client, settings, registry, retry));
    }
  }

  /** One kind's controller, configured as every kind is: watched namespaces, resync, retry, pruned cache. */
  private <P extends CustomResource<?, ?>> KindReconciler<P, ?> register(Kind<P> kind, KubernetesClient client,
      OperatorSettings settings, MeterRegistry registry, GenericRetry retry) {
    KindReconciler<P, ?> reconciler = kind.controller().create(client, settings.clock(), registry, settings);
    operator.register(reconciler, c -> {
      if (settings.namespaces().isEmpty() || kind.clusterScoped()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
      c.withReconciliationMaxInterval(settings.resyncInterval());
      // managedFields can outweigh the rest of an object; the operator never reads them.
      c.withItemStore(new PruningItemStore<>(kind.pruneForCache(), true));
      c.withInformerListLimit(KindReconciler.INFORMER_LIST_LIMIT);
      c.withRetry(retry);
    });
    return reconciler;
  }

  public void start() {
    operator.start();
  }

  public TrainingJobReconciler trainingJobs() {
    return controllers.stream().filter(TrainingJobReconciler.class::isInstance).map(TrainingJobReconciler.class::cast)
        .findFirst().orElseThrow();
  }

  /** The controller of one kind, by its reconciler's class. */
  public <R extends KindReconciler<?, ?>> R controller(Class<R> type) {
    return controllers.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  /** Refreshes the platform gauges; call before rendering a scrape. */
  public void refreshMetrics() {
    controllers.forEach(KindReconciler::refreshMetrics);
  }

  /** Leader, standby, or (without leader election) the only instance. */
  public boolean isLeader() {
    return !electing || leading.get();
  }

  /** What /readyz says: started, and when leading, every informer synced and healthy. */
  public HealthAndMetricsServer.Readiness readiness() {
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return new HealthAndMetricsServer.Readiness(false, "starting");
    }
    if (!isLeader()) {
      return new HealthAndMetricsServer.Readiness(true, "standby: another replica holds the leader Lease");
    }
    if (!info.allEventSourcesAreHealthy()) {
      return new HealthAndMetricsServer.Readiness(false, "leader, but informers unhealthy: "
          + info.unhealthyEventSources().keySet());
    }
    return new HealthAndMetricsServer.Readiness(true, electing ? "leader" : "ready");
  }

  @Override
  public void close() {
    operator.stop();
  }
}
