package dev.mlops.operator.cli;

import dev.mlops.operator.runtime.MlopsOperator;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
    description = "Run the operator against the cluster from KUBECONFIG/~/.kube/config or the in-cluster service account.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-n", "--watch-namespaces"}, split = ",", defaultValue = "${env:MLOPS_WATCH_NAMESPACES}",
      description = "Namespaces to watch, comma-separated (env MLOPS_WATCH_NAMESPACES). Default: all.")
  List<String> namespaces;

  @Option(names = "--resync", defaultValue = "${env:MLOPS_RESYNC:-PT10M}",
      description = "Re-reconcile every resource this often even without events (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration resync;

  @Option(names = "--reconcile-threads", defaultValue = "${env:MLOPS_RECONCILE_THREADS:-10}",
      description = "Reconciles running at once (default ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws InterruptedException {
    var watched = new LinkedHashSet<String>();
    if (namespaces != null) {
      namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(watched::add);
    }
    OperatorSettings settings = OperatorSettings.defaults().withNamespaces(watched).withResyncInterval(resync)
        .withReconcileThreads(threads);
    CountDownLatch stopped = new CountDownLatch(1);
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        MlopsOperator operator = new MlopsOperator(client, settings)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("shutting down");
        operator.close();
        stopped.countDown();
      }, "shutdown"));
      LOG.info("watching {} against {}", watched.isEmpty() ? "all namespaces" : watched,
          client.getConfiguration().getMasterUrl());
      operator.start();
      stopped.await();
    }
    return 0;
  }
}
