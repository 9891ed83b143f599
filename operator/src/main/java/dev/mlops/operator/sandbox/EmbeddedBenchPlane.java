package dev.mlops.operator.sandbox;

import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each phase on a fresh embedded API server with its own simulated nodes: the embedded server's cost
 * per request grows with what it stores, so sharing one would charge the floor's objects to the operator.
 */
final class EmbeddedBenchPlane implements BenchPlane {

  static final String FLOOR_NS = "floor";
  static final String BENCH_NS = "bench";

  private final OperatorSettings operatorSettings;

  EmbeddedBenchPlane(OperatorSettings operatorSettings) {
    this.operatorSettings = operatorSettings;
  }

  @Override
  public String describe() {
    return "the embedded API server with simulated nodes";
  }

  @Override
  public boolean operatorAloneInJvm() {
    return false;
  }

  @Override
  public Phase open(PhaseKind kind, int nodes) {
    String product = kind == PhaseKind.FLOOR ? Benchmark.FLOOR_PRODUCT : Benchmark.BENCH_PRODUCT;
    String namespace = kind == PhaseKind.FLOOR ? FLOOR_NS : BENCH_NS;
    var simulation = new SimulatedCluster.Settings(Duration.ZERO, null, Duration.ofMillis(100));
    Sandbox sandbox = new Sandbox(List.of(new NodePool(product, nodes, 8)), simulation,
        operatorSettings.withNamespaces(Set.of(namespace)));
    return new Phase(sandbox.client(), namespace, product, Map.of()) {
      @Override
      void startOperator() {
        sandbox.startOperator();
      }

      @Override
      void stopOperator() {
        sandbox.stopOperator();
      }

      @Override
      MlopsOperator operator() {
        return sandbox.operator();
      }

      @Override
      ApiRequestCounter operatorRequests() {
        return sandbox.operatorRequests();
      }

      @Override
      public void close() {
        sandbox.close();
      }
    };
  }

  @Override
  public void close() {}
}
