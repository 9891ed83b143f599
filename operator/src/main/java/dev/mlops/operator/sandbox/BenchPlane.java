package dev.mlops.operator.sandbox;

import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Where {@link Benchmark} runs its two phases: the embedded API server with simulated nodes (a fresh
 * server per phase), or a real cluster whose own Job controller, scheduler and (KWOK) nodes are the
 * floor.
 */
interface BenchPlane extends AutoCloseable {

  /** One line for the progress output and the JSON: what the figures were measured on. */
  String describe();

  /** Opens the floor's or the operator's phase for {@code nodes} GPU workers. */
  Phase open(PhaseKind kind, int nodes) throws InterruptedException;

  /**
   * How the operator's heap per job is read. In-process, the embedded server and the simulation share
   * the operator's heap, so only the difference that stopping the operator makes can be its own; on a
   * real cluster the operator is alone in this JVM and its live heap with jobs minus without is.
   */
  boolean operatorAloneInJvm();

  @Override
  void close();

  enum PhaseKind {
    FLOOR, OPERATOR
  }

  /**
   * One phase: the user's client (creating objects, watching them; not counted), a namespace, the GPU
   * product its jobs ask for, the labels put on every worker pod, and the operator to run in it.
   */
  abstract class Phase implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final String product;
    private final Map<String, String> podLabels;

    Phase(KubernetesClient client, String namespace, String product, Map<String, String> podLabels) {
      this.client = client;
      this.namespace = namespace;
      this.product = product;
      this.podLabels = podLabels;
    }

    final KubernetesClient client() {
      return client;
    }

    final String namespace() {
      return namespace;
    }

    final String product() {
      return product;
    }

    /** On the test plane, the label that keeps KWOK's pods running; none in-process. */
    final Map<String, String> podLabels() {
      return podLabels;
    }

    /** Starts the operator on its own counted client, watching this phase's namespace only. */
    abstract void startOperator();

    abstract void stopOperator();

    abstract MlopsOperator operator();

    abstract ApiRequestCounter operatorRequests();

    /** Ends the phase; on a real cluster, waits until its pods are gone so the next phase has the nodes. */
    @Override
    public abstract void close();
  }
}
