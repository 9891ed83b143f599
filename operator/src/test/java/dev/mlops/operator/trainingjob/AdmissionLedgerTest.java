package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.trainingjob.GangAdmission.Demand;
import dev.mlops.operator.trainingjob.GangAdmission.Verdict;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The ledger: reservations of admitted gangs, from memory until their Job is seen, then from the Job itself. */
class AdmissionLedgerTest {

  private static final String A100 = "NVIDIA-A100-SXM4-80GB";
  private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");

  private final List<Node> nodes = new ArrayList<>();
  private final List<Pod> pods = new ArrayList<>();
  private final List<Job> jobs = new ArrayList<>();
  private final Set<String> woken = new HashSet<>();
  private final Set<String> inactive = new HashSet<>();
  private long version;

  private final AdmissionLedger.Cluster cluster = new AdmissionLedger.Cluster() {
    @Override
    public Collection<Node> nodes() {
      return nodes;
    }

    @Override
    public Collection<Pod> gpuPods() {
      return pods;
    }

    @Override
    public Collection<Job> jobs() {
      return jobs;
    }

    @Override
    public long version() {
      return version;
    }

    @Override
    public boolean active(String key) {
      return !inactive.contains(key);
    }
  };

  private AdmissionLedger ledger() {
    return new AdmissionLedger(cluster, Clock.fixed(T0, ZoneOffset.UTC), Duration.ofMinutes(10), woken::addAll);
  }

  private void gpuNodes(int count) {
    for (int i = 0; i < count; i++) {
      nodes.add(new NodeBuilder().withNewMetadata().withName("n" + i).addToLabels("nvidia.com/gpu.product", A100)
          .endMetadata().withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8")).endStatus().build());
    }
  }

  private static Demand demand(String name, int nodes) {
    return new Demand("ml-team/" + name, gpuJob(name, nodes, 8).getSpec(), List.of(A100), 0, false, T0, T0);
  }

  /** The Job the planner creates for an admitted attempt, as the cache shows it. */
  private static Job jobFor(String name, Verdict verdict) {
    TrainingJob tj = gpuJob(name, verdict.nodes().size(), 8);
    return TrainingJobResources.desiredJob(tj, verdict.product(), 1,
        Optional.of(new AdmissionLedger.Reservation("nvidia.com/gpu", 8, verdict.nodes())));
  }

  private static Pod worker(String job, String node, int gpus) {
    return GpuPodStore.prune(new PodBuilder().withNewMetadata().withName(job + "-0").withNamespace("ml-team")
        .addToLabels(TrainingJobResources.JOB_LABEL, job).addToLabels(TrainingJobResources.ATTEMPT_LABEL, "1").endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("worker").withNewResources()
        .addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endResources().endContainer().endSpec()
        .withNewStatus().withPhase("Running").endStatus().build());
  }

  @Test
  void twoGangsAdmittedAtTheSameMomentNeverShareFreeGpus() throws Exception {
    gpuNodes(4);
    AdmissionLedger ledger = ledger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Verdict>> asked = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = "j" + i;
      asked.add(threads.submit(() -> {
        start.await();
        return ledger.ask(demand(name, 2), 1);
      }));
    }
    start.countDown();
    List<String> taken = new ArrayList<>();
    int admitted = 0;
    for (Future<Verdict> f : asked) {
      Verdict v = f.get();
      if (v.admitted()) {
        admitted++;
        taken.addAll(v.nodes());
      }
    }
    threads.shutdown();
    assertThat(admitted).as("4 nodes of 8 hold two 2-node gangs of 8").isEqualTo(2);
    assertThat(taken).doesNotHaveDuplicates().hasSize(4);
  }

  @Test
  void anAdmittedGangsJobKeepsItsNodesReservedAcrossAnOperatorRestartUntilItsWorkersAreBound() {
    gpuNodes(2);
    Verdict first = ledger().ask(demand("first", 2), 1);
    assertThat(first.admitted()).isTrue();
    jobs.add(jobFor("first", first));
    version++;
    // The workers are pinned by node name (a hostname label can differ from it), one affinity term per node.
    assertThat(jobs.get(0).getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
        .extracting(t -> t.getMatchFields().get(0).getKey() + "=" + t.getMatchFields().get(0).getValues())
        .containsExactlyElementsOf(first.nodes().stream().map(n -> "metadata.name=[" + n + "]").toList());

    // A new operator (empty memory) reads the reservation from the Job: its workers are not bound yet.
    AdmissionLedger restarted = ledger();
    assertThat(restarted.ask(demand("second", 1), 1).admitted()).isFalse();

    // One worker bound: its pod counts on that node and the reservation covers only the other; still full.
    pods.add(worker("first", first.nodes().get(0), 8));
    version++;
    assertThat(restarted.ask(demand("second", 1), 1).admitted()).isFalse();

    // The gang finished: its pods are gone and its Job is Complete; the second job is admitted and woken.
    pods.clear();
    jobs.get(0).setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition()
        .withType("Complete").withStatus("True").endCondition().build());
    version++;
    restarted.changed();
    assertThat(woken).containsExactly("ml-team/second");
    assertThat(restarted.ask(demand("second", 1), 1).admitted()).isTrue();
  }

  @Test
  void askingAgainForTheSameAttemptGivesTheSameNodesAndAWithdrawnPlaceFreesThem() {
    gpuNodes(2);
    AdmissionLedger ledger = ledger();
    Verdict first = ledger.ask(demand("first", 1), 1);
    assertThat(ledger.ask(demand("first", 1), 1)).isEqualTo(first);
    assertThat(ledger.ask(demand("second", 1), 1).nodes()).doesNotContainAnyElementsOf(first.nodes());
    assertThat(ledger.ask(demand("third", 1), 1).admitted()).isFalse();
    // first is suspended before its Job was ever created: its nodes go back.
    inactive.add("ml-team/first");
    ledger.withdraw("ml-team/first");
    ledger.changed();
    assertThat(woken).containsExactly("ml-team/third");
  }

  /**
   * A pass can see the Job JOSDK cached when it created it before the informer's store has it: the job then no longer
   * asks and withdraws, but its nodes stay reserved until the store shows the Job (whose annotation takes over).
   */
  @Test
  void anAdmissionStaysReservedAfterTheJobWithdrawsUntilItsJobIsInTheStore() {
    gpuNodes(2);
    AdmissionLedger ledger = ledger();
    Verdict first = ledger.ask(demand("first", 2), 1);
    assertThat(first.admitted()).isTrue();
    ledger.withdraw("ml-team/first");
    assertThat(ledger.ask(demand("second", 1), 1).admitted()).as("first's nodes are still first's").isFalse();
    jobs.add(jobFor("first", first));
    version++;
    assertThat(ledger.ask(demand("second", 1), 1).admitted()).as("now reserved by the Job itself").isFalse();
  }

  @Test
  void aJobSuspendedOrDeletedWhileWaitingGivesUpItsPlaceAndItsAdmission() {
    gpuNodes(1);
    AdmissionLedger ledger = ledger();
    assertThat(ledger.ask(demand("first", 1), 1).admitted()).isTrue();
    assertThat(ledger.ask(demand("second", 1), 1).admitted()).isFalse();
    inactive.add("ml-team/first");
    assertThat(ledger.ask(demand("second", 1), 1).admitted()).as("first was suspended before its Job existed").isTrue();
    // A job that is asking while it is being suspended still gets an answer (no place kept for it after).
    inactive.add("ml-team/third");
    assertThat(ledger.ask(demand("third", 1), 1)).isNotNull();
  }

  @Test
  void podsOfAnyOwnerUsingGpusCountAndFinishedOnesDoNot() {
    gpuNodes(1);
    Pod foreign = new PodBuilder().withNewMetadata().withName("notebook").withNamespace("data").endMetadata()
        .withNewSpec().withNodeName("n0").addNewContainer().withName("c").withNewResources()
        .addToRequests("nvidia.com/gpu", new Quantity("2")).endResources().endContainer().endSpec()
        .withNewStatus().withPhase("Running").endStatus().build();
    pods.add(GpuPodStore.prune(foreign));
    AdmissionLedger ledger = ledger();
    Verdict waiting = ledger.ask(demand("full-node", 1), 1);
    assertThat(waiting.admitted()).isFalse();
    assertThat(waiting.message()).contains("0 of 1 node of " + A100 + " have 8 free");
    foreign.getStatus().setPhase("Succeeded");
    assertThat(GpuPodStore.prune(foreign)).as("a finished pod holds nothing").isNull();
    assertThat(GpuPodStore.prune(new PodBuilder(foreign).editSpec().withNodeName(null).endSpec().build()))
        .as("an unbound pod of another owner holds nothing yet").isNull();
    assertThat(AdmissionLedger.requests(foreign)).isEqualTo(Map.of("nvidia.com/gpu", 2));
  }
}
