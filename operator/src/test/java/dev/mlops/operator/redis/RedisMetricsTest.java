package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisMetricsTest {

  static RedisInstance instance(String name, String phase, Long used, Long max) {
    RedisInstance ri = new RedisInstance();
    ri.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("platform").build());
    RedisInstanceStatus st = new RedisInstanceStatus();
    st.setPhase(phase);
    st.setUsedMemoryBytes(used);
    st.setMaxMemoryBytes(max);
    ri.setStatus(st);
    return ri;
  }

  @Test
  void instancesByPhaseAndEachMastersMemory() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RedisMetrics metrics = new RedisMetrics(registry);
    metrics.observe(() -> List.of(instance("a", "Ready", 100L, 1000L), instance("b", "Ready", 5L, 10L),
        instance("c", "Pending", null, null)));
    metrics.refresh();
    assertThat(registry.get("mlops.redisinstances").tag("phase", "Ready").gauge().value()).isEqualTo(2);
    assertThat(registry.get("mlops.redisinstances").tag("phase", "Pending").gauge().value()).isEqualTo(1);
    assertThat(registry.get("mlops.redisinstance.used.memory.bytes").tag("redisinstance", "a").gauge().value())
        .isEqualTo(100);
    assertThat(registry.get("mlops.redisinstance.max.memory.bytes").tag("redisinstance", "b").gauge().value())
        .isEqualTo(10);
    assertThat(registry.find("mlops.redisinstance.used.memory.bytes").tag("redisinstance", "c").gauge()).isNull();
    // A deleted instance's rows go with it.
    metrics.observe(() -> List.of(instance("a", "Degraded", 100L, 1000L)));
    metrics.refresh();
    assertThat(registry.find("mlops.redisinstances").tag("phase", "Ready").gauge()).isNull();
    assertThat(registry.find("mlops.redisinstance.used.memory.bytes").tag("redisinstance", "b").gauge()).isNull();
  }
}
