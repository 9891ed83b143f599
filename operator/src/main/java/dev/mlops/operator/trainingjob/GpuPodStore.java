package dev.mlops.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The cluster's pods as admission counts them: only pods bound to a node, not finished, that request an extended
 * resource (GPUs, RDMA devices), each cut down to its node, its effective requests of those resources and the two
 * labels that tie a worker to its gang. Every other pod of the cluster is dropped as it arrives, so watching all
 * pods costs memory only for the GPU pods. A version counts the changes (after each is in place).
 */
public final class GpuPodStore implements ItemStore<Pod> {

  private final BasicItemStore<Pod> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final AtomicLong version = new AtomicLong();

  public long version() {
    return version.get();
  }

  /** The pod as admission keeps it, or null when it uses no extended resource on a node now. */
  static Pod prune(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      return null;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return null;
    }
    Map<String, Integer> requests = AdmissionLedger.requests(pod);
    if (requests.values().stream().allMatch(n -> n <= 0)) {
      return null;
    }
    Map<String, Quantity> kept = new LinkedHashMap<>();
    requests.forEach((r, n) -> kept.put(r, new Quantity(String.valueOf(n))));
    Map<String, String> labels = new LinkedHashMap<>();
    var source = pod.getMetadata().getLabels();
    if (source != null) {
      for (String key : new String[] {TrainingJobResources.JOB_LABEL, TrainingJobResources.ATTEMPT_LABEL}) {
        if (source.containsKey(key)) {
          labels.put(key, source.get(key));
        }
      }
    }
    return new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid())
            .withResourceVersion(pod.getMetadata().getResourceVersion())
            .withLabels(labels.isEmpty() ? null : labels).build())
        .withNewSpec().withNodeName(pod.getSpec().getNodeName())
        .withContainers(new ContainerBuilder().withName("requests").withNewResources().withRequests(kept).endResources()
            .build())
        .endSpec().build();
  }

  @Override
  public String getKey(Pod pod) {
    return delegate.getKey(pod);
  }

  @Override
  public Pod put(String key, Pod pod) {
    Pod kept = prune(pod);
    Pod before = kept == null ? delegate.remove(key) : delegate.put(key, kept);
    if (!sameUse(before, kept)) {
      version.incrementAndGet();
    }
    return before;
  }

  private static boolean sameUse(Pod a, Pod b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getSpec().getNodeName(), b.getSpec().getNodeName())
        && Objects.equals(a.getSpec().getContainers(), b.getSpec().getContainers());
  }

  /**
   * A pod that was never kept is still answered with a stub of its key: the informer's cache indexes every object it
   * is handed, kept or not, and drops the index entry only when the store says it removed something.
   */
  @Override
  public Pod remove(String key) {
    Pod before = delegate.remove(key);
    if (before != null) {
      version.incrementAndGet();
      return before;
    }
    int slash = key.indexOf('/');
    return new PodBuilder().withNewMetadata().withNamespace(slash < 0 ? null : key.substring(0, slash))
        .withName(slash < 0 ? key : key.substring(slash + 1)).endMetadata().build();
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<Pod> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Pod get(String key) {
    return delegate.get(key);
  }
}
