package dev.mlops.operator.e2e;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Argo Workflows' real workflow-controller (built from the Go module proxy by testcluster/build) on
 * the test plane: its CRDs installed, its namespace and ConfigMap created, the controller running as
 * a separate process with the plane's admin kubeconfig until {@link #close}. Its log is
 * {@code target/workflow-controller.log}.
 */
final class ArgoController implements AutoCloseable {

  static final String NAMESPACE = "argo";
  static final String SKIPPED = "no workflow-controller: testcluster/build builds it (Argo Workflows from the Go"
      + " module proxy)";

  private final Process process;

  private ArgoController(Process process) {
    this.process = process;
  }

  /** The build's folder with bin/workflow-controller and argo-crds/, where testcluster/build made them. */
  static Optional<Path> built() {
    Path dir = TestPlane.buildDirectory();
    return Files.isExecutable(dir.resolve("bin/workflow-controller")) && Files.isDirectory(dir.resolve("argo-crds"))
        ? Optional.of(dir) : Optional.empty();
  }

  static ArgoController start(KubernetesClient admin, Path built, Path kubeconfig) throws IOException {
    try (Stream<Path> files = Files.list(built.resolve("argo-crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        TestPlane.installCrd(admin, Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class));
      }
    }
    if (admin.namespaces().withName(NAMESPACE).get() == null) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }
    admin.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("workflow-controller-configmap").endMetadata().build()).createOr(c -> c.update());
    Path log = Path.of("target", "workflow-controller.log").toAbsolutePath();
    Process process = new ProcessBuilder(List.of(built.resolve("bin/workflow-controller").toString(),
        "--kubeconfig", kubeconfig.toString(), "--namespace", NAMESPACE))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new ArgoController(process);
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    TestPlane.stop(process);
  }
}
