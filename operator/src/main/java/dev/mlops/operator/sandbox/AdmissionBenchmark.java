package dev.mlops.operator.sandbox;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.trainingjob.AdmissionLedger;
import dev.mlops.operator.trainingjob.GangAdmission;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The cost of gang admission with a long queue, measured on the operator's own {@link AdmissionLedger} and
 * {@link GangAdmission} (no API server: what is measured is admission alone). {@code jobs} gangs of 1 to 4 nodes of
 * 8 GPUs (seeded) queue on {@code nodes} 8-GPU nodes; every waiting job asks, as the reconciler's passes do; an
 * admitted gang runs for a few simulated seconds, then its GPUs are free and the jobs the ledger wakes ask again.
 * After every change the bench checks, independently of the ledger, that no node holds more GPUs than it has.
 */
public final class AdmissionBenchmark {

  private static final String PRODUCT = "NVIDIA-A100-SXM4-80GB";

  /** The figures: decisions (asks answered), passes (full decisions over the queue), CPU, and the invariant. */
  public record Figures(int jobs, int nodes, long decisions, long passes, long admissions, double cpuSeconds,
      double decisionsPerCpuSecond, double meanPassMs, int maxQueued, boolean neverOverAdmitted) {
    public Map<String, Object> asMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("admissionJobs", jobs);
      map.put("admissionNodes", nodes);
      map.put("admissionDecisions", decisions);
      map.put("admissionPasses", passes);
      map.put("admissionsMade", admissions);
      map.put("admissionCpuSeconds", Math.round(cpuSeconds * 1000) / 1000.0);
      map.put("admissionDecisionsPerCpuSecond", Math.round(decisionsPerCpuSecond));
      map.put("admissionMeanPassMs", Math.round(meanPassMs * 1000) / 1000.0);
      map.put("admissionMaxQueued", maxQueued);
      map.put("admissionNeverOverAdmitted", neverOverAdmitted);
      return map;
    }
  }

  private AdmissionBenchmark() {}

  public static Figures measure(int jobs, int nodeCount, long seed) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      nodes.add(new NodeBuilder().withNewMetadata().withName(String.format("gpu-%04d", i))
          .addToLabels("nvidia.com/gpu.product", PRODUCT).addToLabels("kubernetes.io/hostname", "gpu-" + i).endMetadata()
          .withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8")).endStatus().build());
    }
    Map<String, Pod> pods = new LinkedHashMap<>();
    long[] version = {0};
    Set<String> woken = new LinkedHashSet<>();
    Instant[] now = {Instant.parse("2026-12-08T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneId.of("UTC");
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    AdmissionLedger ledger = new AdmissionLedger(new AdmissionLedger.Cluster() {
      @Override
      public Collection<Node> nodes() {
        return nodes;
      }

      @Override
      public Collection<Pod> gpuPods() {
        return pods.values();
      }

      @Override
      public Collection<Job> jobs() {
        return List.of();
      }

      @Override
      public long version() {
        return version[0];
      }

      @Override
      public boolean active(String key) {
        return true;
      }
    }, clock, Duration.ofMinutes(10), woken::addAll);

    Random random = new Random(seed);
    Map<String, GangAdmission.Demand> waiting = new LinkedHashMap<>();
    for (int j = 0; j < jobs; j++) {
      TrainingJobSpec spec = new TrainingJobSpec();
      spec.setNodes(1 + random.nextInt(4));
      spec.setGpusPerNode(random.nextInt(4) == 0 ? 4 : 8);
      GpuSpec gpu = new GpuSpec();
      gpu.setProduct(PRODUCT);
      spec.setGpu(gpu);
      String key = "bench/job-" + j;
      Instant created = now[0].plusMillis(j);
      waiting.put(key, new GangAdmission.Demand(key, spec, List.of(PRODUCT), random.nextInt(3) * 100, false, created,
          created));
    }
    // key -> (finish time, pods)
    Map<String, Instant> finishes = new HashMap<>();
    Map<String, List<String>> podsOf = new HashMap<>();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long decisions = 0;
    int maxQueued = waiting.size();
    boolean held = true;
    List<String> asking = new ArrayList<>(waiting.keySet());
    Map<String, Instant> lastAsk = new HashMap<>();
    while (!waiting.isEmpty() || !finishes.isEmpty()) {
      for (String key : asking) {
        GangAdmission.Demand d = waiting.get(key);
        if (d == null) {
          continue;
        }
        GangAdmission.Verdict v = ledger.ask(d, 1);
        decisions++;
        lastAsk.put(key, now[0]);
        if (v.admitted()) {
          waiting.remove(key);
          List<String> names = new ArrayList<>();
          for (String node : v.nodes()) {
            String name = key.substring(6) + "-" + names.size();
            pods.put(name, new PodBuilder().withNewMetadata().withName(name).withNamespace("bench").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("requests").withNewResources()
                .addToRequests("nvidia.com/gpu", new Quantity(String.valueOf(d.gpus()))).endResources().endContainer()
                .endSpec().build());
            names.add(name);
          }
          podsOf.put(key, names);
          finishes.put(key, now[0].plusSeconds(30 + random.nextInt(120)));
          version[0]++;
          ledger.withdraw(key);
          held &= withinCapacity(nodes, pods.values());
        }
      }
      maxQueued = Math.max(maxQueued, waiting.size());
      // Time moves to the next gang that ends; its GPUs are free; the ledger wakes whom it now admits.
      Instant next = finishes.values().stream().min(Instant::compareTo).orElse(now[0].plusSeconds(1));
      now[0] = next;
      List<String> ended = finishes.entrySet().stream().filter(e -> !e.getValue().isAfter(next)).map(Map.Entry::getKey)
          .toList();
      for (String key : ended) {
        finishes.remove(key);
        podsOf.remove(key).forEach(pods::remove);
      }
      version[0]++;
      woken.clear();
      ledger.changed();
      // The woken jobs ask first, then every waiting job whose 30-second refresh is due, as the reconciler does.
      asking = new ArrayList<>(woken);
      waiting.keySet().stream().filter(k -> !woken.contains(k) && !lastAsk.get(k).plusSeconds(30).isAfter(next))
          .forEach(asking::add);
    }
    double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    long passes = ledger.passes();
    return new Figures(jobs, nodeCount, decisions, passes, ledger.admissions(), cpu, decisions / Math.max(cpu, 1e-9),
        cpu * 1000 / Math.max(passes, 1), maxQueued, held && ledger.lastPassHeld());
  }

  /** No node holds more GPUs than it has: the bound pods' requests, summed per node. */
  private static boolean withinCapacity(List<Node> nodes, Collection<Pod> pods) {
    Map<String, Integer> used = new HashMap<>();
    for (Pod p : pods) {
      used.merge(p.getSpec().getNodeName(), p.getSpec().getContainers().get(0).getResources().getRequests()
          .get("nvidia.com/gpu").getNumericalAmount().intValue(), Integer::sum);
    }
    for (Node n : nodes) {
      if (used.getOrDefault(n.getMetadata().getName(), 0) > 8) {
        return false;
      }
    }
    return true;
  }
}
