package dev.mlops.operator.sandbox;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.RunPolicy;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
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
 * Measures the operator against the API server's own floor, in one process and one run:
 *
 * <ol>
 *   <li><b>floor</b>: N TrainingJobs and the exact Service and Job the operator would create for each,
 *       created directly by a pool of client threads (as many as the operator's reconcile threads);
 *       the simulated control plane brings every pod to Running. No operator runs.</li>
 *   <li><b>operator</b>: on a fresh server with the same nodes, N TrainingJobs created by the same
 *       pool, the operator reconciling each to Running.</li>
 *   <li>a steady-state window of two resync intervals with every job Running: writes counted.</li>
 *   <li>the operator's retained heap per job: live objects (the JVM's class histogram, after a full
 *       GC) with the operator running minus the same with it stopped, once with every job Running and
 *       once before the first job (the operator's fixed cost and its Node cache), the difference
 *       divided by N.</li>
 * </ol>
 */
public final class Benchmark {

  public static final String FLOOR_PRODUCT = "NVIDIA-H100-80GB-HBM3";
  public static final String BENCH_PRODUCT = "NVIDIA-A100-SXM4-80GB";
  static final String FLOOR_NS = "floor";
  static final String BENCH_NS = "bench";

  /** {@code histogram}: where to write the operator's heap by class, or null. */
  public record Settings(int jobs, int nodesPerJob, int threads, Duration resync, Duration timeout,
      java.nio.file.Path histogram, int warmupJobs) {
    Settings forWarmup() {
      return new Settings(Math.min(jobs, warmupJobs), nodesPerJob, threads, resync, timeout, null, 0);
    }
  }

  private final Settings settings;
  private final Consumer<String> progress;

  public Benchmark(Settings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Warms the JVM up with a short unmeasured run of both phases (the floor runs first and would
   * otherwise pay for all the JIT compilation of the server and the simulation), then measures.
   */
  public Map<String, Object> run() throws InterruptedException {
    if (settings.warmupJobs() > 0) {
      Settings warmup = settings.forWarmup();
      progress.accept("bench: warm-up, both phases with " + warmup.jobs() + " TrainingJobs (not measured)");
      new Benchmark(warmup, line -> {}).measure(false);
    }
    return measure(true);
  }

  private Map<String, Object> measure(boolean full) throws InterruptedException {
    int n = settings.jobs();
    int k = settings.nodesPerJob();
    var simulation = new SimulatedCluster.Settings(Duration.ZERO, null, Duration.ofMillis(100));
    var operatorSettings = OperatorSettings.defaults().withNamespaces(Set.of(BENCH_NS))
        .withResyncInterval(settings.resync()).withReconcileThreads(settings.threads());
    Map<String, Object> result = new LinkedHashMap<>();
    progress.accept("bench: " + n + " TrainingJobs x " + k + " workers on " + (n * k) + " simulated nodes per phase");
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
    try {
      // Each phase gets a fresh API server: the embedded server's cost per request grows with what
      // it stores, so sharing one would charge the floor's objects to the operator.
      double floorSeconds;
      try (Sandbox floor = new Sandbox(List.of(new NodePool(FLOOR_PRODUCT, n * k, 8)), simulation, operatorSettings)) {
        floorSeconds = floor(floor.client(), pool, result);
      }
      try (Sandbox sandbox = new Sandbox(List.of(new NodePool(BENCH_PRODUCT, n * k, 8)), simulation, operatorSettings)) {
        double operatorSeconds = operator(sandbox, pool, result);
        result.put("jobs", n);
        result.put("nodesPerJob", k);
        result.put("floorSeconds", round(floorSeconds));
        result.put("operatorSeconds", round(operatorSeconds));
        result.put("ratio", round(operatorSeconds / floorSeconds));
        if (full) {
          steadyState(sandbox, result);
          heap(sandbox, result);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : List.of("jobs", "nodesPerJob", "floorSeconds", "operatorSeconds", "ratio", "p50Ms", "p99Ms",
        "writesPerJob", "requestsPerJob", "failedRequestsPerJob", "steadyStateWrites", "steadyStateReconciles", "heapMiBPer1000Jobs", "heapBaselineMiB",
        "floorCpuSeconds", "operatorCpuSeconds")) {
      ordered.put(key, result.get(key));
    }
    return ordered;
  }

  private double floor(KubernetesClient client, ExecutorService pool, Map<String, Object> result)
      throws InterruptedException {
    int n = settings.jobs();
    ExecutorService childPool = Executors.newFixedThreadPool(settings.threads());
    Set<String> running = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<Pod> pods = client.pods().inNamespace(FLOOR_NS)
        .inform(tracking(running, p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
    try {
      long cpu = cpuNanos();
      long start = System.nanoTime();
      // The same shape of concurrency as the operator phase: one pool creates the TrainingJobs (the
      // users), a second pool of the reconciler's size creates each one's children as it appears.
      List<java.util.concurrent.Future<?>> children = java.util.Collections.synchronizedList(new ArrayList<>());
      submitAll(pool, i -> {
        TrainingJob tj = client.resource(trainingJob(FLOOR_NS, i, FLOOR_PRODUCT, settings.nodesPerJob())).create();
        children.add(childPool.submit(() -> {
          client.resource(TrainingJobResources.desiredService(tj)).create();
          client.resource(TrainingJobResources.desiredJob(tj, FLOOR_PRODUCT, 1)).create();
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

  private double operator(Sandbox sandbox, ExecutorService pool, Map<String, Object> result) throws InterruptedException {
    int n = settings.jobs();
    KubernetesClient client = sandbox.client();
    Map<String, Long> createdAt = new ConcurrentHashMap<>();
    Map<String, Long> jobSeenAt = new ConcurrentHashMap<>();
    SharedIndexInformer<Job> jobs = client.batch().v1().jobs().inNamespace(BENCH_NS).inform(new ResourceEventHandler<>() {
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
    SharedIndexInformer<TrainingJob> tjs = client.resources(TrainingJob.class).inNamespace(BENCH_NS)
        .inform(tracking(running, t -> t.getStatus() != null && TrainingJobPhase.RUNNING.equals(t.getStatus().getPhase())));
    try {
      // The operator's fixed cost (its code's state and the Node cache, which grows with the cluster,
      // not with jobs), measured before any job exists, so the heap figure is per job only.
      String histogramWithout = HeapHistogram.take();
      sandbox.startOperator();
      baseline = new HeapPoint(HeapHistogram.take(), histogramWithout);
      sandbox.operatorRequests().reset();
      long cpu = cpuNanos();
      long start = System.nanoTime();
      submitAll(pool, i -> {
        TrainingJob tj = trainingJob(BENCH_NS, i, BENCH_PRODUCT, settings.nodesPerJob());
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
      Map<String, Long> requests = sandbox.operatorRequests().snapshot();
      result.put("writesPerJob", round((double) sandbox.operatorRequests().writes() / n));
      Map<String, Double> perJob = new LinkedHashMap<>();
      requests.forEach((key, count) -> perJob.put(key, round((double) count / n)));
      result.put("requestsPerJob", perJob);
      Map<String, Double> failedPerJob = new LinkedHashMap<>();
      sandbox.operatorRequests().failures().forEach((key, count) -> failedPerJob.put(key, round((double) count / n)));
      result.put("failedRequestsPerJob", failedPerJob);
      progress.accept(String.format("bench: operator %.2fs", seconds));
      return seconds;
    } finally {
      jobs.close();
      tjs.close();
    }
  }

  private void steadyState(Sandbox sandbox, Map<String, Object> result) throws InterruptedException {
    // Let the last status writes and events of the run land, then count a quiet window of two resyncs.
    Thread.sleep(2000);
    sandbox.operatorRequests().reset();
    long passes = sandbox.operator().trainingJobs().reconcileCount();
    Thread.sleep(settings.resync().toMillis() * 2 + 500);
    result.put("steadyStateWrites", sandbox.operatorRequests().writes());
    result.put("steadyStateReconciles", sandbox.operator().trainingJobs().reconcileCount() - passes);
    progress.accept("bench: steady state " + result.get("steadyStateWrites") + " writes in "
        + result.get("steadyStateReconciles") + " reconciles");
  }

  /** Live objects (after a full GC) with the operator running and with it stopped. */
  private record HeapPoint(String histogramWith, String histogramWithout) {
    long operatorBytes() {
      return Math.max(0, HeapHistogram.totalBytes(histogramWith) - HeapHistogram.totalBytes(histogramWithout));
    }
  }

  private HeapPoint baseline;

  private void heap(Sandbox sandbox, Map<String, Object> result) {
    String histogramWith = HeapHistogram.take();
    sandbox.stopOperator();
    HeapPoint loaded = new HeapPoint(histogramWith, HeapHistogram.take());
    double mib = Math.max(0, loaded.operatorBytes() - baseline.operatorBytes()) / (1024.0 * 1024.0);
    double baselineMib = baseline.operatorBytes() / (1024.0 * 1024.0);
    result.put("heapMiBPer1000Jobs", round(mib * 1000.0 / settings.jobs()));
    result.put("heapBaselineMiB", round(baselineMib));
    progress.accept(String.format("bench: operator heap %.1f MiB for %d jobs, on top of %.1f MiB with no jobs"
        + " (%d Nodes cached)", mib, settings.jobs(), baselineMib, settings.jobs() * settings.nodesPerJob()));
    if (settings.histogram() != null) {
      HeapHistogram.writeDifference(loaded.histogramWith(), loaded.histogramWithout(), baseline.histogramWith(),
          baseline.histogramWithout(), settings.jobs(), settings.histogram());
      progress.accept("bench: operator heap by class written to " + settings.histogram());
    }
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
