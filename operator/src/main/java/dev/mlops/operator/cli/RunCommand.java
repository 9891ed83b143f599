package dev.mlops.operator.cli;

import dev.mlops.operator.runtime.ErrorText;
import dev.mlops.operator.runtime.HealthAndMetricsServer;
import dev.mlops.operator.runtime.LogSetup;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.runtime.Preflight;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Operates the cluster of the current kubeconfig context, or the one it runs in. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the operator against the cluster from KUBECONFIG/~/.kube/config or the in-cluster service"
        + " account. Every option also reads an environment variable (the Helm chart sets them).",
        "Before starting, a pre-flight check logs where the configuration came from, then checks once, within"
            + " --connect-timeout per request, that the API server answers, accepts the credentials, serves the"
            + " TrainingJob CRD and grants every permission the operator needs; the first problem is one line on"
            + " stderr (with a stack trace only at --log-level debug) and one of the exit codes below."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped normally (SIGTERM)",
        "1:unexpected error",
        "2:bad option, or no usable Kubernetes configuration (no kubeconfig and not in a pod)",
        "3:cannot reach the API server (connection refused, unknown host, TLS, timeout, 5xx)",
        "4:authentication refused (401, or treated as system:anonymous)",
        "5:CRD trainingjobs.mlops.dev not installed",
        "6:forbidden by RBAC (names the first missing verb and resource)"})
public final class RunCommand implements Callable<Integer> {

  static final int UNEXPECTED = Preflight.Outcome.UNEXPECTED.exitCode();
  /** picocli's own code for options it cannot parse, so every kind of bad input reads the same. */
  static final int BAD_OPTION = CommandLine.ExitCode.USAGE;

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(names = {"-n", "--watch-namespaces"}, split = ",", defaultValue = "${env:MLOPS_WATCH_NAMESPACES}",
      description = "Namespaces to watch, comma-separated (env MLOPS_WATCH_NAMESPACES). Default: all.")
  List<String> namespaces;

  @Option(names = "--resync", defaultValue = "${env:MLOPS_RESYNC:-PT10M}",
      description = "Re-reconcile every resource this often even without events (ISO-8601, env MLOPS_RESYNC,"
          + " default ${DEFAULT-VALUE}).")
  Duration resync;

  @Option(names = "--connect-timeout", defaultValue = "${env:MLOPS_CONNECT_TIMEOUT:-PT10S}",
      description = "Bound on connecting to the API server, and on each pre-flight request (ISO-8601,"
          + " env MLOPS_CONNECT_TIMEOUT, default ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = "--backfill-limit", defaultValue = "${env:MLOPS_BACKFILL_LIMIT:-PT10M}",
      description = "How long a TrainingJob that does not fit lets jobs of its own priority behind it take the nodes it"
          + " waits for, before they are held for it (ISO-8601, env MLOPS_BACKFILL_LIMIT, default ${DEFAULT-VALUE};"
          + " docs/scheduling.md).")
  Duration backfillLimit;

  @Option(names = "--reconcile-threads", defaultValue = "${env:MLOPS_RECONCILE_THREADS:-10}",
      description = "Reconciles running at once (env MLOPS_RECONCILE_THREADS, default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--leader-election", defaultValue = "${env:MLOPS_LEADER_ELECTION:-false}", arity = "0..1",
      description = "Elect one active replica through a Lease (env MLOPS_LEADER_ELECTION, default ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:MLOPS_LEASE_NAME:-mlops-operator-leader}",
      description = "Name of the leader-election Lease (env MLOPS_LEASE_NAME, default ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE}",
      description = "Namespace of the Lease (env POD_NAMESPACE; default: the service account's namespace).")
  String leaseNamespace;

  @Option(names = "--argo-namespace", defaultValue = "${env:MLOPS_ARGO_NAMESPACE:-argo}",
      description = "Namespace of Argo Workflows' workflow-controller: Pipelines' memoization ConfigMaps are created"
          + " there, where Argo reads them (default: ${DEFAULT-VALUE}; env MLOPS_ARGO_NAMESPACE).")
  String argoNamespace;

  @Option(names = "--metrics-port", defaultValue = "${env:MLOPS_METRICS_PORT:-8080}",
      description = "Port of /metrics, /healthz and /readyz (env MLOPS_METRICS_PORT, default ${DEFAULT-VALUE}; 0 picks one).")
  int metricsPort;

  @Option(names = "--metrics", defaultValue = "${env:MLOPS_METRICS_ENABLED:-true}", arity = "0..1",
      description = "Serve Prometheus metrics on /metrics (env MLOPS_METRICS_ENABLED, default ${DEFAULT-VALUE}).")
  boolean metrics;

  @Option(names = "--log-format", defaultValue = "${env:MLOPS_LOG_FORMAT:-plain}",
      description = "plain or json (env MLOPS_LOG_FORMAT, default ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(names = "--log-level", defaultValue = "${env:MLOPS_LOG_LEVEL:-INFO}",
      description = "Root log level (env MLOPS_LOG_LEVEL, default ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() {
    LogSetup.configure(logFormat, logLevel);
    try {
      return runOperator();
    } catch (Exception e) {
      return fail(UNEXPECTED, "run: " + ErrorText.oneLine(e), e);
    }
  }

  private int runOperator() throws Exception {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      return fail(BAD_OPTION, "run: --connect-timeout must be positive, got " + connectTimeout, null);
    }
    if (backfillLimit.isNegative()) {
      return fail(BAD_OPTION, "run: --backfill-limit must be 0 or more, got " + backfillLimit, null);
    }
    var argoProblem = dev.mlops.operator.common.KubernetesSyntax.dns1123Label(argoNamespace);
    if (argoProblem.isPresent()) {
      return fail(BAD_OPTION, "run: --argo-namespace " + argoProblem.get() + " (a namespace), got '" + argoNamespace + "'",
          null);
    }
    var watched = new LinkedHashSet<String>();
    if (namespaces != null) {
      namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(watched::add);
    }
    Preflight.Result preflight = new Preflight(connectTimeout, watched, leaderElection ? leaseNamespace() : null).run();
    if (!preflight.passed()) {
      return fail(preflight.outcome().exitCode(), "run: " + preflight.message(), preflight.cause());
    }
    OperatorSettings settings = OperatorSettings.defaults().withNamespaces(watched).withArgoNamespace(argoNamespace)
        .withOperatorNamespace(System.getenv("POD_NAMESPACE"))
        .withResyncInterval(resync)
        .withReconcileThreads(threads)
        .withBackfillLimit(backfillLimit);
    if (leaderElection) {
      settings = settings.withLeaderElection(new OperatorSettings.LeaderElection(leaseName, leaseNamespace(), identity()));
    }
    // A fresh load, not pre-flight's: that one has retries turned off, which the long-running client wants
    // on to ride out an API server restart. The connect bound applies to both.
    Config config = Config.autoConfigure(null);
    config.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CountDownLatch stopped = new CountDownLatch(1);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        MlopsOperator operator = new MlopsOperator(client, settings, registry);
        HealthAndMetricsServer http = new HealthAndMetricsServer(metricsPort, operator::readiness,
            metrics ? () -> {
              operator.refreshMetrics();
              return registry.scrape();
            } : null)) {
      Thread hook = new Thread(() -> {
        LOG.info("shutting down: finishing running reconciles");
        operator.close();
        stopped.countDown();
      }, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        http.start();
        LOG.info("watching {} against {}; health and metrics on :{}{}", watched.isEmpty() ? "all namespaces" : watched,
            client.getConfiguration().getMasterUrl(), http.port(),
            leaderElection ? "; leader election on Lease " + leaseNamespace() + "/" + leaseName : "");
        operator.start();
      } catch (Exception e) {
        // Otherwise the hook runs at exit and logs "shutting down" after the error line.
        removeHook(hook);
        throw e;
      }
      stopped.await();
    }
    return 0;
  }

  private int fail(int exitCode, String line, Throwable cause) {
    System.err.println(line);
    if (cause != null && LogSetup.includesDebug(logLevel)) {
      cause.printStackTrace(System.err);
    }
    return exitCode;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The JVM is exiting anyway; the hook's stop is then what the user asked for.
    }
  }

  private String leaseNamespace() throws IOException {
    if (leaseNamespace != null && !leaseNamespace.isBlank()) {
      return leaseNamespace;
    }
    if (Files.exists(SERVICE_ACCOUNT_NAMESPACE)) {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    }
    return "default";
  }

  private static String identity() throws UnknownHostException {
    String pod = System.getenv("POD_NAME");
    return pod != null && !pod.isBlank() ? pod : InetAddress.getLocalHost().getHostName();
  }
}
