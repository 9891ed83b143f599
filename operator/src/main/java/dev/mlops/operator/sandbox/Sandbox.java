package dev.mlops.operator.sandbox;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.manifest.ManifestReader;
import dev.mlops.operator.manifest.ManifestReader.StatusPolicy;
import dev.mlops.operator.manifest.ResourceKinds;
import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A whole cluster in one process: the embedded API server, simulated GPU nodes and control plane,
 * and the real operator (the same {@link MlopsOperator} as {@code run}) on its own counted client.
 */
public final class Sandbox implements AutoCloseable {

  private final EmbeddedApiServer server = new EmbeddedApiServer();
  private final KubernetesClient client = server.newClient();
  private final KubernetesClient simulationClient = server.newClient();
  private final ApiRequestCounter operatorRequests = new ApiRequestCounter();
  private final KubernetesClient operatorClient = server.newClient(operatorRequests::install);
  private final SimulatedCluster cluster;
  private final OperatorSettings operatorSettings;
  private MlopsOperator operator;

  public Sandbox(List<NodePool> pools, SimulatedCluster.Settings simulation, OperatorSettings operatorSettings) {
    this.operatorSettings = operatorSettings;
    this.cluster = new SimulatedCluster(simulationClient, simulation);
    cluster.createNodes(pools, () -> false);
    cluster.start();
  }

  /**
   * As above, but gives up creating the simulated nodes at {@code deadline}: a user's --timeout
   * bounds the whole run, and a cluster of a hundred thousand nodes takes minutes to create.
   */
  public static Sandbox startBy(Instant deadline, List<NodePool> pools, SimulatedCluster.Settings simulation,
      OperatorSettings operatorSettings) throws TimeoutException {
    Sandbox sandbox = new Sandbox(simulation, operatorSettings);
    boolean complete = sandbox.cluster.createNodes(pools, () -> Instant.now().isAfter(deadline)).size()
        == pools.stream().mapToInt(NodePool::count).sum();
    if (!complete) {
      sandbox.close();
      throw new TimeoutException("timed out while creating the simulated nodes");
    }
    sandbox.cluster.start();
    return sandbox;
  }

  private Sandbox(SimulatedCluster.Settings simulation, OperatorSettings operatorSettings) {
    this.operatorSettings = operatorSettings;
    this.cluster = new SimulatedCluster(simulationClient, simulation);
  }

  public void startOperator() {
    operator = new MlopsOperator(operatorClient, operatorSettings);
    operator.start();
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** A client for the user's side: applying manifests, reading status. Not counted. */
  public KubernetesClient client() {
    return client;
  }

  public ApiRequestCounter operatorRequests() {
    return operatorRequests;
  }

  public MlopsOperator operator() {
    return operator;
  }

  public SimulatedCluster cluster() {
    return cluster;
  }

  public EmbeddedApiServer server() {
    return server;
  }

  /** What the sandbox applies: the operator's kinds (status ignored, as on create), Nodes (with theirs), PriorityClasses. */
  public static final ManifestReader READER = new ManifestReader("the sandbox", StatusPolicy.IGNORE,
      java.util.stream.Stream.concat(ResourceKinds.own().stream(), java.util.stream.Stream.of(ResourceKinds.NODE,
          ResourceKinds.NAMESPACE, ResourceKinds.PRIORITY_CLASS)).toList());

  /**
   * Creates the objects as a user's {@code kubectl create} would; TrainingJobs and NasVolumes default
   * to namespace "default". A Namespace that exists already gets the file's labels.
   */
  public void apply(List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      if (object instanceof io.fabric8.kubernetes.api.model.Namespaced && object.getMetadata().getNamespace() == null) {
        object.getMetadata().setNamespace("default");
      }
      if (object instanceof io.fabric8.kubernetes.api.model.Namespace namespace) {
        applyNamespace(client, namespace);
      } else {
        client.resource(object).create();
      }
    }
  }

  /**
   * A Namespace of the files, created, or, where it exists, given the file's labels (a NasServer may
   * select on them) and nothing else: the embedded server and a real cluster alike.
   */
  public static void applyNamespace(KubernetesClient client, io.fabric8.kubernetes.api.model.Namespace namespace) {
    client.resource(namespace).createOr(existing -> existing.edit(ns -> {
      ns.getMetadata().setLabels(namespace.getMetadata().getLabels());
      return ns;
    }));
  }

  public List<TrainingJob> trainingJobs() {
    return client.resources(TrainingJob.class).inAnyNamespace().list().getItems();
  }

  /** A kubeconfig for the embedded server (plain HTTP on loopback, no credentials). */
  public String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mlops-sandbox
          cluster:
            server: %s
        users:
        - name: sandbox
          user: {}
        contexts:
        - name: mlops-sandbox
          context: {cluster: mlops-sandbox, user: sandbox, namespace: default}
        current-context: mlops-sandbox
        """.formatted(server.url().replaceAll("/$", ""));
  }

  @Override
  public void close() {
    stopOperator();
    cluster.close();
    operatorClient.close();
    simulationClient.close();
    client.close();
    server.close();
  }
}
