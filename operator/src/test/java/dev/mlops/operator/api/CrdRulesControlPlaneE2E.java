package dev.mlops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.CrdSchemaValidator.Violation;
import dev.mlops.operator.e2e.TestPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD rules corpus against the real kube-apiserver: every manifest must get the same verdict
 * (accepted or refused) from a server-side dry run, with kubectl's strict field validation, as from
 * the cel-java evaluation of {@link TrainingJobCrdRulesTest}; a disagreement fails the build. Where
 * a CEL rule refused, the server must say the same sentence; where the schema did, name the field.
 */
class CrdRulesControlPlaneE2E {

  private static final String NS = "crd-corpus";
  private static KubernetesClient client;
  private static CrdSchemaValidator crd;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
    if (client.namespaces().withName(NS).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }
    crd = new CrdSchemaValidator(TrainingJobCrdRulesTest.openApiSchema());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<String> creates() {
    return Stream.concat(TrainingJobCrdRulesTest.goodManifests().map(f -> "good/" + f),
        TrainingJobCrdRulesTest.badManifests().map(f -> "bad/" + f));
  }

  private static GenericKubernetesResource resource(String yaml) {
    GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    // NasServer is cluster-scoped; every other kind of the corpus goes in the corpus namespace.
    resource.getMetadata().setNamespace("NasServer".equals(resource.getKind()) ? null : NS);
    return resource;
  }

  static Stream<Arguments> nasCreates() {
    return KindCrdRulesTest.KINDS.stream().flatMap(k -> Stream.concat(
        KindCrdRulesTest.corpus(k, "good").map(f -> Arguments.of(k, "good/" + f)),
        KindCrdRulesTest.corpus(k, "bad").map(f -> Arguments.of(k, "bad/" + f))));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("nasCreates")
  void theRealApiServerAgreesOnNasServersAndVolumes(String kind, String file) {
    String yaml = KindCrdRulesTest.read(kind, file);
    List<Violation> unit = TrainingJobCrdRulesTest.withoutNotCheckedNotice(KindCrdRulesTest.crd(kind).validateCreate(
        KindCrdRulesTest.parse(yaml)));
    sameVerdict(kind + "/" + file, unit, dryRunCreate(yaml));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("dev.mlops.operator.api.KindCrdRulesTest#updates")
  void nasTransitionRulesGetTheSameVerdict(String kind, String name) {
    String oldYaml = KindCrdRulesTest.read(kind, "update/" + name + ".old.yaml");
    String newYaml = KindCrdRulesTest.read(kind, "update/" + name + ".new.yaml");
    List<Violation> unit = KindCrdRulesTest.crd(kind).validateUpdate(KindCrdRulesTest.parse(newYaml),
        KindCrdRulesTest.parse(oldYaml));
    Optional<String> server = dryRunUpdate(name, oldYaml, newYaml);
    if (unit.isEmpty()) {
      assertThat(server).as("update %s: cel-java accepts it, so must kube-apiserver", name).isEmpty();
    } else {
      assertThat(server).as("update %s: cel-java refuses it (%s), so must kube-apiserver", name, unit).isPresent();
      unit.forEach(v -> assertThat(server.get()).contains(v.message()));
    }
  }

  private static void sameVerdict(String file, List<Violation> unit, Optional<String> server) {
    if (unit.isEmpty()) {
      assertThat(server).as("%s: cel-java accepts it, so must kube-apiserver", file).isEmpty();
      return;
    }
    assertThat(server).as("%s: cel-java refuses it (%s), so must kube-apiserver", file, unit).isPresent();
    unit.stream().filter(v -> v.rule() != null).forEach(v ->
        assertThat(server.get()).as("%s: the CEL rule's own message", file).contains(v.message()));
    List<Violation> schema = unit.stream().filter(v -> v.rule() == null).toList();
    if (!schema.isEmpty()) {
      assertThat(schema).as("%s: the server names a field the schema refused: %s", file, server.get())
          .anyMatch(v -> server.get().contains(v.path()));
    }
  }

  /** The server's answer to a dry-run create: empty when accepted, else its message. */
  private static Optional<String> dryRunCreate(String yaml) {
    try {
      client.resource(resource(yaml)).dryRun().fieldValidation(Validation.STRICT).create();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).as("a refusal, not an error: %s", e.getMessage()).isIn(400, 422);
      return Optional.of(e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creates")
  void theRealApiServerAgreesWithTheUnitTier(String file) {
    String yaml = TrainingJobCrdRulesTest.read(file);
    List<Violation> unit = TrainingJobCrdRulesTest.withoutNotCheckedNotice(crd.validateCreate(
        TrainingJobCrdRulesTest.parse(yaml)));
    sameVerdict(file, unit, dryRunCreate(yaml));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mlops.operator.api.TrainingJobCrdRulesTest#updates")
  void transitionRulesGetTheSameVerdict(String name) {
    String oldYaml = TrainingJobCrdRulesTest.read("update/" + name + ".old.yaml");
    String newYaml = TrainingJobCrdRulesTest.read("update/" + name + ".new.yaml");
    List<Violation> unit = crd.validateUpdate(TrainingJobCrdRulesTest.parse(newYaml), TrainingJobCrdRulesTest.parse(oldYaml));

    Optional<String> server = dryRunUpdate(name, oldYaml, newYaml);
    if (unit.isEmpty()) {
      assertThat(server).as("update %s: cel-java accepts it, so must kube-apiserver", name).isEmpty();
    } else {
      assertThat(server).as("update %s: cel-java refuses it (%s), so must kube-apiserver", name, unit).isPresent();
      String refusal = server.get();
      unit.forEach(v -> assertThat(refusal).contains(v.message()));
    }
  }

  /** Stores the old object (with its status), then dry-runs the update; the server's refusal, or empty. */
  private static Optional<String> dryRunUpdate(String name, String oldYaml, String newYaml) {
    GenericKubernetesResource old = resource(oldYaml);
    old.getMetadata().setName(old.getMetadata().getName() + "-" + Math.abs(name.hashCode() % 100000));
    Object status = old.getAdditionalProperties().remove("status");
    GenericKubernetesResource stored = client.resource(old).create();
    if (status != null) {
      stored.getAdditionalProperties().put("status", status);
      stored = client.resource(stored).updateStatus();
    }
    GenericKubernetesResource updated = resource(newYaml);
    updated.getMetadata().setName(stored.getMetadata().getName());
    updated.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
    updated.getAdditionalProperties().remove("status");
    Optional<String> server;
    try {
      client.resource(updated).dryRun().fieldValidation(Validation.STRICT).update();
      server = Optional.empty();
    } catch (KubernetesClientException e) {
      server = Optional.of(e.getMessage());
    } finally {
      client.resource(stored).delete();
    }
    return server;
  }
}
