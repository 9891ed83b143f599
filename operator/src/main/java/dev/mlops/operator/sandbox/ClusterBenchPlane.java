package dev.mlops.operator.sandbox;

import dev.mlops.operator.common.Quantities;
import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Both phases on one real cluster (the test plane, or any cluster with enough GPU nodes, KWOK's or
 * not): the floor is its own API server, Job controller, scheduler and nodes. Each phase has its own
 * namespace, deleted at its end, and the next phase starts when its pods are gone, so both use the
 * same nodes. The operator runs in this JVM, on a client of its own that counts its requests.
 */
final class ClusterBenchPlane implements BenchPlane {

  static final String FLOOR_NS = "mlops-bench-floor";
  static final String BENCH_NS = "mlops-bench";
  /** On the test plane a Job's pod exits 0 after 5 s unless it has this label (testcluster/stages/pod.yaml). */
  static final Map<String, String> HOLD = Map.of("testcluster.mlops.dev/hold", "true");
  static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";

  private final String server;
  private final KubernetesClient client;
  private final ApiRequestCounter operatorRequests = new ApiRequestCounter();
  private final KubernetesClient operatorClient;
  private final OperatorSettings operatorSettings;
  private final String product;
  private final Duration timeout;
  private final Consumer<String> progress;

  /**
   * @param product the GPU product the jobs ask for, or null for the one with the most free 8-GPU nodes
   * @throws IllegalArgumentException when the cluster has too few nodes of it: one line to show the user
   */
  ClusterBenchPlane(Config config, Config operatorConfig, OperatorSettings operatorSettings, String product,
      int workers, Duration timeout, Consumer<String> progress) {
    this.server = config.getMasterUrl();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    var builder = new KubernetesClientBuilder().withConfig(operatorConfig);
    operatorRequests.install(builder);
    this.operatorClient = builder.build();
    this.operatorSettings = operatorSettings;
    this.timeout = timeout;
    this.progress = progress;
    Map<String, Integer> pools = gpuPools(client);
    String chosen = product != null ? product
        : pools.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    int available = chosen == null ? 0 : pools.getOrDefault(chosen, 0);
    if (available < workers) {
      close();
      String which = chosen == null ? "no schedulable node with 8 allocatable nvidia.com/gpu"
          : available + " schedulable " + chosen + " nodes with 8 allocatable nvidia.com/gpu";
      throw new IllegalArgumentException("the cluster at " + server + " has " + which + "; the bench needs "
          + workers + " (--jobs x --nodes-per-job), e.g. testcluster/up --gpu-nodes "
          + (chosen == null ? Benchmark.BENCH_PRODUCT : chosen) + "=" + workers + "x8");
    }
    this.product = chosen;
  }

  /**
   * Product → schedulable 8-GPU nodes, counted 500 Nodes a page: 20,000 Nodes held at once do not fit
   * in the 256 MiB heap the bench is run with to measure the operator's.
   */
  private static Map<String, Integer> gpuPools(KubernetesClient client) {
    Map<String, Integer> pools = new TreeMap<>();
    String next = null;
    do {
      var page = client.nodes().list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(500L)
          .withContinue(next).build());
      gpuNodes(page.getItems()).forEach((product, count) -> pools.merge(product, count, Integer::sum));
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return pools;
  }

  /** Product → schedulable nodes with at least 8 allocatable GPUs. */
  static Map<String, Integer> gpuNodes(List<Node> nodes) {
    Map<String, Integer> pools = new TreeMap<>();
    for (Node node : nodes) {
      String p = node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(GPU_PRODUCT_LABEL);
      boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
      Quantity gpus = node.getStatus() == null || node.getStatus().getAllocatable() == null ? null
          : node.getStatus().getAllocatable().get("nvidia.com/gpu");
      if (p != null && !unschedulable && gpus != null
          && Quantities.amount(gpus).map(a -> a.compareTo(java.math.BigDecimal.valueOf(8)) >= 0).orElse(false)) {
        pools.merge(p, 1, Integer::sum);
      }
    }
    return pools;
  }

  @Override
  public String describe() {
    return "the cluster at " + server + " (" + product + " nodes)";
  }

  @Override
  public boolean operatorAloneInJvm() {
    return true;
  }

  @Override
  public Phase open(PhaseKind kind, int nodes) throws InterruptedException {
    String namespace = kind == PhaseKind.FLOOR ? FLOOR_NS : BENCH_NS;
    removeNamespace(namespace);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .addToLabels("app.kubernetes.io/created-by", "mlops-operator-bench").endMetadata().build()).create();
    OperatorSettings settings = operatorSettings.withNamespaces(Set.of(namespace));
    return new Phase(client, namespace, product, HOLD) {
      private MlopsOperator operator;

      @Override
      void startOperator() {
        operator = new MlopsOperator(operatorClient, settings);
        operator.start();
      }

      @Override
      void stopOperator() {
        if (operator != null) {
          operator.close();
          operator = null;
        }
      }

      @Override
      MlopsOperator operator() {
        return operator;
      }

      @Override
      ApiRequestCounter operatorRequests() {
        return operatorRequests;
      }

      @Override
      public void close() {
        stopOperator();
        try {
          removeNamespace(namespace);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /** Deletes the namespace (the garbage collector and KWOK remove its pods) and waits until it is gone. */
  private void removeNamespace(String namespace) throws InterruptedException {
    if (client.namespaces().withName(namespace).get() == null) {
      return;
    }
    long started = System.nanoTime();
    progress.accept("bench: deleting namespace " + namespace + " and waiting for its pods to go");
    client.namespaces().withName(namespace).delete();
    await("namespace " + namespace + " to be deleted", () -> client.namespaces().withName(namespace).get() == null);
    progress.accept(String.format("bench: namespace %s gone in %.0fs", namespace, (System.nanoTime() - started) / 1e9));
  }

  private void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(500);
    }
  }

  @Override
  public void close() {
    operatorClient.close();
    client.close();
  }
}
