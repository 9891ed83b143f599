package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Collection;

/** Test access to the package-private recording methods: a scrape after one restart and one start. */
public final class TrainingJobMetricsProbe {

  private TrainingJobMetricsProbe() {}

  public static String scrapeWith(Collection<TrainingJob> jobs) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingJobMetrics metrics = new TrainingJobMetrics(registry);
    metrics.observe(() -> jobs);
    metrics.restarted("WorkerFailed");
    jobs.forEach(tj -> metrics.firstRunning(tj, Instant.parse("2026-11-28T10:05:00Z")));
    jobs.stream().filter(tj -> "Queued".equals(tj.getStatus().getPhase()))
        .forEach(tj -> metrics.admitted(tj, "P", Instant.parse("2026-11-28T10:07:00Z")));
    metrics.refresh();
    return registry.scrape();
  }
}
