package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.RepoPaths;
import dev.mlops.operator.YamlDocs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every example applies to a real API server as the docs say, with what its header says to create first:
 * the schema with strict field validation, the CEL rules and the API server's own admission. The Nodes of
 * {@code cluster-nodes.yaml} (cluster input for render and the sandbox) are checked by a server-side dry run,
 * so that no node without a kubelet joins the plane. The Argo CD Applications of examples/argocd need Argo
 * CD's CRDs, which the plane does not have. No operator runs here: what the examples then do is shown by the
 * kinds' own E2E tests; everything applied is deleted afterwards so that no later test's operator runs it.
 */
class ExamplesControlPlaneE2E {

  private static KubernetesClient client;
  private static final List<HasMetadata> CREATED = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
  }

  @AfterAll
  static void stop() {
    if (client == null) {
      return;
    }
    for (int i = CREATED.size() - 1; i >= 0; i--) {
      client.resource(CREATED.get(i)).delete();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> CREATED.stream()
        .allMatch(o -> o instanceof io.fabric8.kubernetes.api.model.Namespace || client.resource(o).get() == null));
    client.close();
  }

  /** What the examples' headers say to create first (docs/trainingjob.md, docs/storage.md, docs/redis.md). */
  private static void prerequisites() {
    create(new NamespaceBuilder().withNewMetadata().withName("ml-team").addToLabels("team", "ml")
        .addToLabels("mlops.dev/nas", "true").endMetadata().build());
    create(new NamespaceBuilder().withNewMetadata().withName("platform").endMetadata().build());
    create(new NamespaceBuilder().withNewMetadata().withName("quant").endMetadata().build());
    create(new ServiceAccountBuilder().withNewMetadata().withName("trainer").withNamespace("ml-team").endMetadata().build());
    create(new SecretBuilder().withNewMetadata().withName("regcred").withNamespace("ml-team").endMetadata()
        .withType("kubernetes.io/dockerconfigjson").addToStringData(".dockerconfigjson", "{\"auths\":{}}").build());
    create(new SecretBuilder().withNewMetadata().withName("slack-webhook").withNamespace("ml-team").endMetadata()
        .addToStringData("url", "https://hooks.example.internal/none").build());
  }

  private static void create(HasMetadata object) {
    if (client.resource(object).get() == null) {
      CREATED.add(client.resource(object).create());
    }
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everyExampleAppliesAsTheDocsSay() throws IOException {
    prerequisites();
    List<String> applied = new ArrayList<>();
    for (Path file : examples()) {
      boolean clusterInput = file.getFileName().toString().equals("cluster-nodes.yaml");
      for (String doc : YamlDocs.documents(Files.readString(file))) {
        GenericKubernetesResource object = Serialization.unmarshal(doc, GenericKubernetesResource.class);
        String what = file.getFileName() + ": " + object.getKind() + " " + object.getMetadata().getName();
        assertThatCode(() -> {
          if (clusterInput) {
            client.resource(object).dryRun().fieldValidation(Validation.STRICT).create();
          } else {
            CREATED.add(client.resource(object).fieldValidation(Validation.STRICT).create());
          }
        }).as(what).doesNotThrowAnyException();
        applied.add(what);
      }
    }
    assertThat(applied).as("every example file applied something").hasSizeGreaterThanOrEqualTo(examples().size());
    // Stored as written: the API server pruned no field (strict validation refuses unknown ones outright).
    GenericKubernetesResource llama = client.genericKubernetesResources("mlops.dev/v1alpha1", "TrainingJob")
        .inNamespace("ml-team").withName("llama-ft").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) llama.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> podTemplate = (Map<String, Object>) spec.get("podTemplate");
    assertThat(podTemplate).containsEntry("serviceAccountName", "trainer");
    @SuppressWarnings("unchecked")
    Map<String, Object> scheduling = (Map<String, Object>) spec.get("scheduling");
    assertThat(scheduling).containsEntry("priorityClassName", "research-high");
  }
}
