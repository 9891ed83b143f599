package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasVolume;
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
 * Gauges of NasVolumes, computed from the controller's cache at each scrape.
 *
 * <ul>
 *   <li>{@code mlops_nasvolumes{phase,server}}: NasVolumes by phase and NasServer</li>
 *   <li>{@code mlops_nasvolume_benchmark_mibps{namespace,nasvolume,server,direction}}: the last
 *       successful benchmark's write and read throughput</li>
 * </ul>
 */
public final class NasMetrics {

  private final MultiGauge byPhase;
  private final MultiGauge throughput;
  private volatile Supplier<Collection<NasVolume>> source = List::of;

  public NasMetrics(MeterRegistry registry) {
    byPhase = MultiGauge.builder("mlops.nasvolumes").description("NasVolumes by phase and NasServer").register(registry);
    throughput = MultiGauge.builder("mlops.nasvolume.benchmark.mibps")
        .description("Throughput of the last successful benchmark of a NasVolume, MiB/s (direct I/O)").register(registry);
  }

  public void observe(Supplier<Collection<NasVolume>> volumes) {
    this.source = volumes;
  }

  public void refresh() {
    Map<List<String>, Integer> phases = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
    List<MultiGauge.Row<?>> speeds = new ArrayList<>();
    for (NasVolume nv : source.get()) {
      var st = nv.getStatus();
      String server = nv.getSpec() == null || nv.getSpec().getServer() == null ? "none" : nv.getSpec().getServer();
      phases.merge(List.of(st == null || st.getPhase() == null ? "Unknown" : st.getPhase(), server), 1, Integer::sum);
      var bench = st == null ? null : st.getBenchmark();
      if (bench != null && "Succeeded".equals(bench.getState())) {
        Tags tags = Tags.of("namespace", nv.getMetadata().getNamespace(), "nasvolume", nv.getMetadata().getName(),
            "server", server);
        speeds.add(MultiGauge.Row.of(tags.and("direction", "write"), bench.getWriteMiBps()));
        speeds.add(MultiGauge.Row.of(tags.and("direction", "read"), bench.getReadMiBps()));
      }
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    phases.forEach((k, v) -> rows.add(MultiGauge.Row.of(Tags.of("phase", k.get(0), "server", k.get(1)), v)));
    byPhase.register(rows, true);
    throughput.register(speeds, true);
  }
}
