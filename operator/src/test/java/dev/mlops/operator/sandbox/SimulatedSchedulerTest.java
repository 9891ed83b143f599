package dev.mlops.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.trainingjob.TrainingJobResources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated scheduler places a worker only where a real kube-scheduler would. */
class SimulatedSchedulerTest {

  private static final List<Node> NODES = NodePool.parseAll("A100-80GB=2x8,A100-40GB=1x8,cpu=1x0").stream()
      .flatMap(p -> java.util.stream.IntStream.range(0, p.count())
          .mapToObj(i -> SimulatedCluster.node(p, p.namePrefix() + "-" + i)))
      .toList();

  /** A worker pod exactly as the operator's Job template makes it. */
  private static Pod worker(String job, String product, int gpus, int index) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(job).withNamespace("ml").build());
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.setImage("img");
    spec.setNodes(4);
    spec.setGpusPerNode(gpus);
    tj.setSpec(spec);
    var template = TrainingJobResources.desiredJob(tj, product, 1).getSpec().getTemplate();
    return new PodBuilder().withNewMetadataLike(template.getMetadata()).withName(job + "-" + index).withNamespace("ml")
        .endMetadata().withSpec(template.getSpec()).build();
  }

  private static Pod boundTo(Pod pod, String node) {
    return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
  }

  @Test
  void honoursTheProductAffinity() {
    var decision = SimulatedScheduler.schedule(worker("j", "A100-40GB", 8, 0), NODES, List.of());
    assertThat(decision.nodeName()).isEqualTo("a100-40gb-0");
  }

  @Test
  void neverPutsTwoWorkersOfAJobOnOneNode() {
    List<Pod> bound = new ArrayList<>();
    bound.add(boundTo(worker("j", "A100-80GB", 2, 0), "a100-80gb-0"));
    var decision = SimulatedScheduler.schedule(worker("j", "A100-80GB", 2, 1), NODES, bound);
    assertThat(decision.nodeName()).isEqualTo("a100-80gb-1");
    bound.add(boundTo(worker("j", "A100-80GB", 2, 1), "a100-80gb-1"));
    var third = SimulatedScheduler.schedule(worker("j", "A100-80GB", 2, 2), NODES, bound);
    assertThat(third.placed()).isFalse();
    assertThat(third.message()).contains("2 node(s) didn't match pod anti-affinity rules");
    // Another job may share the node: anti-affinity is per job.
    assertThat(SimulatedScheduler.schedule(worker("other", "A100-80GB", 2, 0), NODES, bound).nodeName())
        .isEqualTo("a100-80gb-0");
  }

  @Test
  void countsGpusInUse() {
    List<Pod> bound = List.of(boundTo(worker("a", "A100-80GB", 8, 0), "a100-80gb-0"),
        boundTo(worker("b", "A100-80GB", 6, 0), "a100-80gb-1"));
    var decision = SimulatedScheduler.schedule(worker("c", "A100-80GB", 4, 0), NODES, bound);
    assertThat(decision.placed()).isFalse();
    assertThat(decision.message()).isEqualTo("0/4 nodes are available: 2 Insufficient nvidia.com/gpu,"
        + " 2 node(s) didn't match Pod's node affinity/selector.");
    assertThat(SimulatedScheduler.schedule(worker("c", "A100-80GB", 2, 0), NODES, bound).nodeName())
        .isEqualTo("a100-80gb-1");
  }

  @Test
  void gpuTaintKeepsPodsWithoutTheTolerationAway() {
    Pod cpu = worker("cpu", null, 0, 0);
    assertThat(SimulatedScheduler.schedule(cpu, NODES, List.of()).nodeName()).isEqualTo("cpu-0");
    Pod noToleration = new PodBuilder(worker("g", "A100-80GB", 8, 0)).editSpec().withTolerations(List.of()).endSpec().build();
    var decision = SimulatedScheduler.schedule(noToleration, NODES, List.of());
    assertThat(decision.placed()).isFalse();
    assertThat(decision.message()).contains("untolerated taint {nvidia.com/gpu: present}");
  }
}
