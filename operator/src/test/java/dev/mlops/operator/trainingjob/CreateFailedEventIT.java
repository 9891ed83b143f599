package dev.mlops.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A create the API server refuses (here RBAC: 403 on Jobs) is retried with backoff; the user sees
 * one CreateFailed Warning whose count rises, not one Event per retry.
 */
@EnableKubernetesMockClient(crud = true)
class CreateFailedEventIT {

  private static final String NS = "ml-team";

  static KubernetesMockServer server;
  static KubernetesClient client;
  private MlopsOperator operator;

  @BeforeEach
  void start() {
    EmbeddedApiServer.crds().forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    // Expectations answer before the CRUD store: every Job create in the namespace is forbidden.
    server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
        .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
            .withMessage("jobs.batch is forbidden: User \"system:serviceaccount:mlops-system:mlops-operator\""
                + " cannot create resource \"jobs\" in API group \"batch\" in the namespace \"ml-team\"").build())
        .always();
    operator = new MlopsOperator(client, OperatorSettings.defaults().withResyncInterval(Duration.ofMinutes(10)));
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void aRetriedRefusedCreateIsOneEventWithARisingCount() {
    TrainingJob tj = TrainingJobs.fresh(TrainingJobs.gpuJob("refused", 2, 0));
    tj.getMetadata().setNamespace(NS);
    client.resource(tj).create();

    await().atMost(Duration.ofSeconds(60)).until(() -> createFailed().stream().mapToInt(Event::getCount).sum() >= 4);
    List<Event> events = createFailed();
    assertThat(events).hasSize(1);
    Event event = events.get(0);
    assertThat(event.getCount()).isGreaterThanOrEqualTo(4);
    // Four tries with backoff (0.5 s, 1 s, 2 s) span more than the timestamps' one-second resolution.
    assertThat(event.getMessage()).contains("Could not create the Job").contains("forbidden");
    assertThat(event.getLastTimestamp()).isGreaterThan(event.getFirstTimestamp());
  }

  private List<Event> createFailed() {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "CreateFailed".equals(e.getReason())).toList();
  }
}
