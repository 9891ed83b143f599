package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.OperatorHarness.NS;
import static dev.mlops.operator.trainingjob.TrainingJobs.fresh;
import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static dev.mlops.operator.trainingjob.TrainingJobs.withProduct;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GPU product choice, waiting for nodes, and telling the user why a job cannot be placed. */
class TrainingJobPlacementIT {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private void cluster(String nodes) {
    h = new OperatorHarness(new SimulatedCluster.Settings(Duration.ofMillis(200), null, Duration.ofMillis(50)),
        nodes, Duration.ofSeconds(60));
  }

  @Test
  void preferredProductIsChosenAndPinnedForEveryWorker() {
    cluster(NodePool.DEFAULT);
    TrainingJob tj = fresh(gpuJob("pref", 2, 8));
    GpuSpec gpu = new GpuSpec();
    gpu.setPreferredProducts(List.of("NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-SXM4-80GB"));
    tj.getSpec().setGpu(gpu);
    h.create(tj);
    TrainingJob running = h.awaitPhase("pref", TrainingJobPhase.RUNNING);
    assertThat(running.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-40GB");
    assertThat(h.pods("pref", 1)).extracting(p -> p.getSpec().getNodeName())
        .allMatch(n -> n.startsWith("nvidia-a100-sxm4-40gb-"));
  }

  @Test
  void fallsBackToTheLargestQualifyingPoolWhenNoPreferredProductFits() {
    cluster(NodePool.DEFAULT);
    TrainingJob tj = fresh(gpuJob("fallback", 3, 8));
    GpuSpec gpu = new GpuSpec();
    gpu.setPreferredProducts(List.of("NVIDIA-A100-SXM4-40GB"));
    tj.getSpec().setGpu(gpu);
    h.create(tj);
    assertThat(h.awaitPhase("fallback", TrainingJobPhase.RUNNING).getStatus().getGpuProduct())
        .isEqualTo("NVIDIA-A100-SXM4-80GB");
  }

  @Test
  void insufficientGpuNodesKeepsTheJobPendingUntilANodeArrives() {
    cluster("NVIDIA-A100-SXM4-80GB=2x8,NVIDIA-A100-SXM4-40GB=1x8");
    h.create(fresh(gpuJob("big", 3, 8)));
    TrainingJob pending = h.awaitStatus("big", t -> Conditions.find(t.getStatus().getConditions(), "Schedulable")
        .map(c -> "InsufficientGpuNodes".equals(c.getReason())).orElse(false));
    assertThat(pending.getStatus().getPhase()).isEqualTo(TrainingJobPhase.PENDING);
    assertThat(Conditions.find(pending.getStatus().getConditions(), "Schedulable").orElseThrow().getMessage())
        .contains("Needs 3 nodes").contains("8 allocatable nvidia.com/gpu")
        .contains("largest pool is NVIDIA-A100-SXM4-80GB with 2");
    assertThat(h.jobs("big")).isEmpty();

    h.client.nodes().resource(extraNode("nvidia-a100-sxm4-80gb-9", "NVIDIA-A100-SXM4-80GB")).create();
    TrainingJob running = h.awaitPhase("big", TrainingJobPhase.RUNNING);
    assertThat(running.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    // The node that arrived while the job waited left nothing behind in JOSDK's index: such entries
    // were never removed and grew to nodes x waiting jobs on every re-list (680,000 at 1,000 jobs).
    assertThat(h.operator().trainingJobs().indexedNodes(running)).isEmpty();
  }

  @Test
  void aTaintNoWorkerToleratesIsNamedAndLiftingItStartsTheJob() {
    cluster("NVIDIA-A100-SXM4-80GB=2x8");
    for (String node : List.of("nvidia-a100-sxm4-80gb-0", "nvidia-a100-sxm4-80gb-1")) {
      h.client.nodes().withName(node).edit(n -> new NodeBuilder(n).editSpec().addNewTaint().withKey("dedicated")
          .withValue("research").withEffect("NoSchedule").endTaint().endSpec().build());
    }
    h.create(withProduct(fresh(gpuJob("tainted", 2, 8)), "NVIDIA-A100-SXM4-80GB"));
    TrainingJob pending = h.awaitStatus("tainted", t -> schedulableMessage(t).contains("rules out"));
    assertThat(schedulableMessage(pending)).contains("2 nodes of NVIDIA-A100-SXM4-80GB have 8 allocatable nvidia.com/gpu")
        .contains("taint dedicated=research:NoSchedule (no matching spec.podTemplate.tolerations) rules out 2");
    assertThat(h.jobs("tainted")).isEmpty();

    // The taint is lifted: a Node update the operator must notice (taints are kept in its cache).
    for (String node : List.of("nvidia-a100-sxm4-80gb-0", "nvidia-a100-sxm4-80gb-1")) {
      h.client.nodes().withName(node).edit(n -> new NodeBuilder(n).editSpec()
          .withTaints(n.getSpec().getTaints().stream().filter(t -> !"dedicated".equals(t.getKey())).toList())
          .endSpec().build());
    }
    assertThat(h.awaitPhase("tainted", TrainingJobPhase.RUNNING).getStatus().getGpuProduct())
        .isEqualTo("NVIDIA-A100-SXM4-80GB");
  }

  @Test
  void aRewordedReasonHeldBackAMomentIsStillRecordedAsOneEvent() throws InterruptedException {
    cluster("NVIDIA-A100-SXM4-80GB=2x8");
    h.create(fresh(gpuJob("waits", 5, 8)));
    h.awaitStatus("waits", t -> schedulableMessage(t).contains("with 2 such nodes"));
    var before = h.operatorRequests.snapshot();
    // Each new node only rewords the reason ("largest pool ... with 3", then 4). The second comes
    // within a second of the first write, so its write is held back for up to a second; the passes in
    // between must not record its Warning again: one event per message written.
    h.client.nodes().resource(extraNode("nvidia-a100-sxm4-80gb-8", "NVIDIA-A100-SXM4-80GB")).create();
    h.awaitStatus("waits", t -> schedulableMessage(t).contains("with 3 such nodes"));
    h.client.nodes().resource(extraNode("nvidia-a100-sxm4-80gb-9", "NVIDIA-A100-SXM4-80GB")).create();
    h.awaitStatus("waits", t -> schedulableMessage(t).contains("with 4 such nodes"));
    Thread.sleep(1500);
    var after = h.operatorRequests.snapshot();
    long statusWrites = after.getOrDefault("update trainingjobs/status", 0L)
        - before.getOrDefault("update trainingjobs/status", 0L);
    long events = after.getOrDefault("create events", 0L) - before.getOrDefault("create events", 0L);
    assertThat(statusWrites).isEqualTo(2);
    assertThat(events).isEqualTo(statusWrites);
  }

  private static String schedulableMessage(TrainingJob t) {
    return Conditions.find(t.getStatus().getConditions(), "Schedulable").map(c -> c.getMessage()).orElse("");
  }

  @Test
  void aBusyPoolQueuesTheWholeGangUntilItFits() {
    cluster(NodePool.DEFAULT);
    h.create(withProduct(fresh(gpuJob("first", 4, 8)), "NVIDIA-A100-SXM4-80GB"));
    h.awaitPhase("first", TrainingJobPhase.RUNNING);
    h.create(withProduct(fresh(gpuJob("second", 2, 4)), "NVIDIA-A100-SXM4-80GB"));
    TrainingJob waiting = h.awaitPhase("second", TrainingJobPhase.QUEUED);
    assertThat(waiting.getStatus().getReason()).isEqualTo("InsufficientFreeGpus");
    assertThat(waiting.getStatus().getQueue().getPosition()).isEqualTo(1);
    assertThat(Conditions.find(waiting.getStatus().getConditions(), "Admitted").orElseThrow().getMessage())
        .isEqualTo("Needs 2 × 4 nvidia.com/gpu on NVIDIA-A100-SXM4-80GB: 0 of 4 nodes of NVIDIA-A100-SXM4-80GB have 4"
            + " free; next in line.");
    assertThat(h.pods("second")).as("no worker of a gang that does not fit").isEmpty();
    assertThat(h.client.batch().v1().jobs().inNamespace(NS).withName("second").get()).isNull();

    for (Pod p : h.pods("first", 1)) {
      h.cluster.failPod(NS, p.getMetadata().getName(), 0);
    }
    h.awaitPhase("first", TrainingJobPhase.SUCCEEDED);
    assertThat(h.awaitPhase("second", TrainingJobPhase.RUNNING).getStatus().getGpuProduct())
        .isEqualTo("NVIDIA-A100-SXM4-80GB");
  }

  private static io.fabric8.kubernetes.api.model.Node extraNode(String name, String product) {
    return new io.fabric8.kubernetes.api.model.NodeBuilder()
        .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
        .addToLabels("nvidia.com/gpu.product", product).endMetadata()
        .withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint()
        .endSpec()
        .withNewStatus().addToAllocatable("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("8"))
        .addToAllocatable("cpu", new io.fabric8.kubernetes.api.model.Quantity("128"))
        .addToAllocatable("memory", new io.fabric8.kubernetes.api.model.Quantity("2Ti"))
        .endStatus().build();
  }
}
