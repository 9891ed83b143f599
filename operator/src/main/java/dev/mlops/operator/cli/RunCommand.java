package dev.mlops.operator.cli;

import dev.mlops.operator.runtime.HealthAndMetricsServer;
import dev.mlops.operator.runtime.LogSetup;
import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Operates the cluster of the current kubeconfig context, or the one it runs in. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the operator against the cluster from KUBECONFIG/~/.kube/config or the in-cluster service"
        + " account. Every option also reads an environment variable (the Helm chart sets them).")
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(names = {"-n", "--watch-namespaces"}, split = ",", defaultValue = "${env:MLOPS_WATCH_NAMESPACES}",
      description = "Namespaces to watch, comma-separated (env MLOPS_WATCH_NAMESPACES). Default: all.")
  List<String> namespaces;

  @Option(names = "--resync", defaultValue = "${env:MLOPS_RESYNC:-PT10M}",
      description = "Re-reconcile every resource this often even without events (ISO-8601, env MLOPS_RESYNC,"
          + " default ${DEFAULT-VALUE}).")
  Duration resync;

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
  public Integer call() throws Exception {
    LogSetup.configure(logFormat, logLevel);
    var watched = new LinkedHashSet<String>();
    if (namespaces != null) {
      namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(watched::add);
    }
    OperatorSettings settings = OperatorSettings.defaults().withNamespaces(watched).withResyncInterval(resync)
        .withReconcileThreads(threads);
    if (leaderElection) {
      settings = settings.withLeaderElection(new OperatorSettings.LeaderElection(leaseName, leaseNamespace(), identity()));
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CountDownLatch stopped = new CountDownLatch(1);
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        MlopsOperator operator = new MlopsOperator(client, settings, registry);
        HealthAndMetricsServer http = new HealthAndMetricsServer(metricsPort, operator::readiness,
            metrics ? () -> {
              operator.refreshMetrics();
              return registry.scrape();
            } : null)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("shutting down: finishing running reconciles");
        operator.close();
        stopped.countDown();
      }, "shutdown"));
      http.start();
      LOG.info("watching {} against {}; health and metrics on :{}{}", watched.isEmpty() ? "all namespaces" : watched,
          client.getConfiguration().getMasterUrl(), http.port(),
          leaderElection ? "; leader election on Lease " + leaseNamespace() + "/" + leaseName : "");
      operator.start();
      stopped.await();
    }
    return 0;
  }

  private String leaseNamespace() throws java.io.IOException {
    if (leaseNamespace != null && !leaseNamespace.isBlank()) {
      return leaseNamespace;
    }
    if (Files.exists(SERVICE_ACCOUNT_NAMESPACE)) {
      return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    }
    return "default";
  }

  private static String identity() throws java.net.UnknownHostException {
    String pod = System.getenv("POD_NAME");
    return pod != null && !pod.isBlank() ? pod : InetAddress.getLocalHost().getHostName();
  }
}
