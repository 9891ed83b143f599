package dev.mlops.operator.runtime;

import dev.mlops.operator.trainingjob.TrainingJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;

/**
 * Builds the one JOSDK {@link Operator} that {@code run}, {@code sandbox}, {@code bench} and the
 * integration tests all start, so they exercise the same configuration.
 */
public final class MlopsOperator implements AutoCloseable {

  private final Operator operator;
  private final TrainingJobReconciler trainingJobs;

  public MlopsOperator(KubernetesClient client, OperatorSettings settings) {
    // Create/update with optimistic locking instead of server-side apply: the same path in tests
    // (the mock API server has no SSA) and in production.
    this.operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withUseSSAToPatchPrimaryResource(false)
        .checkingCRDAndValidateLocalModel(false)
        .withConcurrentReconciliationThreads(settings.reconcileThreads()));
    this.trainingJobs = new TrainingJobReconciler(client, settings.clock());
    GenericRetry retry = new GenericRetry().setInitialInterval(500).setIntervalMultiplier(2.0)
        .setMaxInterval(60_000).withoutMaxAttempts();
    operator.register(trainingJobs, c -> {
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
      c.withReconciliationMaxInterval(settings.resyncInterval());
      c.withRetry(retry);

    });
  }

  public void start() {
    operator.start();
  }

  public TrainingJobReconciler trainingJobs() {
    return trainingJobs;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
