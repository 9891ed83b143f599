package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.operator.runtime.LogSetup;
import dev.mlops.operator.runtime.Preflight;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s pre-flight against real local listeners: every way a kubeconfig can be wrong ends in one
 * line on stderr and its own exit code, instead of fabric8 retrying for a minute. Configuration is
 * pointed at a temp dir through fabric8's {@code kubeconfig} system property; the real environment is
 * never changed.
 */
class RunPreflightTest {

  /** A hang fails the test; pre-flight itself should answer in well under a second here. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  /** Properties fabric8's auto-configuration reads before the environment; saved and restored around each test. */
  private static final List<String> PROPERTIES = List.of(Config.KUBERNETES_KUBECONFIG_FILE,
      Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, Config.KUBERNETES_SERVICE_HOST_PROPERTY);

  private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

  record Run(int exit, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }
  }

  /** What the fake API server answers: discovery status, and which access reviews it denies. */
  static final class FakeApiServer implements AutoCloseable {
    final HttpServer http;
    volatile int discoveryCode = 200;
    volatile String discoveryMessage = "";
    /** The plurals of mlops.dev/v1alpha1 the server serves: every kind's, unless a test says otherwise. */
    volatile List<String> served = dev.mlops.operator.kind.Kinds.ALL.stream()
        .map(k -> io.fabric8.kubernetes.api.model.HasMetadata.getPlural(k.type())).toList();
    volatile Predicate<ResourceAttributes> denied = a -> false;
    final List<ResourceAttributes> reviewed = new CopyOnWriteArrayList<>();

    FakeApiServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/", this::handle);
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/apis/mlops.dev/v1alpha1")) {
        if (discoveryCode != 200) {
          respond(exchange, discoveryCode, Serialization.asJson(new StatusBuilder().withStatus("Failure")
              .withCode(discoveryCode).withMessage(discoveryMessage).build()));
          return;
        }
        var list = new APIResourceListBuilder().withGroupVersion("mlops.dev/v1alpha1");
        for (String plural : served) {
          list.addToResources(new APIResourceBuilder().withName(plural).withNamespaced(!plural.equals("nasservers"))
              .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build());
          list.addToResources(new APIResourceBuilder().withName(plural + "/status").withNamespaced(!plural.equals("nasservers"))
              .withVerbs("get", "update", "patch").build());
        }
        respond(exchange, 200, Serialization.asJson(list.build()));
        return;
      }
      if (path.equals("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
          && exchange.getRequestMethod().equals("POST")) {
        SelfSubjectAccessReview review = Serialization.unmarshal(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), SelfSubjectAccessReview.class);
        ResourceAttributes attributes = review.getSpec().getResourceAttributes();
        reviewed.add(attributes);
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(!denied.test(attributes)).build());
        respond(exchange, 201, Serialization.asJson(review));
        return;
      }
      respond(exchange, 404, Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(404)
          .withMessage("the server could not find the requested resource").build()));
    }

    private static void respond(HttpExchange exchange, int code, String json) throws IOException {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  @TempDir
  Path dir;

  private final Map<String, String> saved = new HashMap<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void isolateConfiguration() {
    for (String property : PROPERTIES) {
      saved.put(property, System.getProperty(property));
      System.clearProperty(property);
    }
  }

  @AfterEach
  void restoreConfiguration() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    saved.forEach((property, value) -> {
      if (value == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, value);
      }
    });
  }

  @AfterAll
  static void restoreLogging() {
    // run reconfigures the root logger; give the rest of the suite the level it started with.
    LogSetup.configure(LogSetup.Format.PLAIN, "INFO");
  }

  @Test
  void noConfigurationOutsideAPodSaysSoInsteadOfTryingKubernetesDefaultSvc() {
    assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null, "runs inside a pod");
    assumeTrue(System.getenv("KUBERNETES_MASTER") == null, "KUBERNETES_MASTER is set");
    Path missing = dir.resolve("empty").resolve("config");
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, missing.toString());

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .isEqualTo("run: no Kubernetes configuration: no kubeconfig file at " + missing
            + " and KUBERNETES_SERVICE_HOST is not set (not in a pod); set KUBECONFIG or create ~/.kube/config");
  }

  @Test
  void connectionRefused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    useKubeconfig("http://127.0.0.1:" + port);

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.errLines()).singleElement().asString()
        .isEqualTo("run: cannot reach the API server http://127.0.0.1:" + port + "/: connection refused");
  }

  @Test
  void unknownHost() throws IOException {
    useKubeconfig("https://nonexistent.invalid:6443");

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.errLines()).singleElement().asString()
        .isEqualTo("run: cannot reach the API server https://nonexistent.invalid:6443/: unknown host nonexistent.invalid");
  }

  @Test
  void serverThatAcceptsButNeverAnswersTimesOutOnceWithoutRetrying() throws IOException {
    // The kernel completes the TCP handshake from the backlog; nothing ever reads the request.
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    toClose.add(silent);
    useKubeconfig("http://127.0.0.1:" + silent.getLocalPort());

    Run run = run("--connect-timeout", "PT1S");

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.errLines()).singleElement().asString()
        .isEqualTo("run: cannot reach the API server http://127.0.0.1:" + silent.getLocalPort()
            + "/: no answer within 1 s (--connect-timeout)");
  }

  @Test
  void authenticationRefused() throws IOException {
    FakeApiServer server = fakeServer();
    server.discoveryCode = 401;
    server.discoveryMessage = "Unauthorized";
    useKubeconfig(server.url());

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(4);
    assertThat(run.errLines()).singleElement().asString()
        .isEqualTo("run: authentication refused (401 Unauthorized) by " + server.url()
            + "/: the credentials of context test are missing, expired or wrong");
  }

  @Test
  void anonymousIsAnAuthenticationProblemNotAnRbacOne() throws IOException {
    FakeApiServer server = fakeServer();
    server.discoveryCode = 403;
    server.discoveryMessage = "forbidden: User \"system:anonymous\" cannot get path \"/apis/mlops.dev/v1alpha1\"";
    useKubeconfig(server.url());

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(4);
    assertThat(run.errLines()).singleElement().asString()
        .contains("authentication refused", "system:anonymous", "context test");
  }

  @Test
  void crdNotInstalled() throws IOException {
    FakeApiServer server = fakeServer();
    server.discoveryCode = 404;
    server.discoveryMessage = "the server could not find the requested resource";
    useKubeconfig(server.url());

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(5);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("run: CRD trainingjobs.mlops.dev is not installed")
        .endsWith("run `kubectl apply --server-side -f crds/`");
  }

  /** Helm installs CRDs but never upgrades them: on a cluster with only the older CRDs, run names the missing one. */
  @Test
  void aClusterWithOnlyTheOlderCrdsIsToldWhichOneIsMissing() throws IOException {
    FakeApiServer server = fakeServer();
    server.served = List.of("trainingjobs");
    useKubeconfig(server.url());

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(5);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("run: CRD nasservers.mlops.dev is not installed")
        .endsWith("run `kubectl apply --server-side -f crds/`");
  }

  @Test
  void rbacDenialNamesTheVerbResourceAndScope() throws IOException {
    FakeApiServer server = fakeServer();
    server.denied = a -> "list".equals(a.getVerb()) && "trainingjobs".equals(a.getResource());
    useKubeconfig(server.url());

    Run run = run();

    assertThat(run.exit()).as(run.err()).isEqualTo(6);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("run: forbidden: cannot list trainingjobs.mlops.dev in all namespaces (the operator needs it for");
  }

  @Test
  void withWatchedNamespacesEachOneIsChecked() throws IOException {
    FakeApiServer server = fakeServer();
    server.denied = a -> "research".equals(a.getNamespace()) && "create".equals(a.getVerb())
        && "events".equals(a.getResource());
    useKubeconfig(server.url());

    Run run = run("--watch-namespaces", "ml-team,research");

    assertThat(run.exit()).as(run.err()).isEqualTo(6);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("run: forbidden: cannot create events in namespace research");
    assertThat(server.reviewed).filteredOn(a -> "trainingjobs".equals(a.getResource()))
        .extracting(ResourceAttributes::getNamespace).contains("ml-team", "research").doesNotContainNull();
  }

  @Test
  void theFirstLogLineSaysWhichKubeconfigContextAndServer() throws IOException {
    FakeApiServer server = fakeServer();
    server.discoveryCode = 404;
    Path kubeconfig = useKubeconfig(server.url());

    Run run = run("--log-level", "info");

    assertThat(run.exit()).as(run.err()).isEqualTo(5);
    assertThat(run.errLines()).hasSize(2);
    assertThat(run.errLines().get(0)).contains("INFO", "pre-flight: configuration from kubeconfig " + kubeconfig
        + " (from KUBECONFIG), context test, server " + server.url() + "/");
    assertThat(run.errLines().get(1)).startsWith("run: CRD trainingjobs.mlops.dev is not installed");
  }

  @Test
  void stackTraceOnlyAtDebug() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    useKubeconfig("http://127.0.0.1:" + port);

    Run run = run("--log-level", "debug");

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("run: cannot reach the API server http://127.0.0.1:" + port + "/: connection refused")
        .contains("java.net.ConnectException").contains("\tat ");
  }

  @Test
  void anUnexpectedFailureAfterPreflightIsOneLineAndExitOne() throws IOException {
    FakeApiServer server = fakeServer();
    useKubeconfig(server.url());
    // Wildcard, like the health server's own bind, so that bind is refused.
    ServerSocket taken = new ServerSocket(0);
    toClose.add(taken);

    Run run = run("--metrics-port", String.valueOf(taken.getLocalPort()));

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    // logback-test.xml raises io.javaoperatorsdk to INFO for the other tests (the jar's logback.xml keeps it
    // at WARN), so JOSDK's "Registered reconciler" line is here too; what run itself prints is one line.
    assertThat(run.errLines()).filteredOn(line -> !LOG_LINE.matcher(line).find()).singleElement().asString()
        .startsWith("run: cannot listen on port " + taken.getLocalPort()).containsIgnoringCase("address already in use");
  }

  @Test
  void aNonPositiveTimeoutIsABadOption() {
    Run run = run("--connect-timeout", "PT0S");

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString().isEqualTo("run: --connect-timeout must be positive, got PT0S");
  }

  @Test
  void aNegativeBackfillLimitIsABadOption() {
    Run run = run("--backfill-limit", "-PT1M");

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString().isEqualTo("run: --backfill-limit must be 0 or more, got PT-1M");
  }

  @Test
  void passesAgainstAServerThatAllowsEverything() throws IOException {
    FakeApiServer server = fakeServer();
    useKubeconfig(server.url());

    Preflight.Result result = assertTimeoutPreemptively(BOUND,
        () -> new Preflight(Duration.ofSeconds(5), Set.of("ml-team"), "mlops-system").run());

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(server.reviewed).extracting(a -> a.getVerb() + " " + a.getResource() + " " + a.getNamespace())
        .contains("watch trainingjobs ml-team", "update trainingjobs ml-team", "create events ml-team",
            "list nodes null", "update leases mlops-system");
    assertThat(server.reviewed).filteredOn(a -> "trainingjobs".equals(a.getResource()) && "update".equals(a.getVerb()))
        .extracting(ResourceAttributes::getSubresource).containsOnly("status");
  }

  @Test
  void helpListsEveryExitCode() {
    Run run = run("--help");

    assertThat(run.exit()).isZero();
    for (Preflight.Outcome outcome : Preflight.Outcome.values()) {
      assertThat(run.out()).containsPattern("(?m)^\\s+" + outcome.exitCode() + "\\s+\\S");
    }
  }

  private FakeApiServer fakeServer() throws IOException {
    FakeApiServer server = new FakeApiServer();
    toClose.add(server);
    return server;
  }

  private Path useKubeconfig(String serverUrl) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s"}
        users:
        - name: test
          user: {token: not-a-real-token}
        contexts:
        - name: test
          context: {cluster: test, user: test}
        current-context: test
        """.formatted(serverUrl));
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, file.toString());
    return file;
  }

  /** {@code run} with INFO silenced (unless the test passes its own --log-level), so stderr holds only what run prints. */
  static Run run(String... args) {
    List<String> full = new ArrayList<>(List.of("run"));
    if (!List.of(args).contains("--log-level")) {
      full.addAll(List.of("--log-level", "warn"));
    }
    full.addAll(List.of(args));
    Cli.Output output = assertTimeoutPreemptively(BOUND, () -> Cli.execute(full));
    return new Run(output.exit(), output.out(), output.err());
  }
}
