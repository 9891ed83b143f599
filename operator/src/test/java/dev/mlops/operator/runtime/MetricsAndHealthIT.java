package dev.mlops.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What Prometheus and the kubelet's probes see of a running operator. */
class MetricsAndHealthIT {

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void scrapeShowsJobsByPhaseGpusAndRestarts() throws Exception {
    try (EmbeddedApiServer server = new EmbeddedApiServer();
        KubernetesClient client = server.newClient();
        KubernetesClient simClient = server.newClient();
        KubernetesClient operatorClient = server.newClient();
        SimulatedCluster cluster = new SimulatedCluster(simClient,
            new SimulatedCluster.Settings(Duration.ofMillis(100), null, Duration.ofMillis(50)))) {
      cluster.createNodes(NodePool.parseAll(NodePool.DEFAULT));
      cluster.start();
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      try (MlopsOperator operator = new MlopsOperator(operatorClient, OperatorSettings.defaults(), registry);
          HealthAndMetricsServer http = new HealthAndMetricsServer(0, operator::readiness, () -> {
            operator.refreshMetrics();
            return registry.scrape();
          })) {
        http.start();
        assertThat(get(http.port(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(http.port(), "/readyz").statusCode()).isEqualTo(503);
        operator.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(http.port(), "/readyz").statusCode() == 200);

        client.resource(Serialization.unmarshal("""
            apiVersion: mlops.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: metered, namespace: ml-team}
            spec: {image: pytorch, nodes: 2, gpusPerNode: 8, gpu: {product: NVIDIA-A100-SXM4-80GB}}
            """, TrainingJob.class)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(http.port(), "/metrics").body()
            .contains("mlops_trainingjobs{gpu_product=\"NVIDIA-A100-SXM4-80GB\",phase=\"Running\"} 1.0"));
        String scrape = get(http.port(), "/metrics").body();
        assertThat(scrape).contains("mlops_trainingjob_gpus_requested{gpu_product=\"NVIDIA-A100-SXM4-80GB\"} 16.0")
            .contains("mlops_trainingjob_gpus_running{gpu_product=\"NVIDIA-A100-SXM4-80GB\"} 16.0")
            .contains("mlops_trainingjob_time_to_running_seconds_count 1")
            .contains("operator_sdk_reconciliations_started_total");

        var worker = client.pods().inNamespace("ml-team").withLabel("mlops.dev/trainingjob", "metered").list().getItems().get(0);
        cluster.failPod("ml-team", worker.getMetadata().getName(), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(http.port(), "/metrics").body()
            .contains("mlops_trainingjob_restarts_total{reason=\"WorkerFailed\"} 1.0"));

        // NasVolumes by phase and server: one Bound, one Pending (its namespace is not allowed).
        client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("ml-team")
            .addToLabels("mlops.dev/nas", "true").endMetadata().build()).create();
        client.resource(dev.mlops.operator.nas.NasVolumeIT.server("flash-nas", "all-flash")).create();
        client.resource(dev.mlops.operator.nas.NasVolumeIT.volume("ml-team", "imagenet", "datasets/imagenet", true)).create();
        client.resource(dev.mlops.operator.nas.NasVolumeIT.volume("other", "imagenet", "datasets/imagenet", true)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          String body = get(http.port(), "/metrics").body();
          return body.contains("mlops_nasvolumes{phase=\"Bound\",server=\"flash-nas\"} 1.0")
              && body.contains("mlops_nasvolumes{phase=\"Pending\",server=\"flash-nas\"} 1.0");
        });

        // RedisInstances by phase: no server runs behind this one, so it is Pending.
        client.resource(Serialization.unmarshal("""
            apiVersion: mlops.dev/v1alpha1
            kind: RedisInstance
            metadata: {name: cache, namespace: ml-team}
            spec: {resources: {limits: {memory: 1Gi}}}
            """, dev.mlops.operator.api.v1alpha1.RedisInstance.class)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(http.port(), "/metrics").body()
            .contains("mlops_redisinstances{phase=\"Pending\"} 1.0"));
      }
    }
  }
}
