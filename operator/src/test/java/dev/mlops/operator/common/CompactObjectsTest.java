package dev.mlops.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactObjectsTest {

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml-team")
        .addToLabels("mlops.dev/job", "llama").addToLabels("mlops.dev/attempt", "1").endMetadata()
        .withNewSpec().withNodeName("gpu-" + name).addNewContainer().withName("worker").withImage("img")
        .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("8")).endResources().endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build();
  }

  @Test
  void compactedPodEqualsTheOriginalAndSharesRepeatedStrings() {
    Pod original = pod("a");
    Pod a = CompactObjects.compact(Serialization.clone(original), false);
    Pod b = CompactObjects.compact(pod("b"), false);
    assertThat(a).isEqualTo(original);
    assertThat(a.getSpec().getVolumes()).isEmpty();
    assertThat(a.getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu").getNumericalAmount())
        .isEqualByComparingTo("8");
    // The same label value and condition status are one String object in both pods.
    assertThat(a.getMetadata().getLabels().get("mlops.dev/job")).isSameAs(b.getMetadata().getLabels().get("mlops.dev/job"));
    assertThat(a.getStatus().getConditions().get(0).getStatus()).isSameAs(b.getStatus().getConditions().get(0).getStatus());
    // Empty collections are the shared immutable empties, not a fresh list per field.
    assertThat(a.getSpec().getVolumes()).isSameAs(b.getSpec().getVolumes());
  }

  @Test
  void cachedObjectsRefuseWritesInsteadOfSilentlyChangingTheCache() {
    Pod a = CompactObjects.compact(pod("a"), false);
    assertThatThrownBy(() -> a.getMetadata().getLabels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.getStatus().getConditions().add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void userMapsKeepTheOrderTheyWereWrittenIn() {
    TrainingJob tj = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: t, namespace: n}
        spec:
          image: img
          nodes: 1
          gpusPerNode: 0
          nccl:
            env: {NCCL_Z: "1", NCCL_A: "2", NCCL_M: "3", NCCL_B: "4", NCCL_Y: "5", NCCL_C: "6"}
        """, TrainingJob.class);
    TrainingJob copy = Serialization.clone(tj);
    String before = tj.getSpec().getNccl().getEnv().get("NCCL_Z");
    CompactObjects.compact(tj, true);
    assertThat(tj.getSpec().getNccl().getEnv().get("NCCL_Z")).isEqualTo(before).isSameAs("1".intern());
    assertThat(new ArrayList<>(tj.getSpec().getNccl().getEnv().keySet()))
        .containsExactly("NCCL_Z", "NCCL_A", "NCCL_M", "NCCL_B", "NCCL_Y", "NCCL_C");
    assertThat(Serialization.asJson(tj)).isEqualTo(Serialization.asJson(copy));
    assertThat(tj.getSpec().getNccl().getEnv()).isInstanceOf(java.util.LinkedHashMap.class).isNotSameAs(Map.of());
  }
}
