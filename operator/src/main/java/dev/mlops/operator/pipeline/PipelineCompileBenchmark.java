package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How long one reconcile of a large Pipeline spends validating and compiling it: a generated DAG of
 * {@code tasks} container tasks in parallel lanes, each reading the output of the task it depends on,
 * compiled again and again in this JVM. Used by {@code bench}; docs/performance.md holds the figures.
 */
public final class PipelineCompileBenchmark {

  private PipelineCompileBenchmark() {}

  /** Lanes of the generated DAG: wide enough for Argo's parallelism, deep enough for long chains. */
  public static final int LANES = 10;
  private static final int WARMUP_ROUNDS = 20;
  private static final int ROUNDS = 30;

  /** Median and slowest of the measured rounds, in milliseconds. */
  public record Figures(int tasks, double medianMs, double maxMs, int rounds) {}

  public static Figures measure(int tasks) {
    Pipeline pipeline = generated(tasks, LANES);
    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      once(pipeline);
    }
    double[] ms = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long start = System.nanoTime();
      once(pipeline);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new Figures(tasks, ms[ROUNDS / 2], ms[ROUNDS - 1], ROUNDS);
  }

  private static void once(Pipeline pipeline) {
    List<String> errors = PipelineValidator.validate(pipeline.getMetadata().getName(), pipeline.getSpec());
    if (!errors.isEmpty()) {
      throw new IllegalStateException("the generated pipeline is invalid: " + errors.get(0));
    }
    PipelineCompiler.compile(pipeline, "argo");
  }

  /**
   * {@code n} tasks in {@code width} parallel lanes: task i depends on task i - width (and on task
   * i - width - 1 in the same lane's neighbour), and reads the output of the task it depends on.
   */
  public static Pipeline generated(int n, int width) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: large, namespace: ml-team, uid: uid-large, generation: 1}
        spec:
          params: [{name: date, type: string, default: "2026-12-01"}]
          tasks:
        """);
    for (int i = 0; i < n; i++) {
      List<String> deps = new ArrayList<>();
      if (i >= width) {
        deps.add("t" + (i - width));
        if (i % width > 0) {
          deps.add("t" + (i - width - 1));
        }
      }
      yaml.append("    - name: t").append(i).append('\n');
      if (!deps.isEmpty()) {
        yaml.append("      dependsOn: [").append(String.join(", ", deps)).append("]\n");
      }
      String input = deps.isEmpty() ? "{{params.date}}" : "{{tasks." + deps.get(0) + ".outputs.out}}";
      yaml.append("      container: {image: busybox:1.36, command: [sh, -c, 'echo ").append(input)
          .append(" > /tmp/out']}\n      outputs: [{name: out, path: /tmp/out}]\n");
    }
    return Serialization.unmarshal(yaml.toString(), Pipeline.class);
  }
}
