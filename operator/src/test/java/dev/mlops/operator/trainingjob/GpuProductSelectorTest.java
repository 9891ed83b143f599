package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.PodTemplateOverrides;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuProductSelectorTest {

  private static Node node(String name, String product, int gpus) {
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("nvidia.com/gpu.product", product)
        .addToLabels("zone", name.endsWith("0") ? "a" : "b").endMetadata()
        .withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endStatus().build();
  }

  private static List<Node> cluster() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(node("a80-" + i, "A100-80GB", 8));
    }
    for (int i = 0; i < 2; i++) {
      nodes.add(node("a40-" + i, "A100-40GB", 8));
    }
    nodes.add(node("h100-0", "H100", 4));
    return nodes;
  }

  private static TrainingJobSpec spec(int nodes, int gpus, String product, List<String> preferred) {
    TrainingJobSpec spec = gpuJob("x", nodes, gpus).getSpec();
    GpuSpec gpu = new GpuSpec();
    gpu.setProduct(product);
    gpu.setPreferredProducts(preferred);
    spec.setGpu(gpu);
    return spec;
  }

  @Test
  void largestQualifyingPoolWinsWithoutPreferences() {
    assertThat(GpuProductSelector.choose(spec(2, 8, null, null), cluster()).product()).isEqualTo("A100-80GB");
  }

  @Test
  void preferredProductsAreTriedInOrder() {
    var choice = GpuProductSelector.choose(spec(2, 8, null, List.of("H100", "A100-40GB", "A100-80GB")), cluster());
    assertThat(choice.product()).isEqualTo("A100-40GB");
    assertThat(choice.message()).contains("A100-40GB").contains("2 nodes qualify");
  }

  @Test
  void nodesWithTooFewGpusDoNotCount() {
    assertThat(GpuProductSelector.choose(spec(1, 8, "H100", null), cluster()).placeable()).isFalse();
    assertThat(GpuProductSelector.choose(spec(1, 4, "H100", null), cluster()).product()).isEqualTo("H100");
  }

  @Test
  void explainsWhatIsNeededAndWhatTheLargestPoolOffers() {
    var choice = GpuProductSelector.choose(spec(5, 8, null, null), cluster());
    assertThat(choice.placeable()).isFalse();
    assertThat(choice.message()).isEqualTo("Needs 5 nodes of one GPU product with 8 allocatable nvidia.com/gpu each."
        + " The largest pool is A100-80GB with 4 such nodes.");
    var fixed = GpuProductSelector.choose(spec(3, 8, "A100-40GB", null), cluster());
    assertThat(fixed.message()).startsWith("Needs 3 nodes of A100-40GB with 8 allocatable nvidia.com/gpu each"
        + " (spec.gpu.product); 2 such nodes exist.");
  }

  @Test
  void cordonedAndNotReadyNodesAndTheNodeSelectorAreHonoured() {
    List<Node> nodes = cluster();
    nodes.get(0).setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
    nodes.get(0).getSpec().setUnschedulable(true);
    nodes.get(1).getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
        .withType("Ready").withStatus("False").build()));
    assertThat(GpuProductSelector.choose(spec(3, 8, "A100-80GB", null), nodes).placeable()).isFalse();
    assertThat(GpuProductSelector.choose(spec(2, 8, "A100-80GB", null), nodes).placeable()).isTrue();

    TrainingJobSpec zoned = spec(2, 8, "A100-80GB", null);
    PodTemplateOverrides template = new PodTemplateOverrides();
    template.setNodeSelector(Map.of("zone", "a"));
    zoned.setPodTemplate(template);
    assertThat(GpuProductSelector.choose(zoned, cluster()).placeable()).isFalse();
  }

  @Test
  void jobsShareACountOfPoolsOnlyWhenWhatTheCountDependsOnIsEqual() {
    TrainingJobSpec a = spec(2, 8, "A100-80GB", null);
    TrainingJobSpec b = spec(4, 8, null, List.of("H100"));
    assertThat(GpuProductSelector.poolsKey(a)).isEqualTo(GpuProductSelector.poolsKey(b));
    assertThat(GpuProductSelector.poolsKey(spec(2, 4, null, null))).isNotEqualTo(GpuProductSelector.poolsKey(a));
    TrainingJobSpec zoned = spec(2, 8, null, null);
    zoned.setPodTemplate(new dev.mlops.operator.api.v1alpha1.PodTemplateOverrides());
    zoned.getPodTemplate().setNodeSelector(java.util.Map.of("zone", "a"));
    assertThat(GpuProductSelector.poolsKey(zoned)).isNotEqualTo(GpuProductSelector.poolsKey(a));
    // Counted from the same Nodes, the shared count gives the same choice as counting per job.
    assertThat(GpuProductSelector.choose(b, GpuProductSelector.pools(a, cluster())).product())
        .isEqualTo(GpuProductSelector.choose(b, cluster()).product());
  }
}
