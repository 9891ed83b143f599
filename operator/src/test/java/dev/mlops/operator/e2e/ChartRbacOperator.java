package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.TemplateCommand;
import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The operator on the test plane with exactly the Helm chart's RBAC: the chart's ServiceAccount,
 * ClusterRoles, Roles and bindings are installed, and the operator's client impersonates that
 * ServiceAccount, its requests counted. Closing it stops the operator and fails the test if any of
 * its requests was forbidden (403): least privilege that is also enough.
 */
final class ChartRbacOperator implements AutoCloseable {

  private final KubernetesClient client;
  private final ApiRequestCounter requests = new ApiRequestCounter();
  private final OperatorSettings settings;
  private MlopsOperator operator;

  ChartRbacOperator(KubernetesClient admin, String release, String namespace,
      Consumer<TemplateCommand> values, OperatorSettings settings) throws IOException {
    KubernetesClientBuilder builder = new KubernetesClientBuilder()
        .withConfig(TestPlane.asChartServiceAccount(admin, release, namespace, values));
    requests.install(builder);
    this.client = builder.build();
    this.settings = settings;
    start();
  }

  private void start() {
    operator = new MlopsOperator(client, settings);
    operator.start();
  }

  /** Stops the operator and starts a new one on the same client: what a pod restart does. */
  void restart() {
    operator.close();
    start();
  }

  MlopsOperator operator() {
    return operator;
  }

  ApiRequestCounter requests() {
    return requests;
  }

  @Override
  public void close() {
    try {
      operator.close();
      assertThat(requests.failures().keySet()).as("requests the chart's RBAC forbade").noneMatch(k -> k.startsWith("403"));
    } finally {
      client.close();
    }
  }
}
