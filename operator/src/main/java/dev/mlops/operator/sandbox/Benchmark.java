package dev.mlops.operator.sandbox;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.RunPolicy;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.pipeline.PipelineCompileBenchmark;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.trainingjob.TrainingJobPhase;
import dev.mlops.operator.trainingjob.TrainingJobResources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Measures the operator against its plane's own floor, in one run, on a {@link BenchPlane}: the
 * embedded API server (a fresh one per phase) or a real cluster.
 *
 * <ol>
 *   <li><b>floor</b>: N TrainingJobs and the exact Service and Job the operator would create for each,
 *       created directly by a pool of client threads (as many as the operator's reconcile threads);
 *       the plane's control plane (simulated, or the real Job controller, scheduler and nodes) brings
 *       every pod to Running. No operator runs.</li>
 *   <li><b>operator</b>: N TrainingJobs created by the same pool, the operator reconciling each to
 *       Running.</li>
 *   <li>a steady-state window of two resync intervals with every job Running: writes counted.</li>
 *   <li>the operator's retained heap per job, read as {@link #heap} says, or not printed when the
 *       difference is within what the method cannot tell apart from noise.</li>
 * </ol>
 */
public final class Benchmark {

  public static final String FLOOR_PRODUCT = "NVIDIA-H100-80GB-HBM3";
  public static final String BENCH_PRODUCT = "NVIDIA-A100-SXM4-80GB";
  /** The namespaces a run on a real cluster creates and deletes (one per phase). */
  public static final Set<String> CLUSTER_NAMESPACES = Set.of(ClusterBenchPlane.FLOOR_NS, ClusterBenchPlane.BENCH_NS);
  /** A heap difference is printed only when it is this many times the spread of repeated readings. */
  static final int HEAP_RESOLUTION_FACTOR = 4;

  /** {@code histogram}: where to write the operator's heap by class, or null. */
  /** {@code floor}: false measures the operator's phase only (heap at a large N), with no ratio. */
  public record Settings(int jobs, int nodesPerJob, int threads, Duration resync, Duration timeout,
      java.nio.file.Path histogram, int warmupJobs, boolean floor, int pipelineTasks) {
    Settings forWarmup() {
      return new Settings(Math.min(jobs, warmupJobs), nodesPerJob, threads, resync, timeout, null, 0, floor, 0);
    }

    public OperatorSettings operatorSettings() {
      return OperatorSettings.defaults().withResyncInterval(resync).withReconcileThreads(threads);
    }
  }

  private final Settings settings;
  private final Consumer<String> progress;
  private final BenchPlane plane;

  /** On the embedded API server. */
  public Benchmark(Settings settings, Consumer<String> progress) {
    this(settings, progress, new EmbeddedBenchPlane(settings.operatorSettings()));
  }

  private Benchmark(Settings settings, Consumer<String> progress, BenchPlane plane) {
    this.settings = settings;
    this.progress = progress;
    this.plane = plane;
  }

  /**
   * On a real cluster: {@code config} for the user's side, {@code operatorConfig} (a copy) for the
   * operator's counted client; {@code product} null for the cluster's largest 8-GPU pool.
   *
   * @throws IllegalArgumentException the cluster has too few GPU nodes for the run, in one line
   */
  public static Benchmark onCluster(Settings settings, Consumer<String> progress, io.fabric8.kubernetes.client.Config config,
      io.fabric8.kubernetes.client.Config operatorConfig, String product) {
    return new Benchmark(settings, progress, new ClusterBenchPlane(config, operatorConfig, settings.operatorSettings(),
        product, settings.jobs() * settings.nodesPerJob(), settings.timeout(), progress));
  }

  /**
   * Warms the JVM up with a short unmeasured run of both phases (the floor runs first and would
   * otherwise pay for all the JIT compilation of the server and the simulation), then measures.
   */
  public Map<String, Object> run() throws InterruptedException {
    try {
      if (settings.warmupJobs() > 0) {
        Settings warmup = settings.forWarmup();
        progress.accept("bench: warm-up, both phases with " + warmup.jobs() + " TrainingJobs (not measured)");
        new Benchmark(warmup, line -> {}, plane).measure(false);
      }
      Map<String, Object> figures = measure(true);
      if (settings.pipelineTasks() > 0) {
        progress.accept("bench: validating and compiling a Pipeline of " + settings.pipelineTasks() + " tasks");
        PipelineCompileBenchmark.Figures compile = PipelineCompileBenchmark.measure(settings.pipelineTasks());
        figures.put("pipelineTasks", compile.tasks());
        figures.put("pipelineCompileMs", round(compile.medianMs()));
        figures.put("pipelineCompileMaxMs", round(compile.maxMs()));
      }
      return figures;
    } finally {
      plane.close();
    }
  }

  private Map<String, Object> measure(boolean full) throws InterruptedException {
    int n = settings.jobs();
    int k = settings.nodesPerJob();
    Map<String, Object> result = new LinkedHashMap<>();
    progress.accept("bench: " + n + " TrainingJobs x " + k + " workers on " + plane.describe());
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
    try {
      double floorSeconds = 0;
      if (settings.floor()) {
        try (BenchPlane.Phase floor = plane.open(BenchPlane.PhaseKind.FLOOR, n * k)) {
          floorSeconds = floor(floor, pool, result);
        }
      }
      try (BenchPlane.Phase phase = plane.open(BenchPlane.PhaseKind.OPERATOR, n * k)) {
        double operatorSeconds = operator(phase, pool, result);
        result.put("plane", plane.describe());
        result.put("jobs", n);
        result.put("nodesPerJob", k);
        result.put("operatorSeconds", round(operatorSeconds));
        if (settings.floor()) {
          result.put("floorSeconds", round(floorSeconds));
          result.put("ratio", round(operatorSeconds / floorSeconds));
        }
        if (full) {
          steadyState(phase, result);
          heap(phase, result);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : List.of("plane", "jobs", "nodesPerJob", "floorSeconds", "operatorSeconds", "ratio", "p50Ms",
        "p99Ms", "writesPerJob", "requestsPerJob", "failedRequestsPerJob", "steadyStateWrites", "steadyStateReconciles",
        "heapMiBPer1000Jobs", "heapBaselineMiB", "heapResolutionMiB", "heapNote", "maxHeapMiB", "floorCpuSeconds",
        "operatorCpuSeconds")) {
      if (result.containsKey(key)) {
        ordered.put(key, result.get(key));
      }
    }
    return ordered;
  }

  private double floor(BenchPlane.Phase phase, ExecutorService pool, Map<String, Object> result)
      throws InterruptedException {
    int n = settings.jobs();
    KubernetesClient client = phase.client();
    ExecutorService childPool = Executors.newFixedThreadPool(settings.threads());
    Set<String> running = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<Pod> pods = client.pods().inNamespace(phase.namespace())
        .inform(tracking(running, p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
    try {
      long cpu = cpuNanos();
      long start = System.nanoTime();
      // The same shape of concurrency as the operator phase: one pool creates the TrainingJobs (the
      // users), a second pool of the reconciler's size creates each one's children as it appears.
      List<java.util.concurrent.Future<?>> children = java.util.Collections.synchronizedList(new ArrayList<>());
      submitAll(pool, i -> {
        TrainingJob tj = client.resource(trainingJob(phase, i)).create();
        children.add(childPool.submit(() -> {
          client.resource(TrainingJobResources.desiredService(tj)).create();
          client.resource(TrainingJobResources.desiredJob(tj, phase.product(), 1)).create();
          return null;
        }));
      });
      awaitAll(children);
      int expected = n * settings.nodesPerJob();
      await("floor: pods Running", () -> running.size() >= expected);
      double seconds = (System.nanoTime() - start) / 1e9;
      result.put("floorCpuSeconds", round((cpuNanos() - cpu) / 1e9));
      progress.accept(String.format("bench: floor %.2fs", seconds));
      return seconds;
    } finally {
      childPool.shutdownNow();
      pods.close();
    }
  }

  private double operator(BenchPlane.Phase phase, ExecutorService pool, Map<String, Object> result)
      throws InterruptedException {
    int n = settings.jobs();
    KubernetesClient client = phase.client();
    Map<String, Long> createdAt = new ConcurrentHashMap<>();
    Map<String, Long> jobSeenAt = new ConcurrentHashMap<>();
    // The operator's fixed cost (its code's state and the Node cache, which grows with the cluster,
    // not with jobs), read before any job exists and before this method's own informers, so the
    // heap figure is per job only.
    String histogramWithout = plane.operatorAloneInJvm() ? null : HeapHistogram.take();
    phase.startOperator();
    baseline = new HeapReading(HeapHistogram.take(), HeapHistogram.take(), histogramWithout);
    SharedIndexInformer<Job> jobs = client.batch().v1().jobs().inNamespace(phase.namespace())
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Job job) {
            jobSeenAt.putIfAbsent(job.getMetadata().getName(), System.nanoTime());
          }

          @Override
          public void onUpdate(Job oldJob, Job newJob) {}

          @Override
          public void onDelete(Job job, boolean unknown) {}
        });
    Set<String> running = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<TrainingJob> tjs = client.resources(TrainingJob.class).inNamespace(phase.namespace())
        .inform(tracking(running, t -> t.getStatus() != null && TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase())));
    try {
      phase.operatorRequests().reset();
      long cpu = cpuNanos();
      long start = System.nanoTime();
      submitAll(pool, i -> {
        TrainingJob tj = trainingJob(phase, i);
        long t0 = System.nanoTime();
        client.resource(tj).create();
        createdAt.put(tj.getMetadata().getName(), t0);
      });
      await("operator: TrainingJobs Running", () -> running.size() >= n);
      double seconds = (System.nanoTime() - start) / 1e9;
      result.put("operatorCpuSeconds", round((cpuNanos() - cpu) / 1e9));
      List<Double> latencies = new ArrayList<>();
      createdAt.forEach((name, t0) -> {
        Long t1 = jobSeenAt.get(name);
        if (t1 != null) {
          latencies.add(Math.max(0, (t1 - t0) / 1e6));
        }
      });
      latencies.sort(Double::compare);
      result.put("p50Ms", round(percentile(latencies, 0.50)));
      result.put("p99Ms", round(percentile(latencies, 0.99)));
      ApiRequestCounter requests = phase.operatorRequests();
      result.put("writesPerJob", round((double) requests.writes() / n));
      Map<String, Double> perJob = new LinkedHashMap<>();
      requests.snapshot().forEach((key, count) -> perJob.put(key, round((double) count / n)));
      result.put("requestsPerJob", perJob);
      Map<String, Double> failedPerJob = new LinkedHashMap<>();
      requests.failures().forEach((key, count) -> failedPerJob.put(key, round((double) count / n)));
      result.put("failedRequestsPerJob", failedPerJob);
      progress.accept(String.format("bench: operator %.2fs", seconds));
      return seconds;
    } finally {
      jobs.close();
      tjs.close();
    }
  }

  private void steadyState(BenchPlane.Phase phase, Map<String, Object> result) throws InterruptedException {
    // Let the last status writes and events of the run land, then count a quiet window of two resyncs.
    Thread.sleep(2000);
    phase.operatorRequests().reset();
    long passes = phase.operator().trainingJobs().reconcileCount();
    Thread.sleep(settings.resync().toMillis() * 2 + 500);
    result.put("steadyStateWrites", phase.operatorRequests().writes());
    result.put("steadyStateReconciles", phase.operator().trainingJobs().reconcileCount() - passes);
    progress.accept("bench: steady state " + result.get("steadyStateWrites") + " writes in "
        + result.get("steadyStateReconciles") + " reconciles");
  }

  /**
   * Live objects after a full GC: two readings with the operator running, taken back to back (their
   * spread is what the method cannot resolve), and, in-process only, one with it stopped.
   */
  record HeapReading(String with, String withAgain, String without) {
    long withBytes() {
      return (HeapHistogram.totalBytes(with) + HeapHistogram.totalBytes(withAgain)) / 2;
    }

    long spread() {
      return Math.abs(HeapHistogram.totalBytes(with) - HeapHistogram.totalBytes(withAgain));
    }

    /** The operator's share: all of it when it is alone in the JVM, else what stopping it freed. */
    long operatorBytes() {
      return without == null ? withBytes() : withBytes() - HeapHistogram.totalBytes(without);
    }
  }

  private HeapReading baseline;

  /**
   * The operator's heap per job: its share of the live heap with every job Running minus the same
   * before the first job. On a real cluster the operator is alone in the JVM (the bench's own
   * informers are closed by then), so its share is the whole live heap; in-process the embedded
   * server and the simulation live in the same heap, and only what stopping the operator frees is its
   * own. A difference within {@value #HEAP_RESOLUTION_FACTOR} times the spread of repeated readings
   * (at least 1 MiB) is not a measurement: the figure is then left out and {@code heapNote} says why.
   */
  private void heap(BenchPlane.Phase phase, Map<String, Object> result) {
    String with = HeapHistogram.take();
    String withAgain = HeapHistogram.take();
    String without = null;
    if (!plane.operatorAloneInJvm()) {
      phase.stopOperator();
      without = HeapHistogram.take();
    }
    HeapReading loaded = new HeapReading(with, withAgain, without);
    double mib = (loaded.operatorBytes() - baseline.operatorBytes()) / MIB;
    double baselineMib = baseline.operatorBytes() / MIB;
    double resolutionMib = resolutionMib(Math.max(loaded.spread(), baseline.spread()));
    // The fixed cost is a difference of readings too: within the resolution (noise of the embedded server and
    // the simulation in the same JVM can even make it negative) it is not a figure either.
    result.put("heapBaselineMiB", baselineMib > resolutionMib ? round(baselineMib) : null);
    result.put("heapResolutionMiB", round(resolutionMib));
    result.put("maxHeapMiB", round(Runtime.getRuntime().maxMemory() / MIB));
    var perThousand = heapPerThousandJobs(mib, resolutionMib, settings.jobs());
    if (perThousand.isPresent()) {
      result.put("heapMiBPer1000Jobs", round(perThousand.getAsDouble()));
      progress.accept(String.format("bench: operator heap %.1f MiB for %d jobs, on top of %.1f MiB with none",
          mib, settings.jobs(), baselineMib));
    } else {
      String note = String.format("not resolved: %.1f MiB for %d jobs is not above the method's resolution of %.1f MiB;"
          + " run more jobs%s", mib, settings.jobs(), resolutionMib,
          plane.operatorAloneInJvm() ? "" : ", or bench a real cluster with --kubeconfig");
      result.put("heapMiBPer1000Jobs", null);
      result.put("heapNote", note);
      progress.accept("bench: operator heap " + note);
    }
    if (settings.histogram() != null) {
      HeapHistogram.writeDifference(loaded.with(), loaded.without(), baseline.with(), baseline.without(),
          settings.jobs(), settings.histogram());
      progress.accept("bench: operator heap by class written to " + settings.histogram());
    }
  }

  private static final double MIB = 1024.0 * 1024.0;

  /** What the heap method cannot tell from noise: a multiple of the spread of repeated readings, at least 1 MiB. */
  static double resolutionMib(long spreadBytes) {
    return Math.max(1.0, HEAP_RESOLUTION_FACTOR * spreadBytes / MIB);
  }

  /**
   * MiB per 1,000 jobs, or empty when the difference is not above the resolution: a clamp to zero (what
   * this method once did with a negative difference) printed 0.0 for 4,000 cached pods.
   */
  static java.util.OptionalDouble heapPerThousandJobs(double mib, double resolutionMib, int jobs) {
    return mib > resolutionMib ? java.util.OptionalDouble.of(mib * 1000.0 / jobs) : java.util.OptionalDouble.empty();
  }

  private TrainingJob trainingJob(BenchPlane.Phase phase, int i) {
    TrainingJob tj = trainingJob(phase.namespace(), i, phase.product(), settings.nodesPerJob());
    if (!phase.podLabels().isEmpty()) {
      var overrides = new dev.mlops.operator.api.v1alpha1.PodTemplateOverrides();
      overrides.setLabels(phase.podLabels());
      tj.getSpec().setPodTemplate(overrides);
    }
    return tj;
  }

  static TrainingJob trainingJob(String namespace, int i, String product, int workers) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(String.format("job-%05d", i)).withNamespace(namespace).build());
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.setImage("nvcr.io/nvidia/pytorch:24.05-py3");
    spec.setCommand(List.of("torchrun", "train.py"));
    spec.setNodes(workers);
    spec.setGpusPerNode(8);
    GpuSpec gpu = new GpuSpec();
    gpu.setProduct(product);
    spec.setGpu(gpu);
    spec.setRunPolicy(new RunPolicy());
    tj.setSpec(spec);
    return tj;
  }

  private void submitAll(ExecutorService pool, IntTask task) throws InterruptedException {
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < settings.jobs(); i++) {
      int index = i;
      futures.add(pool.submit(() -> {
        task.run(index);
        return null;
      }));
    }
    awaitAll(futures);
  }

  private void awaitAll(List<java.util.concurrent.Future<?>> futures) throws InterruptedException {
    for (var f : List.copyOf(futures)) {
      try {
        f.get(settings.timeout().toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("creating objects failed: " + e.getMessage(), e);
      }
    }
  }

  @FunctionalInterface
  interface IntTask {
    void run(int i) throws Exception;
  }

  /**
   * Keeps {@code names} equal to the objects that satisfy {@code done}, from watch events: the
   * phases' end conditions are checked in O(1) instead of scanning every object every 20 ms, which
   * at N = 5,000 cost the machine more CPU than some of what is measured.
   */
  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> tracking(
      Set<String> names, java.util.function.Predicate<T> done) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onUpdate(null, obj);
      }

      @Override
      public void onUpdate(T oldObj, T obj) {
        if (done.test(obj)) {
          names.add(obj.getMetadata().getName());
        } else {
          names.remove(obj.getMetadata().getName());
        }
      }

      @Override
      public void onDelete(T obj, boolean unknown) {
        names.remove(obj.getMetadata().getName());
      }
    };
  }

  private void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
