package dev.mlops.operator.cli;

import dev.mlops.operator.sandbox.Benchmark;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.mlops.operator.runtime.Preflight;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Speed and memory of the operator, as ratios to the embedded API server's own floor. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure the operator on the embedded API server (or a real cluster with --kubeconfig): the floor"
        + " (the same objects created directly), the operator reconciling N TrainingJobs to Running, latency, API"
        + " requests per job, writes in a steady state, heap per 1,000 jobs and CPU.",
        "The last line of stdout is one JSON object with the figures. See docs/performance.md."})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--jobs", defaultValue = "100", description = "TrainingJobs per phase (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--nodes-per-job", defaultValue = "4", description = "Workers per TrainingJob (default ${DEFAULT-VALUE}).")
  int nodesPerJob;

  @Option(names = "--threads", defaultValue = "10",
      description = "Operator reconcile threads, and client threads of the floor (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--resync-seconds", defaultValue = "5",
      description = "Resync interval; the steady-state window is two of them (default ${DEFAULT-VALUE}).")
  int resyncSeconds;

  @Option(names = "--timeout-seconds", defaultValue = "1800", description = "Give up on a phase after this long.")
  int timeoutSeconds;

  @Option(names = "--json", description = "Also write the JSON figures to this file.")
  Path json;

  @Option(names = "--heap-histogram", paramLabel = "PATH",
      description = "Also write the operator's retained heap by class, per job, to PATH (in-process: running minus"
          + " stopped; on a cluster: with the jobs minus before them).")
  Path heapHistogram;

  @Option(names = "--warmup-jobs", defaultValue = "100",
      description = "Jobs of an unmeasured warm-up run of both phases first; 0 for none (default ${DEFAULT-VALUE}).")
  int warmupJobs;

  @Option(names = "--no-floor",
      description = "Skip the floor phase: the operator's figures only, no ratio (for the heap at a large N).")
  boolean noFloor;

  @Option(names = "--kubeconfig", paramLabel = "PATH",
      description = "Bench this real cluster instead (the test plane, or any with enough 8-GPU nodes): its API server,"
          + " controllers and nodes are the floor. Creates and deletes the namespaces mlops-bench-floor and mlops-bench.")
  Path kubeconfig;

  @Option(names = "--pipeline-tasks", defaultValue = "1000", paramLabel = "N",
      description = "Tasks of the generated Pipeline whose validation and compilation to a WorkflowTemplate is timed"
          + " (default ${DEFAULT-VALUE}; 0 skips it).")
  int pipelineTasks;

  @Option(names = "--admission-jobs", defaultValue = "1000", paramLabel = "N",
      description = "Gangs queued for the admission figures: N jobs of 1-4 nodes x 4 or 8 GPUs on --admission-nodes"
          + " nodes of 8 GPUs, decided by the operator's own admission ledger; 0 to skip (default ${DEFAULT-VALUE}).")
  int admissionJobs;

  @Option(names = "--admission-nodes", defaultValue = "100", paramLabel = "N",
      description = "8-GPU nodes of the admission figures (default ${DEFAULT-VALUE}).")
  int admissionNodes;

  @Option(names = "--gpu-product", paramLabel = "PRODUCT",
      description = "With --kubeconfig: the nvidia.com/gpu.product the jobs ask for (default: the cluster's largest pool).")
  String gpuProduct;

  @Override
  public Integer call() throws Exception {
    if (jobs < 1 || nodesPerJob < 1 || threads < 1 || resyncSeconds < 1 || timeoutSeconds < 1) {
      System.err.println("bench: --jobs, --nodes-per-job, --threads, --resync-seconds and --timeout-seconds must be"
          + " at least 1");
      return 2;
    }
    if (warmupJobs < 0) {
      System.err.println("bench: --warmup-jobs must be 0 or more, not " + warmupJobs);
      return 2;
    }
    if (pipelineTasks < 0) {
      System.err.println("bench: --pipeline-tasks must be 0 or more, not " + pipelineTasks);
      return 2;
    }
    if (admissionJobs < 0 || admissionNodes < 1) {
      System.err.println("bench: --admission-jobs must be 0 or more and --admission-nodes 1 or more, not "
          + admissionJobs + " and " + admissionNodes);
      return 2;
    }
    if (gpuProduct != null && kubeconfig == null) {
      System.err.println("bench: --gpu-product " + gpuProduct + " needs --kubeconfig: the embedded server has its own nodes");
      return 2;
    }
    var settings = new Benchmark.Settings(jobs, nodesPerJob, threads, Duration.ofSeconds(resyncSeconds),
        Duration.ofSeconds(timeoutSeconds), heapHistogram, warmupJobs, !noFloor, pipelineTasks);
    Benchmark bench;
    if (kubeconfig == null) {
      bench = new Benchmark(settings, System.out::println);
    } else {
      KubeconfigFile file;
      Config config;
      Config preflightConfig;
      Config operatorConfig;
      try {
        file = KubeconfigFile.read(kubeconfig);
        config = file.config();
        preflightConfig = file.config();
        operatorConfig = file.config();
      } catch (KubeconfigFile.BadKubeconfig e) {
        System.err.println("bench: " + e.getMessage());
        return 2;
      }
      // The same checks as `run`, with its exit codes: reachable, authenticated, CRDs served, RBAC.
      Preflight.Result preflight = new Preflight(Duration.ofSeconds(10), Benchmark.CLUSTER_NAMESPACES, null)
          .check(preflightConfig);
      if (!preflight.passed()) {
        System.err.println("bench: " + preflight.message());
        return preflight.outcome().exitCode();
      }
      try {
        bench = Benchmark.onCluster(settings, System.out::println, config, operatorConfig, gpuProduct);
      } catch (IllegalArgumentException e) {
        System.err.println("bench: " + e.getMessage());
        return 2;
      }
    }
    Map<String, Object> figures = bench.run();
    if (admissionJobs > 0) {
      System.out.println("bench: admission of " + admissionJobs + " queued gangs on " + admissionNodes + " nodes");
      figures.putAll(dev.mlops.operator.sandbox.AdmissionBenchmark.measure(admissionJobs, admissionNodes, 19).asMap());
    }
    String line = Serialization.asJson(figures);
    if (json != null) {
      Files.writeString(json, line + System.lineSeparator());
    }
    System.out.println(line);
    return 0;
  }
}
