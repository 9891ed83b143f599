package dev.mlops.operator.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric8 mock server's CRUD dispatcher with an index by object name.
 *
 * <p>The stock dispatcher finds the object of a GET, PUT or PATCH (and checks a POST for a namesake)
 * by testing every stored object against the request's attributes, so each request costs time in
 * proportion to what the server stores and a run of N jobs costs N². Here a request that names its
 * object looks only at the stored objects of that name; what answers is unchanged (same matching, same
 * responses), only the scan is gone. Lists, watches and deletes still use the stock path.
 *
 * <p>Every write of the stock dispatcher goes through {@link #processEvent}, which keeps the index. The
 * index recomputes the stored key the same way the stock code does; should the two ever disagree
 * (a fabric8 upgrade changing how keys are made), the index switches itself off and every lookup
 * falls back to the scan, so answers stay right and only speed is lost.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(IndexedCrudDispatcher.class);
  private static final String NAME = KubernetesAttributesExtractor.NAME;

  private final Map<String, Set<AttributeSet>> byName = new ConcurrentHashMap<>();
  private final AtomicBoolean indexUsable = new AtomicBoolean(true);
  // A write replaces the stored key (remove, then put); a GET answered from the index must not see
  // the moment between. The stock dispatcher holds its own write lock around every write, so this lock
  // nests inside it and never waits on it.
  private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();

  /** The mock server's mixed mode (expectations first, then CRUD) on top of this dispatcher. */
  static Dispatcher mixed(Map<ServerRequest, Queue<ServerResponse>> responses, IndexedCrudDispatcher crud) {
    MockDispatcher expectations = new MockDispatcher(responses);
    return new MixedDispatcher(crud, expectations, responses);
  }

  /** What KubernetesMixedDispatcher does, on top of the indexed dispatcher. */
  private static final class MixedDispatcher extends Dispatcher
      implements io.fabric8.kubernetes.client.server.mock.Resetable,
      io.fabric8.kubernetes.client.server.mock.CustomResourceAware {
    private final IndexedCrudDispatcher crud;
    private final MockDispatcher expectations;
    private final Map<ServerRequest, Queue<ServerResponse>> responses;

    MixedDispatcher(IndexedCrudDispatcher crud, MockDispatcher expectations,
        Map<ServerRequest, Queue<ServerResponse>> responses) {
      this.crud = crud;
      this.expectations = expectations;
      this.responses = responses;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Queue<ServerResponse> queue = responses.get(new SimpleRequest(
          io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(request.getMethod()), request.getPath()));
      return queue != null && !queue.isEmpty() ? expectations.dispatch(request) : crud.dispatch(request);
    }

    @Override
    public void shutdown() {
      expectations.shutdown();
      crud.shutdown();
    }

    @Override
    public void reset() {
      crud.reset();
    }

    @Override
    public void expectCustomResource(io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext rdc) {
      crud.expectCustomResource(rdc);
    }
  }

  /** The names the index holds, checked against the store (tests). */
  boolean indexMatchesStore() {
    long indexed = byName.values().stream().mapToLong(Set::size).sum();
    return indexUsable.get() && indexed == map.size()
        && byName.values().stream().flatMap(Set::stream).allMatch(map::containsKey);
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    String name = name(query);
    if (name == null || !indexUsable.get()) {
      return super.findResource(query);
    }
    for (AttributeSet candidate : byName.getOrDefault(name, Set.of())) {
      String json = map.get(candidate);
      if (json != null && candidate.matches(query)) {
        return Map.entry(candidate, json);
      }
    }
    return null;
  }

  @Override
  public MockResponse handleGet(String path) {
    AttributeSet query = getKey(path);
    String name = name(query);
    if (name == null || !indexUsable.get() || path.contains("watch=")) {
      return super.handleGet(path);
    }
    // The stock dispatcher answers a GET whose path names an object with the first match or 404.
    Map.Entry<AttributeSet, String> found;
    storeLock.readLock().lock();
    try {
      found = findResource(query);
    } finally {
      storeLock.readLock().unlock();
    }
    return found == null ? new MockResponse().setResponseCode(404)
        : new MockResponse().setResponseCode(200).setBody(found.getValue());
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    storeLock.writeLock().lock();
    try {
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
      index(path, pathAttributes, oldAttributes, resource, newState);
    } finally {
      storeLock.writeLock().unlock();
    }
  }

  private void index(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    if (oldAttributes != null) {
      String oldName = name(oldAttributes);
      if (oldName != null) {
        byName.computeIfPresent(oldName, (k, set) -> {
          set.remove(oldAttributes);
          return set.isEmpty() ? null : set;
        });
      }
    }
    if (newState != null) {
      // The same key the stock processEvent has just stored.
      KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) getAttributeExtractor();
      AttributeSet stored = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
      if (!stored.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        stored = AttributeSet.merge(pathAttributes, stored);
      }
      String name = name(stored);
      if (name == null || !map.containsKey(stored)) {
        if (indexUsable.compareAndSet(true, false)) {
          LOG.warn("embedded API server: name index out of step with the store at {}; scanning from now on", path);
        }
        return;
      }
      byName.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(stored);
    }
  }

  @Override
  public void reset() {
    // Lookups scan while the store is emptied; writes landing meanwhile are in the store, so the index
    // is rebuilt from it (under the index lock, which writes also take) before it serves again.
    indexUsable.set(false);
    super.reset();
    storeLock.writeLock().lock();
    try {
      byName.clear();
      synchronized (map) {
        for (AttributeSet stored : map.keySet()) {
          String name = name(stored);
          if (name != null) {
            byName.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(stored);
          }
        }
      }
      indexUsable.set(true);
    } finally {
      storeLock.writeLock().unlock();
    }
  }

  private static String name(AttributeSet attributes) {
    Attribute name = attributes == null ? null : attributes.getAttribute(NAME);
    return name == null ? null : String.valueOf(name.getValues());
  }
}
