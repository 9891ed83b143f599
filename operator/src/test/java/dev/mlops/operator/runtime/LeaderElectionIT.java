package dev.mlops.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two replicas on one API server: only the leader writes; when it stops, the other finishes the work. */
class LeaderElectionIT {

  private static OperatorSettings settings(String identity) {
    return OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(30)).withLeaderElection(
        new OperatorSettings.LeaderElection("mlops-operator-leader", "mlops-system", identity,
            Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(300)));
  }

  private static TrainingJob job(String name) {
    return Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s, namespace: ml-team}
        spec: {image: pytorch, nodes: 2, gpusPerNode: 8}
        """.formatted(name), TrainingJob.class);
  }

  private static long nonLeaseWrites(ApiRequestCounter counter) {
    return counter.snapshot().entrySet().stream()
        // Lease renewals and the start-up permission check (a SelfSubjectRulesReview) change no state.
        .filter(e -> e.getKey().matches("(create|update|patch|delete) .*") && !e.getKey().contains("leases")
            && !e.getKey().contains("selfsubjectrulesreviews"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static String phase(KubernetesClient client, String name) {
    TrainingJob tj = client.resources(TrainingJob.class).inNamespace("ml-team").withName(name).get();
    return tj == null || tj.getStatus() == null ? null : tj.getStatus().getPhase();
  }

  @Test
  void onlyTheLeaderWritesAndTheStandbyTakesOver() {
    try (EmbeddedApiServer server = new EmbeddedApiServer();
        KubernetesClient client = server.newClient();
        KubernetesClient simClient = server.newClient()) {
      server.allowSelfSubjectRulesReviews();
      ApiRequestCounter countsA = new ApiRequestCounter();
      ApiRequestCounter countsB = new ApiRequestCounter();
      try (SimulatedCluster cluster = new SimulatedCluster(simClient,
              new SimulatedCluster.Settings(Duration.ofMillis(100), null, Duration.ofMillis(50)));
          KubernetesClient clientA = server.newClient(countsA::install);
          KubernetesClient clientB = server.newClient(countsB::install)) {
        cluster.createNodes(NodePool.parseAll(NodePool.DEFAULT));
        cluster.start();
        MlopsOperator a = new MlopsOperator(clientA, settings("replica-a"));
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        MlopsOperator b = new MlopsOperator(clientB, settings("replica-b"));
        b.start();
        assertThat(b.readiness().message()).startsWith("standby");
        assertThat(b.readiness().ready()).isTrue();

        client.resource(job("first")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(client, "first")));
        assertThat(nonLeaseWrites(countsA)).as("leader writes").isPositive();
        assertThat(nonLeaseWrites(countsB)).as("standby writes: " + countsB.snapshot()).isZero();
        assertThat(b.isLeader()).isFalse();

        a.close();
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
        client.resource(job("second")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(client, "second")));
        assertThat(nonLeaseWrites(countsB)).as("new leader writes").isPositive();
        assertThat(client.batch().v1().jobs().inNamespace("ml-team").list().getItems()).hasSize(2);
        assertThat(client.leases().inNamespace("mlops-system").withName("mlops-operator-leader").get()
            .getSpec().getHolderIdentity()).isEqualTo("replica-b");
        b.close();
      }
    }
  }
}
