package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Gauges of RedisInstances, computed from the controller's cache (their status) at each scrape.
 *
 * <ul>
 *   <li>{@code mlops_redisinstances{phase}}: RedisInstances by phase (Ready, Degraded, Pending, Invalid)</li>
 *   <li>{@code mlops_redisinstance_used_memory_bytes{namespace,redisinstance}} and
 *       {@code mlops_redisinstance_max_memory_bytes{...}}: the master's used_memory and maxmemory as last
 *       written to the status (at most 30 s old while only they move)</li>
 * </ul>
 */
public final class RedisMetrics {

  private final MultiGauge byPhase;
  private final MultiGauge used;
  private final MultiGauge max;
  private volatile Supplier<Collection<RedisInstance>> source = List::of;

  public RedisMetrics(MeterRegistry registry) {
    byPhase = MultiGauge.builder("mlops.redisinstances").description("RedisInstances by phase").register(registry);
    used = MultiGauge.builder("mlops.redisinstance.used.memory.bytes").baseUnit("bytes")
        .description("used_memory of a RedisInstance's master").register(registry);
    max = MultiGauge.builder("mlops.redisinstance.max.memory.bytes").baseUnit("bytes")
        .description("maxmemory of a RedisInstance's master").register(registry);
  }

  public void observe(Supplier<Collection<RedisInstance>> instances) {
    this.source = instances;
  }

  public void refresh() {
    Map<String, Integer> phases = new TreeMap<>();
    List<MultiGauge.Row<?>> usedRows = new ArrayList<>();
    List<MultiGauge.Row<?>> maxRows = new ArrayList<>();
    for (RedisInstance ri : source.get()) {
      var st = ri.getStatus();
      phases.merge(st == null || st.getPhase() == null ? "Unknown" : st.getPhase(), 1, Integer::sum);
      Tags tags = Tags.of("namespace", ri.getMetadata().getNamespace(), "redisinstance", ri.getMetadata().getName());
      if (st != null && st.getUsedMemoryBytes() != null) {
        usedRows.add(MultiGauge.Row.of(tags, st.getUsedMemoryBytes()));
      }
      if (st != null && st.getMaxMemoryBytes() != null) {
        maxRows.add(MultiGauge.Row.of(tags, st.getMaxMemoryBytes()));
      }
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    phases.forEach((phase, n) -> rows.add(MultiGauge.Row.of(Tags.of("phase", phase), n)));
    byPhase.register(rows, true);
    used.register(usedRows, true);
    max.register(maxRows, true);
  }
}
