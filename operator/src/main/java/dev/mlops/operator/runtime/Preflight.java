package dev.mlops.operator.runtime;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before the operator starts, that the configured API server answers, accepts the credentials,
 * serves every kind's CRD and lets this identity do everything listed in {@link OperatorPermissions}.
 *
 * <p>Without it, each of these mistakes surfaces as fabric8 retrying with exponential backoff for tens of
 * seconds and then JOSDK's informer start-up failing with a page of nested exceptions. Here every request
 * is made once (no retries) with a bounded timeout, and the first problem becomes a {@link Result}: one
 * line that says what to do, and an exit code per kind of problem.
 */
public final class Preflight {

  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

  /** Access reviews in flight at once: enough to hide round trips, few enough not to look like a flood. */
  private static final int PARALLEL_REVIEWS = 8;

  static final String INSTALL_CRDS = "run `kubectl apply --server-side -f crds/`";

  /** What pre-flight found; the exit codes are those of {@code run} and are documented with it. */
  public enum Outcome {
    PASSED(0),
    /** Something answered that pre-flight cannot classify (e.g. 400 or 409): a bug or an odd proxy. */
    UNEXPECTED(1),
    /** No kubeconfig and not in a pod, or a kubeconfig fabric8 cannot load. */
    NO_CONFIGURATION(2),
    /** Connection refused, unknown host, TLS failure, no answer within the timeout, or a 5xx. */
    UNREACHABLE(3),
    /** 401, or the server treats the client as system:anonymous. */
    AUTHENTICATION_REFUSED(4),
    /** The mlops.dev group or its trainingjobs resource is not served. */
    CRD_NOT_INSTALLED(5),
    /** RBAC denies a verb the operator needs. */
    FORBIDDEN(6);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  /** The outcome, the one line to print, and the exception behind it (null when there is none) for debug output. */
  public record Result(Outcome outcome, String message, Throwable cause) {

    static final Result PASSED = new Result(Outcome.PASSED, "pre-flight passed", null);

    public boolean passed() {
      return outcome == Outcome.PASSED;
    }
  }

  private final Duration timeout;
  private final Set<String> namespaces;
  private final String leaseNamespace;

  /**
   * @param timeout        bound on connecting and on each request
   * @param namespaces     the watched namespaces; empty means all, checked as cluster-wide grants
   * @param leaseNamespace where the leader-election Lease lives, or null without leader election
   */
  public Preflight(Duration timeout, Set<String> namespaces, String leaseNamespace) {
    this.timeout = timeout;
    this.namespaces = namespaces;
    this.leaseNamespace = leaseNamespace;
  }

  /** Finds and loads the configuration as fabric8's auto-configuration does, logs where it came from, then checks it. */
  public Result run() {
    ConfigSource source = ConfigSource.detect();
    Config config;
    try {
      config = Config.autoConfigure(null);
    } catch (RuntimeException e) {
      LOG.info("pre-flight: configuration from {}", source.description());
      return new Result(Outcome.NO_CONFIGURATION, "cannot load the " + source.description() + ": "
          + ErrorText.oneLine(e), e);
    }
    LOG.info("pre-flight: configuration from {}, context {}, server {}", source.description(), contextName(config),
        config.getMasterUrl());
    if (!source.found()) {
      return new Result(Outcome.NO_CONFIGURATION, "no Kubernetes configuration: " + source.notFound()
          + "; set KUBECONFIG or create ~/.kube/config", null);
    }
    return check(config);
  }

  /**
   * Checks the cluster that {@code config} points at. Sets the timeouts and turns retries off on the
   * config it is given (fabric8 has no faithful copy of a loaded Config), so give it one of its own.
   */
  public Result check(Config config) {
    // Once, and bounded: fabric8's retries with exponential backoff are what made a wrong kubeconfig
    // look like a hang. The operator's own client keeps them for transient failures later on.
    config.setRequestRetryBackoffLimit(0);
    // kube-apiserver answers an unauthenticated HTTP/2 client with a GOAWAY next to the 401, and the
    // JDK client then reports only the GOAWAY: over HTTP/1.1 the 401 arrives and is named as such.
    config.setHttp2Disable(true);
    config.setConnectionTimeout(millis(timeout));
    config.setRequestTimeout(millis(timeout));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      Result crd = checkCrd(client);
      return crd.passed() ? checkPermissions(client) : crd;
    } catch (RuntimeException e) {
      return classify(e, config);
    }
  }

  /** Every kind's CRD, in the order of {@link dev.mlops.operator.kind.Kinds#ALL}: the first one not served is named. */
  private Result checkCrd(KubernetesClient client) {
    java.util.Map<String, APIResourceList> served = new java.util.HashMap<>();
    for (var kind : dev.mlops.operator.kind.Kinds.ALL) {
      String group = HasMetadata.getGroup(kind.type());
      String groupVersion = HasMetadata.getApiVersion(kind.type());
      String plural = HasMetadata.getPlural(kind.type());
      APIResourceList resources = served.computeIfAbsent(groupVersion, gv -> {
        try {
          // Discovery is open to every authenticated user, so a missing CRD is told apart from missing RBAC.
          return client.getApiResources(gv);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
          return null;
        }
      });
      if (resources == null || resources.getResources() == null
          || resources.getResources().stream().noneMatch(r -> plural.equals(r.getName()))) {
        return new Result(Outcome.CRD_NOT_INSTALLED, "CRD " + plural + "." + group + " is not installed: "
            + client.getConfiguration().getMasterUrl() + " does not serve " + groupVersion + " " + plural + "; "
            + INSTALL_CRDS, null);
      }
    }
    return Result.PASSED;
  }

  /** One access review per verb, resource and namespace. */
  private record Check(OperatorPermissions.Rule rule, String resource, String verb, String namespace) {}

  /**
   * One SelfSubjectAccessReview per verb of every rule, in the order of {@link OperatorPermissions#RULES}, so the
   * denial named is the first permission the operator would miss. They are sent a few at a time: with several
   * watched namespaces there are dozens, and one round trip each would make a remote cluster slow to start.
   */
  private Result checkPermissions(KubernetesClient client) {
    List<Check> checks = new ArrayList<>();
    for (OperatorPermissions.Rule rule : OperatorPermissions.RULES) {
      for (String namespace : namespacesOf(rule.scope())) {
        for (String resource : rule.resources()) {
          for (String verb : rule.verbs()) {
            checks.add(new Check(rule, resource, verb, namespace));
          }
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REVIEWS, r -> {
      Thread t = new Thread(r, "preflight-review");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<SubjectAccessReviewStatus>> answers = new ArrayList<>();
      for (Check check : checks) {
        answers.add(pool.submit(() -> review(client, check)));
      }
      for (int i = 0; i < checks.size(); i++) {
        Check check = checks.get(i);
        SubjectAccessReviewStatus status = await(answers.get(i));
        if (status == null || status.getAllowed() == null) {
          // A real API server always answers with a verdict; something else (a proxy, a fake) may not.
          LOG.warn("pre-flight: the API server answered an access review without a verdict; permissions not checked");
          return Result.PASSED;
        }
        if (!status.getAllowed()) {
          return new Result(Outcome.FORBIDDEN, "forbidden: cannot " + check.verb() + " "
              + qualified(check.rule().apiGroup(), check.resource()) + " " + where(check.rule().scope(), check.namespace())
              + " (the operator needs it for " + check.rule().why() + ")"
              + (status.getReason() == null || status.getReason().isBlank() ? "" : ": " + status.getReason()), null);
        }
      }
      return Result.PASSED;
    } finally {
      pool.shutdownNow();
    }
  }

  private static SubjectAccessReviewStatus await(Future<SubjectAccessReviewStatus> answer) {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking permissions", e);
    } catch (ExecutionException e) {
      // Unwrapped so that classify() sees the client's own exception.
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }

  private List<String> namespacesOf(OperatorPermissions.Scope scope) {
    return switch (scope) {
      // "" in an access review means every namespace: what a ClusterRole binding grants.
      case WATCHED_NAMESPACES -> namespaces.isEmpty() ? List.of("") : List.copyOf(namespaces);
      case CLUSTER -> List.of("");
      case OPERATOR_NAMESPACE -> leaseNamespace == null ? List.of() : List.of(leaseNamespace);
      // Not checked: only Pipelines with a cached task need it, Argo (and its namespace) may be installed later,
      // and a refused create is said on the Pipeline (a CreateFailed Warning Event).
      case ARGO_NAMESPACE -> List.of();
    };
  }

  private static SubjectAccessReviewStatus review(KubernetesClient client, Check check) {
    String resource = check.resource();
    String namespace = check.namespace();
    int slash = resource.indexOf('/');
    SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
        .withNewSpec()
        .withNewResourceAttributes()
        .withGroup(check.rule().apiGroup())
        .withResource(slash < 0 ? resource : resource.substring(0, slash))
        .withSubresource(slash < 0 ? null : resource.substring(slash + 1))
        .withVerb(check.verb())
        .withNamespace(namespace.isEmpty() ? null : namespace)
        .endResourceAttributes()
        .endSpec()
        .build();
    SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
    return answer == null ? null : answer.getStatus();
  }

  private static String qualified(String group, String resource) {
    if (group.isEmpty()) {
      return resource;
    }
    int slash = resource.indexOf('/');
    return slash < 0 ? resource + "." + group : resource.substring(0, slash) + "." + group + resource.substring(slash);
  }

  private static String where(OperatorPermissions.Scope scope, String namespace) {
    if (scope == OperatorPermissions.Scope.CLUSTER) {
      return "(cluster-scoped)";
    }
    return namespace.isEmpty() ? "in all namespaces" : "in namespace " + namespace;
  }

  private Result classify(RuntimeException error, Config config) {
    String server = config.getMasterUrl();
    KubernetesClientException http = find(error, KubernetesClientException.class);
    // fabric8 reports "no HTTP answer at all" as code -1 (or 0): those are classified by their cause below.
    int code = http == null ? 0 : Math.max(0, http.getCode());
    if (code == 401) {
      return new Result(Outcome.AUTHENTICATION_REFUSED, "authentication refused (401 Unauthorized) by " + server
          + ": the credentials of context " + contextName(config) + " are missing, expired or wrong", error);
    }
    if (code == 403) {
      String said = serverMessage(http);
      if (said.contains("system:anonymous")) {
        return new Result(Outcome.AUTHENTICATION_REFUSED, "authentication refused by " + server + ": it treats this"
            + " client as system:anonymous; context " + contextName(config) + " has no credentials it accepts", error);
      }
      return new Result(Outcome.FORBIDDEN, "forbidden: " + said, error);
    }
    if (code >= 500) {
      return new Result(Outcome.UNREACHABLE, "cannot use the API server " + server + ": it answered " + code + ": "
          + serverMessage(http), error);
    }
    if (code != 0) {
      return new Result(Outcome.UNEXPECTED, "pre-flight: " + server + " answered " + code + ": " + serverMessage(http),
          error);
    }
    String unreachable = "cannot reach the API server " + server + ": ";
    if (find(error, UnknownHostException.class) != null || find(error, UnresolvedAddressException.class) != null) {
      return new Result(Outcome.UNREACHABLE, unreachable + "unknown host " + host(server), error);
    }
    if (find(error, HttpTimeoutException.class) != null || find(error, SocketTimeoutException.class) != null
        || find(error, TimeoutException.class) != null) {
      return new Result(Outcome.UNREACHABLE, unreachable + "no answer within " + human(timeout)
          + " (--connect-timeout)", error);
    }
    if (find(error, ConnectException.class) != null) {
      return new Result(Outcome.UNREACHABLE, unreachable + "connection refused", error);
    }
    SSLException tls = find(error, SSLException.class);
    if (tls != null) {
      return new Result(Outcome.UNREACHABLE, unreachable + "TLS failed: " + ErrorText.oneLine(tls), error);
    }
    IOException io = find(error, IOException.class);
    if (io != null) {
      return new Result(Outcome.UNREACHABLE, unreachable + ErrorText.oneLine(io), error);
    }
    return new Result(Outcome.UNEXPECTED, "pre-flight: " + ErrorText.oneLine(error), error);
  }

  /** The deepest cause of that type: wrappers repeat the request, the deepest one says what failed. */
  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    T found = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        found = type.cast(t);
      }
    }
    return found;
  }

  private static String serverMessage(KubernetesClientException error) {
    Status status = error.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage();
    }
    return "HTTP " + error.getCode();
  }

  private static String contextName(Config config) {
    NamedContext context = config.getCurrentContext();
    return context == null || context.getName() == null ? "(none)" : context.getName();
  }

  private static String host(String url) {
    String rest = url.replaceFirst("^[a-zA-Z]+://", "");
    int end = rest.indexOf('/');
    rest = end < 0 ? rest : rest.substring(0, end);
    int colon = rest.lastIndexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  private static String human(Duration duration) {
    long ms = duration.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
