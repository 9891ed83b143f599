package dev.mlops.operator.trainingjob;

import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.runtime.ApiRequestCounter;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.Sandbox;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The real operator against the embedded API server, with a simulated control plane advancing pods:
 * a {@link Sandbox} (the same wiring as the sandbox command) plus what tests need to drive and read it.
 * The operator's requests are counted; the simulation and the test use other clients.
 */
final class OperatorHarness implements AutoCloseable {

  static final String NS = "ml-team";

  private final Sandbox sandbox;
  final KubernetesClient client;
  final SimulatedCluster cluster;
  final ApiRequestCounter operatorRequests;

  OperatorHarness(SimulatedCluster.Settings simulation, String nodes, Duration resync) {
    sandbox = new Sandbox(NodePool.parseAll(nodes), simulation,
        OperatorSettings.defaults().withResyncInterval(resync).withReconcileThreads(4));
    client = sandbox.client();
    cluster = sandbox.cluster();
    operatorRequests = sandbox.operatorRequests();
    startOperator();
  }

  /** Pods run until the test tells them how to end. */
  static OperatorHarness manual() {
    return new OperatorHarness(new SimulatedCluster.Settings(Duration.ofMillis(200), null, Duration.ofMillis(50)),
        NodePool.DEFAULT, Duration.ofSeconds(60));
  }

  void startOperator() {
    sandbox.startOperator();
  }

  void stopOperator() {
    sandbox.stopOperator();
  }

  MlopsOperator operator() {
    return sandbox.operator();
  }

  Resource<TrainingJob> tj(String name) {
    return client.resources(TrainingJob.class).inNamespace(NS).withName(name);
  }

  TrainingJob create(TrainingJob tj) {
    tj.getMetadata().setNamespace(NS);
    return client.resource(tj).create();
  }

  TrainingJob awaitStatus(String name, Predicate<TrainingJob> condition) {
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            TrainingJob current = tj(name).get();
            return current != null && current.getStatus() != null && condition.test(current);
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("timed out; state of " + name + ":\n" + dump(name), e);
    }
    return tj(name).get();
  }

  /** Everything a failing test should show: the TrainingJob, its Jobs and its pods. */
  String dump(String name) {
    StringBuilder out = new StringBuilder("operator requests: " + operatorRequests.snapshot() + "\nnode: "
        + io.fabric8.kubernetes.client.utils.Serialization.asJson(client.nodes().list().getItems().get(0)) + "\n");
    out.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(tj(name).get()));
    jobs(name).forEach(j -> out.append("--- job ").append(j.getMetadata().getName()).append(" attempt ")
        .append(j.getMetadata().getLabels().get(TrainingJobResources.ATTEMPT_LABEL)).append(" status ")
        .append(io.fabric8.kubernetes.client.utils.Serialization.asJson(j.getStatus())).append('\n'));
    pods(name).forEach(p -> out.append("--- pod ").append(p.getMetadata().getName()).append(" node ")
        .append(p.getSpec().getNodeName()).append(" status ")
        .append(io.fabric8.kubernetes.client.utils.Serialization.asJson(p.getStatus())).append('\n'));
    return out.toString();
  }

  TrainingJob awaitPhase(String name, String phase) {
    return awaitStatus(name, t -> phase.equals(t.getStatus().getPhase()));
  }

  List<Pod> pods(String name) {
    return client.pods().inNamespace(NS).withLabel(TrainingJobResources.JOB_LABEL, name).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  List<Pod> pods(String name, int attempt) {
    return pods(name).stream()
        .filter(p -> String.valueOf(attempt).equals(p.getMetadata().getLabels().get(TrainingJobResources.ATTEMPT_LABEL)))
        .toList();
  }

  Pod worker(String name, int attempt, int index) {
    return pods(name, attempt).stream()
        .filter(p -> String.valueOf(index)
            .equals(p.getMetadata().getAnnotations().get(TrainingJobResources.COMPLETION_INDEX_ANNOTATION)))
        .findFirst().orElseThrow(() -> new AssertionError("no worker " + index + " in attempt " + attempt));
  }

  List<Job> jobs(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withLabel(TrainingJobResources.JOB_LABEL, name).list().getItems();
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
