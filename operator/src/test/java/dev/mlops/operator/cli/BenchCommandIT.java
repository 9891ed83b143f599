package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench at a small N: every figure is there and sane. No timing thresholds: timings are for the docs. */
class BenchCommandIT {

  @Test
  @SuppressWarnings("unchecked")
  void smallRunReportsEveryFigure(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("bench.json");
    Path histogram = dir.resolve("heap.txt");
    PrintStream out = System.out;
    var buffer = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
      exit = Main.execute("bench", "--jobs", "6", "--nodes-per-job", "2", "--resync-seconds", "1",
          "--json", json.toString(), "--heap-histogram", histogram.toString(), "--warmup-jobs", "2");
    } finally {
      System.setOut(out);
    }
    assertThat(exit).isZero();
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("warm-up, both phases with 2 TrainingJobs");
    String[] lines = buffer.toString(StandardCharsets.UTF_8).strip().split("\n");
    Map<String, Object> figures = Serialization.unmarshal(lines[lines.length - 1], Map.class);
    assertThat(figures).containsKeys("jobs", "floorSeconds", "operatorSeconds", "ratio", "p50Ms", "p99Ms",
        "writesPerJob", "failedRequestsPerJob", "steadyStateWrites", "heapMiBPer1000Jobs", "heapBaselineMiB");
    assertThat(((Number) figures.get("jobs")).intValue()).isEqualTo(6);
    double floor = ((Number) figures.get("floorSeconds")).doubleValue();
    double operator = ((Number) figures.get("operatorSeconds")).doubleValue();
    assertThat(floor).isPositive();
    assertThat(operator).isPositive();
    assertThat(((Number) figures.get("ratio")).doubleValue()).isCloseTo(operator / floor,
        org.assertj.core.data.Offset.offset(0.01));
    assertThat(((Number) figures.get("p99Ms")).doubleValue())
        .isGreaterThanOrEqualTo(((Number) figures.get("p50Ms")).doubleValue());
    // The design's floor: a Service and a Job per TrainingJob, plus status writes and events.
    assertThat(((Number) figures.get("writesPerJob")).doubleValue()).isGreaterThanOrEqualTo(4);
    Map<String, Number> requests = (Map<String, Number>) figures.get("requestsPerJob");
    assertThat(requests.get("create jobs").doubleValue()).isEqualTo(1.0);
    assertThat(requests.get("create services").doubleValue()).isEqualTo(1.0);
    assertThat(((Number) figures.get("steadyStateWrites")).longValue()).isZero();
    assertThat(((Number) figures.get("steadyStateReconciles")).longValue()).isGreaterThanOrEqualTo(6);
    // Six jobs' share of the heap is usually within what the method resolves: then no figure, and a note
    // saying so. In a JVM shared with other tests the readings are noisier and a figure may come out:
    // either way the report says which (a heap size is the bench's to measure, not a test's to bound).
    if (figures.get("heapMiBPer1000Jobs") == null) {
      assertThat((String) figures.get("heapNote")).startsWith("not resolved: ").contains("for 6 jobs")
          .contains("bench a real cluster with --kubeconfig");
    } else {
      assertThat(((Number) figures.get("heapMiBPer1000Jobs")).doubleValue()).isPositive();
      assertThat(figures).doesNotContainKey("heapNote");
    }
    assertThat(((Number) figures.get("heapResolutionMiB")).doubleValue()).isGreaterThanOrEqualTo(1.0);
    assertThat((String) figures.get("plane")).isEqualTo("the embedded API server with simulated nodes");
    // The operator with no jobs still holds its state and the 12 Nodes: a positive fixed cost, when the readings
    // of a JVM shared with other tests resolve it at all (else no figure, never a negative one).
    assertThat(figures).containsKey("heapBaselineMiB");
    if (figures.get("heapBaselineMiB") != null) {
      assertThat(((Number) figures.get("heapBaselineMiB")).doubleValue())
          .isGreaterThan(((Number) figures.get("heapResolutionMiB")).doubleValue());
    }
    // The compile time of a generated 1,000-task Pipeline (the default --pipeline-tasks).
    assertThat(((Number) figures.get("pipelineTasks")).intValue()).isEqualTo(1000);
    assertThat(((Number) figures.get("pipelineCompileMaxMs")).doubleValue())
        .isGreaterThanOrEqualTo(((Number) figures.get("pipelineCompileMs")).doubleValue()).isPositive();
    assertThat(Files.readString(json).strip()).isEqualTo(lines[lines.length - 1]);
    // The heap by class names the classes and a per-job size for each.
    assertThat(Files.readAllLines(histogram)).hasSizeGreaterThan(10)
        .anyMatch(l -> l.matches("\\s*-?\\d+\\s+-?\\d+\\s+-?\\d+\\s+\\S+.*"));
  }
}
