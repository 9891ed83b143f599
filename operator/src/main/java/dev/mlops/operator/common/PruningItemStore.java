package dev.mlops.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer cache that keeps only the fields the operator reads, compacted ({@link CompactObjects}).
 * Pods, Jobs and Nodes are the bulk of an operator's memory (a worker pod carries its whole container
 * spec, a Node its image list); the reconciler needs a few labels, conditions and counts of each.
 */
public final class PruningItemStore<T extends HasMetadata> implements ItemStore<T> {

  private final BasicItemStore<T> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> prune;
  private final boolean keepMapOrder;
  private Runnable afterChange = () -> {};

  /** For objects whose maps' order carries no meaning (labels, allocatable resources): compacted most. */
  public PruningItemStore(UnaryOperator<T> prune) {
    this(prune, false);
  }

  /** {@code keepMapOrder}: for the user's own resources, whose maps render in the order written. */
  public PruningItemStore(UnaryOperator<T> prune, boolean keepMapOrder) {
    this.prune = prune;
    this.keepMapOrder = keepMapOrder;
  }

  /** Called after every put and every remove that found the object, once the store holds the change. */
  public PruningItemStore<T> afterChange(Runnable listener) {
    this.afterChange = listener;
    return this;
  }

  @Override
  public String getKey(T object) {
    return delegate.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    T before = delegate.put(key, CompactObjects.compact(prune.apply(object), keepMapOrder));
    afterChange.run();
    return before;
  }

  @Override
  public T remove(String key) {
    T before = delegate.remove(key);
    if (before != null) {
      afterChange.run();
    }
    return before;
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<T> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public T get(String key) {
    return delegate.get(key);
  }
}
