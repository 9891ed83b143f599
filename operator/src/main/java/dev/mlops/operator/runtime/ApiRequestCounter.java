package dev.mlops.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the API requests a client makes, by verb and resource ("create pods", "update
 * trainingjobs/status"). Used to prove that a steady state writes nothing, and by {@code bench}.
 */
public final class ApiRequestCounter implements Interceptor {

  private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

  /** Installs the counter on a client builder. */
  public void install(KubernetesClientBuilder builder) {
    builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("mlops-request-counter", this));
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    counts.computeIfAbsent(key(request.method(), request.uri().getPath(), request.uri().getQuery()),
        k -> new LongAdder()).increment();
  }

  @Override
  public void after(HttpRequest request, io.fabric8.kubernetes.client.http.HttpResponse<?> response,
      io.fabric8.kubernetes.client.http.AsyncBody.Consumer<java.util.List<java.nio.ByteBuffer>> consumer) {
    if (response.code() >= 300) {
      failures.computeIfAbsent(response.code() + " " + key(request.method(), request.uri().getPath(), request.uri().getQuery()),
          k -> new LongAdder()).increment();
    }
  }

  /** "code verb resource" -> count of the requests that failed, sorted. */
  public Map<String, Long> failures() {
    return sorted(failures);
  }

  /** "verb resource" -> count, sorted. */
  public Map<String, Long> snapshot() {
    return sorted(counts);
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> adders) {
    Map<String, Long> copy = new TreeMap<>();
    adders.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  public long writes() {
    return snapshot().entrySet().stream().filter(e -> WRITES.contains(e.getKey().split(" ")[0]))
        .mapToLong(Map.Entry::getValue).sum();
  }

  public void reset() {
    counts.clear();
    failures.clear();
  }

  static String key(String method, String path, String query) {
    String[] parts = path.replaceAll("^/+", "").split("/");
    // /api/v1/... or /apis/group/version/...
    int i = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
    boolean named = false;
    String resource = "?";
    String sub = null;
    if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
      i += 2;
    }
    if (i < parts.length) {
      resource = parts[i];
      named = i + 1 < parts.length;
      if (i + 2 < parts.length) {
        sub = parts[i + 2];
      }
    }
    String verb = switch (method) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> query != null && query.contains("watch=true") ? "watch" : named ? "get" : "list";
    };
    return verb + " " + resource + (sub == null ? "" : "/" + sub);
  }
}
