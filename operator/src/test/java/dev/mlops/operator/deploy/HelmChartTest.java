package dev.mlops.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.mlops.operator.YamlDocs;

import dev.mlops.operator.runtime.OperatorPermissions.Rule;
import dev.mlops.operator.runtime.OperatorPermissions.Scope;
import dev.mlops.operator.runtime.OperatorPermissions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart through a real Helm engine: lint, and what it renders with default and other values. */
class HelmChartTest {

  static final Path CHART = dev.mlops.operator.RepoPaths.root().resolve("helm/mlops-operator");
  static final String NS = "mlops-system";

  /** A grant as one comparable string per (scope, group, resource, verb). */
  static Set<String> grants(Scope scope, List<PolicyRule> rules) {
    Set<String> grants = new HashSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(scope + " " + group + "/" + resource + " " + verb);
          }
        }
      }
    }
    return grants;
  }

  static Set<String> declared(Scope... scopes) {
    Set<String> grants = new HashSet<>();
    for (Rule rule : OperatorPermissions.RULES) {
      if (List.of(scopes).contains(rule.scope())) {
        for (String resource : rule.resources()) {
          for (String verb : rule.verbs()) {
            grants.add(rule.scope() + " " + rule.apiGroup() + "/" + resource + " " + verb);
          }
        }
      }
    }
    return grants;
  }

  static Role role(List<HasMetadata> objects, String name) {
    return ofType(objects, Role.class).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst().orElseThrow();
  }

  static List<HasMetadata> render(Consumer<TemplateCommand> values) {
    TemplateCommand template = new Helm(CHART).template().withName("mlops").withNamespace(NS);
    values.accept(template);
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : YamlDocs.documents(template.call())) {
      GenericKubernetesResource generic = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      objects.add(switch (generic.getKind()) {
        case "Deployment" -> Serialization.unmarshal(doc, Deployment.class);
        case "ClusterRole" -> Serialization.unmarshal(doc, ClusterRole.class);
        case "Role" -> Serialization.unmarshal(doc, Role.class);
        default -> generic;
      });
    }
    return objects;
  }

  static <T> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<String> kinds(List<HasMetadata> objects) {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
  }

  @Test
  void lintsStrictly() {
    var result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void chartCrdsAreTheRepositoryCrds() throws IOException {
    Path repoCrds = dev.mlops.operator.RepoPaths.root().resolve("crds");
    try (Stream<Path> files = Files.list(repoCrds); Stream<Path> chartFiles = Files.list(CHART.resolve("crds"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(chartFiles.map(p -> p.getFileName().toString()).sorted().toList())
          .as("helm/mlops-operator/crds must hold exactly crds/; run: cp crds/* helm/mlops-operator/crds/").isEqualTo(names);
      for (String name : names) {
        assertThat(Files.readString(CHART.resolve("crds").resolve(name)))
            .as("helm/mlops-operator/crds/%s differs from crds/%s; run: cp crds/* helm/mlops-operator/crds/", name, name)
            .isEqualTo(Files.readString(repoCrds.resolve(name)));
      }
    }
  }

  @Test
  void defaultsRenderAHardenedHighlyAvailableOperator() {
    List<HasMetadata> objects = render(t -> { });
    assertThat(kinds(objects)).containsExactly("ClusterRole/mlops-mlops-operator", "ClusterRoleBinding/mlops-mlops-operator",
        "Deployment/mlops-mlops-operator", "PodDisruptionBudget/mlops-mlops-operator",
        "Role/mlops-mlops-operator-leader-election", "RoleBinding/mlops-mlops-operator-leader-election",
        "Service/mlops-mlops-operator-metrics", "ServiceAccount/mlops-mlops-operator");
    // Nothing in a namespace that a fresh cluster may not have: Argo's cache Role is the user's to turn on.
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isIn(null, NS));
    Deployment deployment = ofType(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container operator = pod.getContainers().get(0);
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(env(operator)).containsEntry("MLOPS_LEADER_ELECTION", "true").containsEntry("MLOPS_WATCH_NAMESPACES", "")
        .containsEntry("MLOPS_LOG_FORMAT", "plain").containsEntry("MLOPS_BACKFILL_LIMIT", "PT600S")
        .containsEntry("MLOPS_BENCHMARK_IMAGE", dev.mlops.operator.nas.NasBenchmarkJob.DEFAULT_IMAGE);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/mlops-dev/mlops-operator:0.1.0");
  }

  @Test
  void clusterWideRbacGrantsExactlyWhatTheOperatorDeclares() {
    List<HasMetadata> objects = render(t -> t.set("pipelines.argoNamespaceRole", "true"));
    ClusterRole cluster = ofType(objects, ClusterRole.class).get(0);
    Role lease = role(objects, "mlops-mlops-operator-leader-election");
    Role argo = role(objects, "mlops-mlops-operator-argo-cache");
    assertThat(argo.getMetadata().getNamespace()).isEqualTo("argo");
    Set<String> granted = new HashSet<>();
    // Watching all namespaces, the namespaced rules are cluster-wide too. A resource may be in both (pods: read
    // cluster-wide for admission, deleted in watched namespaces): a rule is the cluster one when a declared cluster
    // rule has the same group, resources and verbs.
    Set<String> clusterShapes = new HashSet<>();
    OperatorPermissions.RULES.stream().filter(r -> r.scope() == Scope.CLUSTER)
        .forEach(r -> clusterShapes.add(r.apiGroup() + "|" + new java.util.TreeSet<>(r.resources()) + "|"
            + new java.util.TreeSet<>(r.verbs())));
    java.util.function.Predicate<PolicyRule> clusterRule = r -> r.getApiGroups().size() == 1
        && clusterShapes.contains(r.getApiGroups().get(0) + "|" + new java.util.TreeSet<>(r.getResources()) + "|"
            + new java.util.TreeSet<>(r.getVerbs()));
    granted.addAll(grants(Scope.CLUSTER, cluster.getRules().stream().filter(clusterRule).toList()));
    granted.addAll(grants(Scope.WATCHED_NAMESPACES, cluster.getRules().stream().filter(clusterRule.negate()).toList()));
    granted.addAll(grants(Scope.OPERATOR_NAMESPACE, lease.getRules()));
    granted.addAll(grants(Scope.ARGO_NAMESPACE, argo.getRules()));
    assertThat(granted).isEqualTo(declared(Scope.values()));
    assertNoWildcards(objects);
  }

  @Test
  void watchNamespacesGetRolesAndOnlyClusterScopedResourcesStayClusterWide() {
    Path values = writeValues("watchNamespaces: [ml-team, research]\nmetrics: {enabled: false}\nreplicas: 1\n");
    List<HasMetadata> objects = render(t -> t.withValuesFile(values));
    ClusterRole cluster = ofType(objects, ClusterRole.class).get(0);
    assertThat(grants(Scope.CLUSTER, cluster.getRules())).isEqualTo(declared(Scope.CLUSTER));
    List<Role> roles = ofType(objects, Role.class);
    for (String ns : List.of("ml-team", "research")) {
      Role role = roles.stream().filter(r -> ns.equals(r.getMetadata().getNamespace())).findFirst().orElseThrow();
      assertThat(grants(Scope.WATCHED_NAMESPACES, role.getRules())).isEqualTo(declared(Scope.WATCHED_NAMESPACES));
    }
    assertThat(kinds(objects)).contains("RoleBinding/mlops-mlops-operator").doesNotContain(
        "Service/mlops-mlops-operator-metrics", "PodDisruptionBudget/mlops-mlops-operator");
    Deployment deployment = ofType(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("MLOPS_WATCH_NAMESPACES", "ml-team,research").containsEntry("MLOPS_METRICS_ENABLED", "false");
    assertNoWildcards(objects);
  }

  @Test
  void optionalPiecesRenderWhenAskedFor() {
    List<HasMetadata> objects = render(t -> t.set("metrics.serviceMonitor.enabled", "true")
        .set("metrics.prometheusRule.enabled", "true").set("metrics.prometheusRule.queuedTooLongSeconds", "3600")
        .set("metrics.serviceMonitor.labels.release", "kube-prometheus-stack").set("networkPolicy.enabled", "true")
        .set("argocd.healthChecks", "true").set("grafana.dashboard.enabled", "true")
        .set("image.repository", "registry.example.internal/mlops/mlops-operator").set("image.tag", "0.1.0-rc1"));
    GenericKubernetesResource rule = objects.stream().filter(o -> "PrometheusRule".equals(o.getKind()))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    Map<?, ?> alert = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) rule.getAdditionalProperties()
        .get("spec")).get("groups")).get(0)).get("rules")).get(0);
    assertThat(alert.get("alert")).isEqualTo("TrainingJobQueuedTooLong");
    assertThat(alert.get("expr"))
        .isEqualTo("max by (gpu_product, priority_class) (mlops_trainingjob_queue_oldest_wait_seconds) > 3600");
    assertThat(((Map<?, ?>) alert.get("annotations")).get("summary").toString()).contains("{{ $labels.gpu_product }}");
    assertThat(kinds(objects)).contains("ServiceMonitor/mlops-mlops-operator", "NetworkPolicy/mlops-mlops-operator",
        "ConfigMap/mlops-mlops-operator-argocd-health", "ConfigMap/mlops-mlops-operator-dashboard");
    GenericKubernetesResource health = objects.stream().filter(o -> o.getMetadata().getName().endsWith("argocd-health"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    Map<?, ?> data = (Map<?, ?>) health.getAdditionalProperties().get("data");
    assertThat(data.containsKey("resource.customizations.health.mlops.dev_TrainingJob")).isTrue();
    GenericKubernetesResource dashboard = objects.stream().filter(o -> o.getMetadata().getName().endsWith("dashboard"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    Deployment deployment = ofType(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.internal/mlops/mlops-operator:0.1.0-rc1");
  }

  private static Path writeValues(String yaml) {
    try {
      Path file = Files.createTempFile("values", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertNoWildcards(List<HasMetadata> objects) {
    List<PolicyRule> rules = new ArrayList<>();
    ofType(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    ofType(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
    assertThat(rules).allSatisfy(rule -> {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getApiGroups()).doesNotContain("*");
    });
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }
}
