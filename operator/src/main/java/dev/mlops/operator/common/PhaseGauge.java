package dev.mlops.operator.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** One gauge of a kind's objects by phase ({@code mlops_<plural>{phase}}), counted from the controller's cache at each scrape. */
public final class PhaseGauge<T> {

  private final MultiGauge gauge;
  private final Function<T, String> phase;
  private volatile Supplier<Collection<T>> source = List::of;

  public PhaseGauge(MeterRegistry registry, String name, String description, Function<T, String> phase) {
    this.gauge = MultiGauge.builder(name).description(description).register(registry);
    this.phase = phase;
  }

  public void observe(Supplier<Collection<T>> objects) {
    this.source = objects;
  }

  public void refresh() {
    Map<String, Integer> phases = new TreeMap<>();
    for (T object : source.get()) {
      String p = phase.apply(object);
      phases.merge(p == null ? "Unknown" : p, 1, Integer::sum);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    phases.forEach((p, n) -> rows.add(MultiGauge.Row.of(Tags.of("phase", p), n)));
    gauge.register(rows, true);
  }
}
