package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.mlops.operator.RepoPaths;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chart through a real Helm engine into a real API server, as the README's first command does it:
 * {@code helm install --wait} with the chart's defaults on a plane without Argo (no {@code argo} namespace),
 * again in {@code watchNamespaces} mode, then a {@code helm upgrade} with changed values. KWOK marks the
 * operator's pods Ready (no container runs), so "available" is the Deployment controller's and the
 * scheduler's verdict on what the chart asks for. Also: {@code kubectl explain} describes every kind.
 */
class HelmInstallControlPlaneE2E {

  private static final Path CHART = RepoPaths.root().resolve("helm/mlops-operator");
  private static final int WAIT_SECONDS = 180;
  private static KubernetesClient client;
  private static Path kubeconfig;
  private static final List<String[]> RELEASES = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    kubeconfig = TestPlane.kubeconfig().get();
    client = new KubernetesClientBuilder().withConfig(TestPlane.config()).build();
  }

  @AfterAll
  static void stop() {
    if (client == null) {
      return;
    }
    for (String[] release : RELEASES) {
      Helm.uninstall(release[0]).withNamespace(release[1]).withKubeConfig(kubeconfig).call();
    }
    client.close();
  }

  private static String namespace(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  private static Deployment deployment(String namespace, String release) {
    return client.apps().deployments().inNamespace(namespace).withName(release + "-mlops-operator").get();
  }

  private static String env(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst().orElse(null);
  }

  @Test
  void theReadmesInstallWorksOnAFreshPlaneWithoutArgoAndAnUpgradeAppliesNewValues() {
    assertThat(client.namespaces().withName("argo").get()).as("the plane has no Argo namespace").isNull();
    String ns = namespace("mlops-system");
    String release = "first-" + ns.substring(ns.length() - 6);
    Release installed = new Helm(CHART).install().withName(release).withNamespace(ns).createNamespace()
        .withKubeConfig(kubeconfig).waitReady().withTimeout(WAIT_SECONDS).call();
    RELEASES.add(new String[] {release, ns});
    assertThat(installed.getStatus()).isEqualTo("deployed");
    Deployment deployment = deployment(ns, release);
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(client.rbac().clusterRoles().withName(release + "-mlops-operator").get()).isNotNull();
    assertThat(client.rbac().roles().inAnyNamespace().list().getItems())
        .noneMatch(r -> r.getMetadata().getName().endsWith("-argo-cache"));

    Release upgraded = new Helm(CHART).upgrade().withName(release).withNamespace(ns).withKubeConfig(kubeconfig)
        .set("replicas", "1").set("logFormat", "json").set("networkPolicy.enabled", "true")
        .set("networkPolicy.apiServerCidrs[0]", "10.0.0.1/32").waitReady().withTimeout(WAIT_SECONDS).call();
    assertThat(upgraded.getStatus()).isEqualTo("deployed");
    assertThat(upgraded.getRevision()).isEqualTo("2");
    Deployment after = deployment(ns, release);
    assertThat(after.getSpec().getReplicas()).isEqualTo(1);
    assertThat(env(after, "MLOPS_LOG_FORMAT")).isEqualTo("json");
    assertThat(after.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(client.network().v1().networkPolicies().inNamespace(ns).withName(release + "-mlops-operator").get())
        .isNotNull();
  }

  @Test
  void inWatchNamespacesModeTheRolesGoToThoseNamespacesAndTheOperatorIsAvailable() {
    String ns = namespace("mlops-scoped");
    String release = "scoped-" + ns.substring(ns.length() - 6);
    List<String> watched = List.of(namespace("ml-team"), namespace("research"));
    for (String w : watched) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(w).endMetadata().build()).create();
    }
    Release installed = new Helm(CHART).install().withName(release).withNamespace(ns).createNamespace()
        .withKubeConfig(kubeconfig).set("watchNamespaces[0]", watched.get(0)).set("watchNamespaces[1]", watched.get(1))
        .waitReady().withTimeout(WAIT_SECONDS).call();
    RELEASES.add(new String[] {release, ns});
    assertThat(installed.getStatus()).isEqualTo("deployed");
    Deployment deployment = deployment(ns, release);
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(env(deployment, "MLOPS_WATCH_NAMESPACES")).isEqualTo(String.join(",", watched));
    for (String w : watched) {
      assertThat(client.rbac().roles().inNamespace(w).withName(release + "-mlops-operator").get()).as(w).isNotNull();
      assertThat(client.rbac().roleBindings().inNamespace(w).withName(release + "-mlops-operator").get()).as(w)
          .isNotNull();
    }
  }

  /** {@code kubectl explain} (the plane's own kubectl) has a text for every kind's spec, status and fields. */
  @Test
  void kubectlExplainDescribesEveryKind() throws IOException, InterruptedException {
    TestPlane.clientWithCrds().close();
    for (String resource : List.of("trainingjobs", "nasservers", "nasvolumes", "redisinstances", "pipelines",
        "pipelineruns")) {
      for (String field : List.of(".spec", ".status")) {
        String explained = explain(resource + field);
        assertThat(explained).as(resource + field).contains("DESCRIPTION:").doesNotContain("<empty>")
            .doesNotContain("<no description>");
      }
    }
    assertThat(explain("trainingjobs.spec.shmSize")).contains("Quantity in bytes, e.g. 64Gi");
    assertThat(explain("trainingjobs.spec.env.valueFrom.secretKeyRef")).contains("Selects a key of a secret");
  }

  private static String explain(String path) throws IOException, InterruptedException {
    return TestPlane.kubectl("explain", path);
  }

}
