package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Platform metrics of TrainingJobs. Gauges are computed from the operator's cache when Prometheus
 * scrapes (no bookkeeping to drift); counters and the time-to-Running histogram are recorded by the
 * reconciler when it writes a decision.
 *
 * <ul>
 *   <li>{@code mlops_trainingjobs{phase,gpu_product}}: TrainingJobs by phase and product</li>
 *   <li>{@code mlops_trainingjob_gpus_requested{gpu_product}}: GPUs of unfinished, unsuspended jobs</li>
 *   <li>{@code mlops_trainingjob_gpus_running{gpu_product}}: GPUs of ready workers</li>
 *   <li>{@code mlops_trainingjob_restarts_total{reason}}: gang restarts (WorkerFailed, WorkerDisrupted)</li>
 *   <li>{@code mlops_trainingjob_time_to_running_seconds}: creation to first Running (histogram)</li>
 * </ul>
 */
public final class TrainingJobMetrics {

  private static final String NONE = "none";
  private final MeterRegistry registry;
  private final MultiGauge byPhase;
  private final MultiGauge gpusRequested;
  private final MultiGauge gpusRunning;
  private final Timer timeToRunning;
  private final MultiGauge queueLength;
  private final MultiGauge queueOldest;
  private volatile Supplier<Collection<TrainingJob>> source = List::of;

  public TrainingJobMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.byPhase = MultiGauge.builder("mlops.trainingjobs").description("TrainingJobs by phase and GPU product")
        .register(registry);
    this.gpusRequested = MultiGauge.builder("mlops.trainingjob.gpus.requested")
        .description("GPUs of TrainingJobs that are neither finished nor suspended").register(registry);
    this.gpusRunning = MultiGauge.builder("mlops.trainingjob.gpus.running")
        .description("GPUs held by ready workers").register(registry);
    this.queueLength = MultiGauge.builder("mlops.trainingjob.queue.length")
        .description("TrainingJobs Queued for GPUs, by the GPU product they want (any: no fixed product) and PriorityClass")
        .register(registry);
    this.queueOldest = MultiGauge.builder("mlops.trainingjob.queue.oldest.wait").baseUnit("seconds")
        .description("How long the longest-waiting Queued TrainingJob has waited, by GPU product and PriorityClass")
        .register(registry);
    this.timeToRunning = Timer.builder("mlops.trainingjob.time.to.running")
        .description("Time from a TrainingJob's creation to all its workers running, first attempt")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofHours(24)).register(registry);
  }

  /** Where the gauges read the TrainingJobs from (the reconciler's primary cache). */
  public void observe(Supplier<Collection<TrainingJob>> trainingJobs) {
    this.source = trainingJobs;
  }

  /** Recomputes the gauges; called before each scrape. */
  public void refresh() {
    Map<List<String>, Integer> phases = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
    Map<String, Integer> requested = new TreeMap<>();
    Map<String, Integer> running = new TreeMap<>();
    Map<List<String>, Integer> queued = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
    Map<List<String>, Long> oldest = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
    Instant now = Instant.now();
    for (TrainingJob tj : source.get()) {
      var st = tj.getStatus();
      String phase = st == null || st.getPhase() == null ? "Unknown" : st.getPhase();
      String product = st == null || st.getGpuProduct() == null ? NONE : st.getGpuProduct();
      phases.merge(List.of(phase, product), 1, Integer::sum);
      int gpus = tj.getSpec() == null || tj.getSpec().getGpusPerNode() == null ? 0 : tj.getSpec().getGpusPerNode();
      if (!TrainingJobPhase.isFinished(phase) && !TrainingJobPhase.SUSPENDED.equals(phase)) {
        requested.merge(product, gpus * (tj.getSpec().getNodes() == null ? 0 : tj.getSpec().getNodes()), Integer::sum);
      }
      if (TrainingJobPhase.QUEUED.equals(phase) && tj.getSpec() != null) {
        List<String> key = List.of(wanted(tj), priorityClass(tj));
        queued.merge(key, 1, Integer::sum);
        if (st.getQueue() != null && st.getQueue().getSince() != null) {
          long waited = Math.max(0, Duration.between(Instant.parse(st.getQueue().getSince()), now).toSeconds());
          oldest.merge(key, waited, Math::max);
        }
      }
      if (st != null && st.getWorkers() != null && st.getWorkers().getReady() != null) {
        running.merge(product, gpus * st.getWorkers().getReady(), Integer::sum);
      }
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    phases.forEach((k, v) -> rows.add(MultiGauge.Row.of(Tags.of("phase", k.get(0), "gpu_product", k.get(1)), v)));
    byPhase.register(rows, true);
    gpusRequested.register(rows(requested), true);
    gpusRunning.register(rows(running), true);
    List<MultiGauge.Row<?>> queueRows = new ArrayList<>();
    queued.forEach((k, v) -> queueRows.add(MultiGauge.Row.of(Tags.of("gpu_product", k.get(0), "priority_class", k.get(1)),
        v)));
    queueLength.register(queueRows, true);
    List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
    oldest.forEach((k, v) -> oldestRows.add(MultiGauge.Row.of(Tags.of("gpu_product", k.get(0), "priority_class",
        k.get(1)), v)));
    queueOldest.register(oldestRows, true);
  }

  /** The product a job asks for: its fixed one, the one it ran on, or "any". */
  private static String wanted(TrainingJob tj) {
    if (tj.getStatus() != null && tj.getStatus().getGpuProduct() != null) {
      return tj.getStatus().getGpuProduct();
    }
    var gpu = tj.getSpec().getGpu();
    return gpu != null && gpu.getProduct() != null && !gpu.getProduct().isEmpty() ? gpu.getProduct() : "any";
  }

  private static String priorityClass(TrainingJob tj) {
    String name = TrainingJobValidator.priorityClassName(tj.getSpec());
    return name == null ? NONE : name;
  }

  /** A gang admitted on GPUs: counted, and how long it waited in the queue (0 when it did not wait). */
  void admitted(TrainingJob before, String product, Instant now) {
    Tags tags = Tags.of("gpu_product", product == null ? NONE : product, "priority_class", priorityClass(before));
    Counter.builder("mlops.trainingjob.admissions").description("Gangs admitted on free GPUs (one per attempt)")
        .tags(tags).register(registry).increment();
    var queue = before.getStatus() == null ? null : before.getStatus().getQueue();
    Duration waited = queue == null || queue.getSince() == null ? Duration.ZERO
        : Duration.between(Instant.parse(queue.getSince()), now);
    Timer.builder("mlops.trainingjob.queue.wait").description("Time an attempt waited in the queue before admission")
        .tags(tags).publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofDays(7)).register(registry).record(waited.isNegative() ? Duration.ZERO : waited);
  }

  private static List<MultiGauge.Row<?>> rows(Map<String, Integer> byProduct) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byProduct.forEach((product, value) -> rows.add(MultiGauge.Row.of(Tags.of("gpu_product", product), value)));
    return rows;
  }

  void restarted(String reason) {
    Counter.builder("mlops.trainingjob.restarts").description("Whole-gang restarts of TrainingJobs")
        .tag("reason", reason).register(registry).increment();
  }

  void firstRunning(TrainingJob tj, Instant now) {
    String created = tj.getMetadata().getCreationTimestamp();
    if (created != null) {
      timeToRunning.record(Duration.between(Instant.parse(created), now));
    }
  }
}
