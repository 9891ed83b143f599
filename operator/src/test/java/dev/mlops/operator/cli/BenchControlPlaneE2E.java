package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.e2e.TestPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --kubeconfig}: both phases on the real plane, whose Job controller, scheduler and KWOK
 * nodes are the floor. Figures are for the docs; what is asserted is what a user relies on: the run
 * completes, the operator made exactly one Job and one Service per TrainingJob and nothing in a steady
 * state, and it leaves the cluster as it found it.
 */
class BenchControlPlaneE2E {

  @Test
  @SuppressWarnings("unchecked")
  void benchesTheRealPlaneAndCleansUp() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    try (KubernetesClient admin = TestPlane.clientWithCrds()) {
      // The plane's largest pool has 4 nodes of 8 GPUs: 2 jobs x 2 workers fit, with the real scheduler
      // placing each job's workers on distinct nodes.
      Cli.Output run = Cli.execute(List.of("bench", "--kubeconfig", TestPlane.kubeconfig().get().toString(),
          "--jobs", "2", "--nodes-per-job", "2", "--warmup-jobs", "0", "--resync-seconds", "2", "--timeout-seconds", "180"));
      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      String[] lines = run.out().strip().split("\n");
      Map<String, Object> figures = Serialization.unmarshal(lines[lines.length - 1], Map.class);
      assertThat((String) figures.get("plane")).startsWith("the cluster at https://127.0.0.1:");
      Map<String, Number> requests = (Map<String, Number>) figures.get("requestsPerJob");
      assertThat(requests.get("create jobs").doubleValue()).isEqualTo(1.0);
      assertThat(requests.get("create services").doubleValue()).isEqualTo(1.0);
      assertThat((Map<String, Object>) figures.get("failedRequestsPerJob")).isEmpty();
      assertThat(((Number) figures.get("steadyStateWrites")).longValue()).isZero();
      assertThat(((Number) figures.get("floorSeconds")).doubleValue()).isPositive();
      // Two jobs cannot be told from noise: no heap figure, and a note that says so.
      assertThat(figures).containsKey("heapMiBPer1000Jobs");
      if (figures.get("heapMiBPer1000Jobs") == null) {
        assertThat((String) figures.get("heapNote")).startsWith("not resolved:");
      }
      for (String ns : List.of("mlops-bench-floor", "mlops-bench")) {
        assertThat(admin.namespaces().withName(ns).get()).as(ns).isNull();
      }
    }
  }

  @Test
  void tooFewNodesIsOneLineNamingTheFix() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    try (KubernetesClient admin = TestPlane.clientWithCrds()) {
      Cli.Output run = Cli.execute(List.of("bench", "--kubeconfig", TestPlane.kubeconfig().get().toString(),
          "--jobs", "100", "--gpu-product", "NVIDIA-A100-SXM4-40GB"));
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err().strip().lines()).singleElement().asString()
          .startsWith("bench: the cluster at https://127.0.0.1:")
          .contains("has 2 schedulable NVIDIA-A100-SXM4-40GB nodes with 8 allocatable nvidia.com/gpu")
          .contains("needs 400").contains("testcluster/up --gpu-nodes NVIDIA-A100-SXM4-40GB=400x8");
    }
  }
}
