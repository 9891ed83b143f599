package dev.mlops.operator.sandbox;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.YamlDocuments;
import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    cluster.createNodes(pools);
    cluster.start();
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

  /** Reads TrainingJobs and Nodes from multi-document YAML; other kinds are refused by name. */
  public static List<HasMetadata> read(String yaml, String origin) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : YamlDocuments.split(yaml)) {
      GenericKubernetesResource generic = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      switch (String.valueOf(generic.getKind())) {
        case "TrainingJob" -> objects.add(Serialization.unmarshal(doc, TrainingJob.class));
        case "Node" -> objects.add(Serialization.unmarshal(doc, Node.class));
        default -> throw new IllegalArgumentException(origin + ": the sandbox applies TrainingJob and Node objects, not "
            + generic.getKind() + " " + generic.getMetadata().getName());
      }
    }
    return objects;
  }

  public static List<HasMetadata> read(Path file) {
    try {
      return read(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the objects as a user's {@code kubectl create} would; TrainingJobs default to namespace "default". */
  public void apply(List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      if (object instanceof TrainingJob tj && tj.getMetadata().getNamespace() == null) {
        tj.getMetadata().setNamespace("default");
      }
      client.resource(object).create();
    }
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
