package dev.mlops.operator.pipeline;

import dev.mlops.operator.RepoPaths;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

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

  /** The generated DAG the benchmark compiles ({@link PipelineCompileBenchmark#generated}). */
  static Pipeline large(int n, int width) {
    return PipelineCompileBenchmark.generated(n, width);
  }
}
