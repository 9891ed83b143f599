package dev.mlops.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.RepoPaths;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.pipeline.PipelineRunReconciler;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.trainingjob.TrainingJobMetricsProbe;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard only queries metrics the operator exports, under the names Prometheus sees. */
class GrafanaDashboardTest {

  @Test
  void everyPlatformMetricInTheDashboardIsExported() throws Exception {
    String dashboard = Files.readString(RepoPaths.root().resolve("helm/mlops-operator/files/grafana/mlops-operator.json"));
    Map<?, ?> json = Serialization.unmarshal(dashboard, Map.class);
    assertThat((List<?>) json.get("panels")).hasSizeGreaterThanOrEqualTo(4);

    TrainingJob tj = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: j, namespace: ml, creationTimestamp: "2026-11-28T10:00:00Z"}
        spec: {image: i, nodes: 2, gpusPerNode: 8}
        status: {phase: Running, gpuProduct: P, workers: {ready: 2}}
        """, TrainingJob.class);
    TrainingJob queued = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: q, namespace: ml, creationTimestamp: "2026-11-28T10:00:00Z"}
        spec: {image: i, nodes: 2, gpusPerNode: 8, scheduling: {priorityClassName: research-low}}
        status: {phase: Queued, queue: {position: 1, since: "2026-11-28T10:00:00Z"}}
        """, TrainingJob.class);
    String scrape = TrainingJobMetricsProbe.scrapeWith(List.of(tj, queued)) + nasScrape() + redisScrape() + pipelineRunScrape();

    Matcher m = Pattern.compile("mlops_[a-z_]+").matcher(dashboard);
    TreeSet<String> used = new TreeSet<>();
    while (m.find()) {
      used.add(m.group().replaceAll("_bucket$", ""));
    }
    assertThat(used).contains("mlops_trainingjobs", "mlops_trainingjob_gpus_running",
        "mlops_trainingjob_gpus_requested", "mlops_trainingjob_restarts_total", "mlops_trainingjob_time_to_running_seconds",
        "mlops_nasvolumes", "mlops_nasvolume_benchmark_mibps", "mlops_redisinstances",
        "mlops_redisinstance_used_memory_bytes", "mlops_redisinstance_max_memory_bytes", "mlops_pipelineruns",
        "mlops_trainingjob_queue_length", "mlops_trainingjob_queue_oldest_wait_seconds",
        "mlops_trainingjob_queue_wait_seconds", "mlops_trainingjob_admissions_total");
    assertThat(scrape).contains("mlops_trainingjob_queue_length{gpu_product=\"any\",priority_class=\"research-low\"} 1.0");
    for (String name : used) {
      assertThat(scrape).as("the scrape exports %s", name).containsPattern("(?m)^" + name + "(_bucket)?[{ ]");
    }
  }

  /** A scrape of the PipelineRun gauge as the operator registers it, with two runs. */
  static String pipelineRunScrape() {
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    var gauge = PipelineRunReconciler.byPhase(registry);
    var runs = List.of("Running", "Failed").stream().map(phase -> Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: r, namespace: ml}
        spec: {pipelineRef: p}
        status: {phase: %s}
        """.formatted(phase), PipelineRun.class)).toList();
    gauge.observe(() -> runs);
    gauge.refresh();
    String scrape = registry.scrape();
    assertThat(scrape).contains("mlops_pipelineruns{phase=\"Failed\"} 1.0");
    return scrape;
  }

  /** A scrape of the NAS gauges with one Bound volume that has a benchmark result. */
  static String nasScrape() {
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    var metrics = new dev.mlops.operator.nas.NasMetrics(registry);
    NasVolume nv = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: NasVolume
        metadata: {name: scratch, namespace: ml}
        spec: {server: flash-nas, path: scratch, capacity: 1Ti, readOnly: false}
        status: {phase: Bound, benchmark: {runId: "1", state: Succeeded, writeMiBps: 2400.5, readMiBps: 3100.0}}
        """, NasVolume.class);
    metrics.observe(() -> List.of(nv));
    metrics.refresh();
    String scrape = registry.scrape();
    assertThat(scrape).contains("mlops_nasvolume_benchmark_mibps{direction=\"write\",namespace=\"ml\",nasvolume=\"scratch\","
        + "server=\"flash-nas\"} 2400.5");
    return scrape;
  }

  /** A scrape of the Redis gauges with one Ready instance. */
  static String redisScrape() {
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    var metrics = new dev.mlops.operator.redis.RedisMetrics(registry);
    var ri = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: cache, namespace: platform}
        spec: {resources: {limits: {memory: 1Gi}}}
        status: {phase: Ready, usedMemoryBytes: 1048576, maxMemoryBytes: 805306368}
        """, dev.mlops.operator.api.v1alpha1.RedisInstance.class);
    metrics.observe(() -> List.of(ri));
    metrics.refresh();
    return registry.scrape();
  }
}
