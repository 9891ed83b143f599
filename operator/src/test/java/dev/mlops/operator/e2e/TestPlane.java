package dev.mlops.operator.e2e;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.mlops.operator.RepoPaths;
import dev.mlops.operator.YamlDocs;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real Kubernetes control plane for the *E2E tier, found once per test JVM: the cluster named by
 * MLOPS_E2E_KUBECONFIG, or else one started from testcluster/'s binaries when testcluster/build has
 * built them (and stopped when the JVM exits). Empty when neither exists: the tests then skip.
 */
public final class TestPlane {

  public static final String SKIPPED = "no test control plane: run testcluster/build (needs Go), or set MLOPS_E2E_KUBECONFIG";
  private static final String NAME = "e2e-" + ProcessHandle.current().pid();
  private static Optional<Path> kubeconfig;

  private TestPlane() {}

  public static synchronized Optional<Path> kubeconfig() {
    if (kubeconfig == null) {
      kubeconfig = find();
    }
    return kubeconfig;
  }

  /** A client of the plane with the operator's CRDs installed (server-side apply) and Established. */
  public static KubernetesClient clientWithCrds() throws IOException {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config()).build();
    for (var crd : EmbeddedApiServer.crds()) {
      installCrd(client, crd);
    }
    return client;
  }

  /** Applies {@code crd} (server-side) and waits until the API server says it is Established. */
  static void installCrd(KubernetesClient client, CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.apiextensions().v1()
        .customResourceDefinitions().withName(crd.getMetadata().getName()).get().getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  /** The plane's configuration acting as ServiceAccount {@code name} of {@code namespace}, by impersonation. */
  static Config asServiceAccount(String namespace, String name) throws IOException {
    return new ConfigBuilder(config())
        .withImpersonateUsername("system:serviceaccount:" + namespace + ":" + name)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
        .build();
  }

  /** The plane's admin configuration. */
  public static Config config() throws IOException {
    Path path = kubeconfig().orElseThrow(() -> new IllegalStateException(SKIPPED));
    return Config.fromKubeconfig(Files.readString(path));
  }

  /**
   * Installs the RBAC the Helm chart renders for {@code release} in {@code namespace} (its
   * ServiceAccount, ClusterRoles, Roles and bindings) and returns the plane's configuration acting as
   * that ServiceAccount, by impersonation: what the operator may do in a real install, no more.
   */
  public static Config asChartServiceAccount(KubernetesClient admin, String release, String namespace,
      Consumer<TemplateCommand> values) throws IOException {
    if (admin.namespaces().withName(namespace).get() == null) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    TemplateCommand template = new Helm(RepoPaths.root().resolve("helm/mlops-operator")).template()
        .withName(release).withNamespace(namespace);
    values.accept(template);
    Set<String> rbac = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    String serviceAccount = null;
    for (String doc : YamlDocs.documents(template.call())) {
      GenericKubernetesResource object = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      String objectNamespace = object.getMetadata().getNamespace();
      if (rbac.contains(object.getKind()) && objectNamespace != null
          && admin.namespaces().withName(objectNamespace).get() == null) {
        // A namespace the chart expects to exist (Argo Workflows' own, "argo"): there before the install.
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(objectNamespace).endMetadata()
            .build()).create();
      }
      if (rbac.contains(object.getKind())) {
        admin.resource(object).forceConflicts().serverSideApply();
      }
      if ("ServiceAccount".equals(object.getKind())) {
        serviceAccount = object.getMetadata().getName();
      }
    }
    return asServiceAccount(namespace, serviceAccount);
  }

  /**
   * Waits until the TrainingJob's status reaches a state; when it does not in time, the failure shows every job of
   * the namespace with its status, which is what one needs to see why.
   */
  static dev.mlops.operator.api.v1alpha1.TrainingJob awaitTrainingJob(KubernetesClient client, String ns, String name,
      java.util.function.Predicate<dev.mlops.operator.api.v1alpha1.TrainingJobStatus> reached, java.time.Duration within) {
    var jobs = client.resources(dev.mlops.operator.api.v1alpha1.TrainingJob.class).inNamespace(ns);
    try {
      await().atMost(within).pollInterval(java.time.Duration.ofMillis(250)).until(() -> {
        var current = jobs.withName(name).get();
        return current != null && current.getStatus() != null && reached.test(current.getStatus());
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder state = new StringBuilder(name + " did not get there in " + within + "; the jobs:");
      jobs.list().getItems().forEach(tj -> state.append("\n").append(tj.getMetadata().getName()).append(": ")
          .append(io.fabric8.kubernetes.client.utils.Serialization.asJson(tj.getStatus())));
      throw new AssertionError(state.toString(), e);
    }
    return jobs.withName(name).get();
  }

  /** Stops a controller process started by a test: SIGTERM, then SIGKILL after 20 s. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Runs the plane's own kubectl (built by testcluster/build) against it; its output, after asserting exit 0. */
  public static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(buildDirectory().resolve("bin/kubectl").toString(), "--kubeconfig",
        kubeconfig().orElseThrow(() -> new IllegalStateException(SKIPPED)).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private static Optional<Path> find() {
    String given = System.getenv("MLOPS_E2E_KUBECONFIG");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given));
    }
    Path testcluster = RepoPaths.root().resolve("testcluster");
    if (!Files.isExecutable(binaries(testcluster).resolve("kube-apiserver"))) {
      return Optional.empty();
    }
    Path path = Path.of(run(testcluster.resolve("up"), "--name", NAME));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        run(testcluster.resolve("down"), "--name", NAME);
      } catch (RuntimeException e) {
        System.err.println("could not stop the test plane " + NAME + ": " + e.getMessage());
      }
    }, "testcluster-down"));
    return Optional.of(path);
  }

  /** Where testcluster/build puts what it builds for the pinned version: bin/, argo-crds/. */
  static Path buildDirectory() {
    return binaries(RepoPaths.root().resolve("testcluster")).getParent();
  }

  /** Where testcluster/build puts the binaries of the pinned version. */
  private static Path binaries(Path testcluster) {
    Properties versions = new Properties();
    try {
      versions.load(Files.newBufferedReader(testcluster.resolve("versions.env")));
    } catch (IOException e) {
      return Path.of("/nonexistent");
    }
    String cache = System.getenv("MLOPS_TESTCLUSTER_CACHE");
    Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache/mlops-operator/testcluster");
    return root.resolve(versions.getProperty("KUBERNETES_VERSION")).resolve("bin");
  }

  /** Runs a testcluster script; its last line of stdout is the answer. */
  private static String run(Path script, String... args) {
    try {
      List<String> command = new ArrayList<>(List.of(script.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(script.getFileName() + " failed (exit " + process.exitValue() + "): " + out);
      }
      return out.lines().reduce((a, b) -> b).orElse("");
    } catch (IOException e) {
      throw new IllegalStateException(script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(script + " interrupted", e);
    }
  }
}
