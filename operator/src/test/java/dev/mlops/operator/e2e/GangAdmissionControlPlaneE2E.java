package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Built-in gang admission against the real scheduler, Job controller and KWOK nodes (4 nodes of 8 A100-80GB GPUs):
 * what the issue saw go wrong without it (a gang holding a node with 1 of its 3 workers) must never be observed.
 */
class GangAdmissionControlPlaneE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static KubernetesClient client;
  private static ChartRbacOperator operator;
  private static String namespace;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS, values -> { },
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(30)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      String ns = namespace;
      client.resources(TrainingJob.class).inNamespace(ns).delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> client.resources(TrainingJob.class).inNamespace(ns).list()
          .getItems().isEmpty() && client.pods().inNamespace(ns).list().getItems().isEmpty());
      client.namespaces().withName(ns).delete();
      namespace = null;
    }
  }

  private static String namespace() {
    namespace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return namespace;
  }

  private static void create(String ns, String name, int nodes, String podTemplate) {
    TrainingJob tj = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          command: [torchrun, train.py]
          nodes: %d
          gpusPerNode: 8
          gpu: {product: NVIDIA-A100-SXM4-80GB}
          podTemplate: %s
        """.formatted(name, nodes, podTemplate), TrainingJob.class);
    tj.getMetadata().setNamespace(ns);
    client.resource(tj).create();
  }

  private static TrainingJob get(String ns, String name) {
    return client.resources(TrainingJob.class).inNamespace(ns).withName(name).get();
  }

  private static TrainingJob awaitStatus(String ns, String name, Predicate<TrainingJobStatus> reached, Duration within) {
    return TestPlane.awaitTrainingJob(client, ns, name, reached, within);
  }

  /**
   * Every pod event of the namespace, checked as it arrives: a gang with a worker bound while another waits that the
   * scheduler could not place (PodScheduled=False, Unschedulable) is half-placed: it holds GPUs it cannot use. (Workers
   * the Job controller creates one by one are bound one by one: that is not waiting.) Also records which gangs had
   * bound workers at the same moment.
   */
  private static final class GangWatch implements Watcher<Pod>, AutoCloseable {
    final Map<String, Pod> pods = new ConcurrentHashMap<>();
    final List<String> halfPlaced = new CopyOnWriteArrayList<>();
    final List<List<String>> together = new CopyOnWriteArrayList<>();
    final Watch watch;

    GangWatch(String ns) {
      watch = client.pods().inNamespace(ns).watch(this);
    }

    @Override
    public synchronized void eventReceived(Action action, Pod pod) {
      String key = pod.getMetadata().getName();
      if (action == Action.DELETED) {
        pods.remove(key);
      } else {
        pods.put(key, pod);
      }
      Map<String, int[]> byGang = new java.util.TreeMap<>();
      for (Pod p : pods.values()) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || p.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        String gang = p.getMetadata().getLabels().get("mlops.dev/trainingjob") + "#"
            + p.getMetadata().getLabels().get("mlops.dev/attempt");
        int[] counts = byGang.computeIfAbsent(gang, g -> new int[2]);
        if (p.getSpec().getNodeName() != null) {
          counts[0]++;
        } else if (unschedulable(p)) {
          counts[1]++;
        }
      }
      List<String> bound = new ArrayList<>();
      byGang.forEach((gang, counts) -> {
        if (counts[0] > 0 && counts[1] > 0) {
          halfPlaced.add(gang + ": " + counts[0] + " bound, " + counts[1] + " unschedulable");
        }
        if (counts[0] > 0) {
          bound.add(gang);
        }
      });
      together.add(bound);
    }

    /** The scheduler tried and found no node (a pod just created and not tried yet is not waiting). */
    private static boolean unschedulable(Pod p) {
      return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
          .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
              && "Unschedulable".equals(c.getReason()));
    }

    @Override
    public void onClose(WatcherException cause) {}

    @Override
    public void close() {
      watch.close();
    }
  }

  /**
   * The issue's case: four 3-node gangs of 8 GPUs on 4 nodes of 8. Only one gang fits at a time; the others are
   * Queued with their place, and they run one after the other. No gang is ever observed half-placed.
   */
  @Test
  void fourThreeNodeGangsOnFourNodesRunOneAfterAnotherNeverHalfPlaced() {
    String ns = namespace();
    try (GangWatch gangs = new GangWatch(ns)) {
      for (String name : List.of("g1", "g2", "g3", "g4")) {
        create(ns, name, 3, "{annotations: {testcluster.mlops.dev/run-for: \"6s\"}}");
      }
      // Whichever asked first runs; the three others wait, each with its place and why.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> client
          .resources(TrainingJob.class).inNamespace(ns).list().getItems().stream()
          .filter(tj -> tj.getStatus() != null && "Queued".equals(tj.getStatus().getPhase())).count() == 3);
      List<TrainingJob> queued = client.resources(TrainingJob.class).inNamespace(ns).list().getItems().stream()
          .filter(tj -> "Queued".equals(tj.getStatus().getPhase())).toList();
      assertThat(queued).allSatisfy(tj -> {
        assertThat(tj.getStatus().getReason()).isEqualTo("InsufficientFreeGpus");
        assertThat(tj.getStatus().getQueue().getPosition()).isBetween(1, 3);
        assertThat(Conditions.find(tj.getStatus().getConditions(), "Admitted").orElseThrow().getMessage())
            .startsWith("Needs 3 × 8 nvidia.com/gpu on NVIDIA-A100-SXM4-80GB: 1 of 4 nodes of NVIDIA-A100-SXM4-80GB"
                + " has 8 free; ");
      });
      for (String name : List.of("g1", "g2", "g3", "g4")) {
        TrainingJob done = awaitStatus(ns, name, st -> "Succeeded".equals(st.getPhase()), Duration.ofSeconds(180));
        assertThat(done.getStatus().getAttempt()).as(name + " ran once").isEqualTo(1);
      }
      assertThat(gangs.halfPlaced).as("gangs seen half-placed").isEmpty();
      assertThat(gangs.together).as("never two 3-node gangs bound on 4 nodes").allMatch(bound -> bound.size() <= 1);
      assertThat(gangs.together.stream().flatMap(List::stream).distinct().count()).as("every gang ran").isEqualTo(4);
    }
    assertThat(operator.operator().trainingJobs().ledger().lastPassHeld()).isTrue();
  }

  /**
   * A gang whose worker crashes keeps its place: its next attempt is admitted ahead of an older job that never ran,
   * although that job was first in line for the nodes the crash frees.
   */
  @Test
  void aRestartedGangIsReadmittedAheadOfAnOlderJobThatNeverRan() {
    String ns = namespace();
    String hold = "{labels: {testcluster.mlops.dev/hold: \"true\"}}";
    create(ns, "filler", 2, hold);
    awaitStatus(ns, "filler", st -> "Running".equals(st.getPhase()), Duration.ofSeconds(60));
    create(ns, "older", 3, hold);
    awaitStatus(ns, "older", st -> "Queued".equals(st.getPhase()), Duration.ofSeconds(60));
    // Two nodes are free: "crasher" fits there and goes ahead by backfill ("older" needs three).
    create(ns, "crasher", 2, hold);
    awaitStatus(ns, "crasher", st -> "Running".equals(st.getPhase()), Duration.ofSeconds(60));
    client.resources(TrainingJob.class).inNamespace(ns).withName("filler").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(ns)
        .withLabel("mlops.dev/trainingjob", "filler").list().getItems().isEmpty());
    assertThat(get(ns, "older").getStatus().getPhase()).as("2 free nodes do not hold 3 workers").isEqualTo("Queued");

    Pod worker = client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", "crasher").list().getItems().get(0);
    client.pods().inNamespace(ns).withName(worker.getMetadata().getName())
        .edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata()
            .addToLabels("testcluster.mlops.dev/fail", "true").endMetadata().build());
    TrainingJob again = awaitStatus(ns, "crasher", st -> st.getAttempt() == 2 && "Running".equals(st.getPhase()),
        Duration.ofSeconds(90));
    assertThat(again.getStatus().getFailures()).isEqualTo(1);
    TrainingJob older = get(ns, "older");
    assertThat(older.getStatus().getPhase()).isEqualTo("Queued");
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName("older").get()).isNull();
  }
}
