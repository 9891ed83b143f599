package dev.mlops.operator.cli;

import dev.mlops.operator.sandbox.Benchmark;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Speed and memory of the operator, as ratios to the embedded API server's own floor. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure the operator on the embedded API server: the floor (the same objects created directly),"
        + " the operator reconciling N TrainingJobs to Running, latency, API requests per job, writes in a"
        + " steady state, heap per 1,000 jobs and CPU.",
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
      description = "Also write the operator's retained heap by class (running minus stopped, per 1,000 jobs) to PATH.")
  Path heapHistogram;

  @Option(names = "--warmup-jobs", defaultValue = "100",
      description = "Jobs of an unmeasured warm-up run of both phases first; 0 for none (default ${DEFAULT-VALUE}).")
  int warmupJobs;

  @Override
  public Integer call() throws Exception {
    if (jobs < 1 || nodesPerJob < 1 || threads < 1 || resyncSeconds < 1 || warmupJobs < 0) {
      System.err.println("bench: --jobs, --nodes-per-job, --threads and --resync-seconds must be at least 1");
      return 2;
    }
    var settings = new Benchmark.Settings(jobs, nodesPerJob, threads, Duration.ofSeconds(resyncSeconds),
        Duration.ofSeconds(timeoutSeconds), heapHistogram, warmupJobs);
    Map<String, Object> figures = new Benchmark(settings, System.out::println).run();
    String line = Serialization.asJson(figures);
    if (json != null) {
      Files.writeString(json, line + System.lineSeparator());
    }
    System.out.println(line);
    return 0;
  }
}
