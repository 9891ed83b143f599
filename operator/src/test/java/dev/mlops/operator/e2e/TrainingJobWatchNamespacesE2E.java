package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chart installed with {@code watchNamespaces}: Roles in the watched namespace only, the Node
 * reads cluster-wide. The operator, running as that ServiceAccount and watching that namespace,
 * runs a job to the end without a forbidden request, and leaves a job in another namespace alone.
 */
class TrainingJobWatchNamespacesE2E {

  private static final String WATCHED = "team-watched";
  private static final String OTHER = "team-other";

  @Test
  void withTheChartsNamespacedRbacAJobRunsAndOtherNamespacesAreLeftAlone() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    try (KubernetesClient admin = TestPlane.clientWithCrds()) {
      for (String ns : Set.of(WATCHED, OTHER)) {
        if (admin.namespaces().withName(ns).get() == null) {
          admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
      }
      // Closing it fails the test if the chart's namespaced RBAC forbade any request.
      try (ChartRbacOperator operator = new ChartRbacOperator(admin, "scoped", "scoped-system",
          values -> values.set("watchNamespaces[0]", WATCHED), OperatorSettings.defaults().withNamespaces(Set.of(WATCHED)))) {
        for (String ns : Set.of(WATCHED, OTHER)) {
          TrainingJob tj = Serialization.unmarshal("""
              apiVersion: mlops.dev/v1alpha1
              kind: TrainingJob
              metadata: {name: scoped}
              spec:
                image: nvcr.io/nvidia/pytorch:24.05-py3
                nodes: 1
                gpusPerNode: 8
                podTemplate:
                  annotations: {testcluster.mlops.dev/run-for: "2s"}
              """, TrainingJob.class);
          tj.getMetadata().setNamespace(ns);
          admin.resource(tj).create();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
          TrainingJob tj = admin.resources(TrainingJob.class).inNamespace(WATCHED).withName("scoped").get();
          return tj.getStatus() != null && "Succeeded".equals(tj.getStatus().getPhase());
        });
        assertThat(admin.resources(TrainingJob.class).inNamespace(OTHER).withName("scoped").get().getStatus())
            .as("a job outside watchNamespaces").isNull();
        assertThat(admin.batch().v1().jobs().inNamespace(OTHER).list().getItems()).isEmpty();
      } finally {
        for (String ns : Set.of(WATCHED, OTHER)) {
          admin.resources(TrainingJob.class).inNamespace(ns).delete();
        }
      }
    }
  }
}
