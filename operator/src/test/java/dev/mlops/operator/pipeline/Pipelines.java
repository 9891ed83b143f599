package dev.mlops.operator.pipeline;

import dev.mlops.operator.RepoPaths;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Pipelines for tests: the examples, and large generated DAGs. */
final class Pipelines {

  private Pipelines() {}

  static Pipeline example(String file) {
    try {
      Pipeline p = Serialization.unmarshal(Files.readString(RepoPaths.root().resolve("examples").resolve(file)), Pipeline.class);
      p.getMetadata().setUid("uid-" + p.getMetadata().getName());
      p.getMetadata().setGeneration(1L);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Pipeline dailyTrain() {
    return example("pipeline-daily-train.yaml");
  }

  static Pipeline yaml(String yaml) {
    Pipeline p = Serialization.unmarshal(yaml, Pipeline.class);
    p.getMetadata().setGeneration(1L);
    return p;
  }

  static PipelineRun run(String yaml) {
    PipelineRun r = Serialization.unmarshal(yaml, PipelineRun.class);
    r.getMetadata().setGeneration(1L);
    r.getMetadata().setUid("uid-" + r.getMetadata().getName());
    return r;
  }

  /**
   * {@code n} tasks in {@code width} parallel lanes: task i depends on task i - width (and on task
   * i - width - 1 in the same lane's neighbour), and reads the output of the task it depends on.
   */
  static Pipeline large(int n, int width) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: large, namespace: ml-team}
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
    return yaml(yaml.toString());
  }
}
