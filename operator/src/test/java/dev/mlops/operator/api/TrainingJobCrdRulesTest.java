package dev.mlops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.operator.api.CrdSchemaValidator.Rule;
import dev.mlops.operator.api.CrdSchemaValidator.Violation;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobRules;
import dev.mlops.operator.trainingjob.SpecFingerprint;
import dev.mlops.operator.trainingjob.TrainingJobValidator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated TrainingJob CRD, run the way the API server runs it (see {@link CrdSchemaValidator}),
 * against a corpus of manifests, side by side with the reconciler's {@link TrainingJobValidator}.
 * The product promise under test: whatever {@code kubectl apply} rejects, the operator rejects too,
 * and for a CEL rule with the very same sentence.
 *
 * <p>Corpus ({@code crd-corpus/trainingjob/}): {@code good/} must pass both; each {@code bad/} file
 * has one problem, named by its {@code # expect:} lines (substrings of the CRD errors, one line per
 * error), or by {@code # reconciler-only:} lines for the few rules kept out of the CRD because
 * their estimated CEL cost would exceed the API server's budget (the operator reports those as
 * Valid=False); {@code update/<case>.old.yaml} is the stored object and {@code .new.yaml} the update, whose
 * {@code # expect:} is {@code accepted} or the name of an IMMUTABLE_* constant of TrainingJobRules.
 * The corpus is read from the test classpath: after deleting or renaming a corpus file, run
 * {@code mvn clean}, as Maven leaves the old copy in target/test-classes.
 */
class TrainingJobCrdRulesTest {

  private static final String CRD = "META-INF/fabric8/trainingjobs.mlops.dev-v1.yml";
  private static final String CORPUS = "crd-corpus/trainingjob/";
  private static final String EXPECT = "# expect:";

  private static CrdSchemaValidator crd;

  @BeforeAll
  static void loadCrd() {
    crd = new CrdSchemaValidator(openApiSchema());
  }

  // ---- the corpus -----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodManifests")
  void goodManifestIsAcceptedByTheCrdAndTheReconciler(String file) {
    String yaml = read("good/" + file);

    assertThat(crd.validateCreate(parse(yaml))).as("CRD errors for good/%s", file).isEmpty();
    assertThat(TrainingJobValidator.validate(trainingJob(yaml), Optional.empty()))
        .as("reconciler errors for good/%s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badManifests")
  void badManifestIsRejectedByTheCrdAndTheReconciler(String file) {
    String yaml = read("bad/" + file);
    List<String> operatorOnly = reconcilerOnly(yaml);
    if (!operatorOnly.isEmpty()) {
      // Rules kept out of the CRD (their CEL cost estimate would exceed the API server's budget):
      // kubectl accepts the manifest, the operator reports Valid=False with the message.
      assertThat(withoutNotCheckedNotice(crd.validateCreate(parse(yaml)))).as("CRD errors for bad/%s", file).isEmpty();
      List<String> reconciler = TrainingJobValidator.validate(trainingJob(yaml), Optional.empty());
      assertThat(reconciler).as("reconciler errors for bad/%s", file).hasSameSizeAs(operatorOnly)
          .allMatch(m -> operatorOnly.stream().anyMatch(m::contains));
      return;
    }
    List<String> expectations = expectations(yaml);
    List<Violation> violations = withoutNotCheckedNotice(crd.validateCreate(parse(yaml)));

    // Each expectation names one CRD error, and there is no other: a bad file has one problem.
    List<Violation> expected = new ArrayList<>();
    for (String expectation : expectations) {
      expected.add(violations.stream().filter(v -> v.toString().contains(expectation)).findFirst()
          .orElseThrow(() -> new AssertionError("bad/" + file + ": no CRD error contains '" + expectation
              + "'; got " + violations)));
    }
    assertThat(violations).as("CRD errors for bad/%s", file).containsExactlyInAnyOrderElementsOf(expected);

    List<String> reconciler;
    try {
      reconciler = TrainingJobValidator.validate(trainingJob(yaml), Optional.empty());
    } catch (RuntimeException unreadable) {
      // Jackson refuses a field TrainingJobSpec lacks: a rejection too, but only a typo may get one.
      assertThat(expected).as("bad/%s cannot be read by the operator (%s)", file, unreadable.getMessage())
          .anyMatch(v -> v.message().startsWith(CrdSchemaValidator.UNKNOWN_FIELD));
      return;
    }
    assertThat(reconciler).as("reconciler errors for bad/%s", file).isNotEmpty();
    for (Violation v : expected) {
      if (v.rule() != null) {
        // A CEL rule: the same sentence from kubectl and from the operator's status (which adds the value).
        assertThat(reconciler).as("reconciler errors for bad/%s", file).anyMatch(m -> m.startsWith(v.message()));
      } else if (!v.message().startsWith(CrdSchemaValidator.UNKNOWN_FIELD)) {
        // A schema keyword: the reconciler words it its own way but names the same field.
        assertThat(reconciler).as("reconciler errors for bad/%s", file).anyMatch(m -> m.contains(v.path()));
      }
    }
    // Nor does the reconciler complain about anything the CRD did not.
    assertThat(reconciler).as("reconciler errors for bad/%s", file)
        .allMatch(m -> expected.stream().anyMatch(v -> v.rule() != null ? m.startsWith(v.message()) : m.contains(v.path())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updates")
  void updateIsCheckedByTheTransitionRules(String name) throws ReflectiveOperationException {
    String oldYaml = read("update/" + name + ".old.yaml");
    String newYaml = read("update/" + name + ".new.yaml");
    String expectation = expectations(newYaml).get(0);
    List<Violation> violations = crd.validateUpdate(parse(newYaml), parse(oldYaml));
    // What the operator sees on its side: the Job of the running attempt carries the fingerprint of
    // the spec it was built from.
    List<String> reconciler = TrainingJobValidator.validate(trainingJob(newYaml), runningJob(oldYaml));

    if (expectation.equals("accepted")) {
      assertThat(violations).as("CRD errors for update %s", name).isEmpty();
      assertThat(reconciler).as("reconciler errors for update %s", name).isEmpty();
    } else {
      String message = (String) TrainingJobRules.class.getField(expectation).get(null);
      assertThat(violations).as("CRD errors for update %s", name)
          .containsExactly(new Violation(CrdSchemaValidator.ROOT, message, ruleFor(message)));
      assertThat(reconciler).as("reconciler errors for update %s", name).containsExactly(message);
    }
  }

  // ---- the rules themselves -------------------------------------------------------------------

  /**
   * Loading the validator compiled every rule. Each rule and message in the CRD must also be a
   * {@code X_RULE}/{@code X} pair of TrainingJobRules, the constants the reconciler reports.
   */
  @Test
  void everyCrdRuleCompilesAndIsARuleOfTrainingJobRules() throws IllegalAccessException {
    Map<String, String> constants = new LinkedHashMap<>();
    for (Field field : TrainingJobRules.class.getFields()) {
      if (field.getName().endsWith("_RULE") && Modifier.isStatic(field.getModifiers())) {
        String message = (String) readConstant(field.getName().replaceFirst("_RULE$", ""));
        constants.put((String) field.get(null), message);
      }
    }
    // toMap throws on a rule that appears twice.
    Map<String, String> inCrd = crd.rules().stream().collect(Collectors.toMap(Rule::expression, Rule::message));

    assertThat(inCrd).isEqualTo(constants);
  }

  /** Guards against dead rules: the corpus must make every rule of the CRD say no at least once. */
  @Test
  void theCorpusMakesEveryRuleFail() {
    Set<String> fired = new HashSet<>();
    Stream.concat(
            badManifests().map(file -> crd.validateCreate(parse(read("bad/" + file)))),
            updates().map(name -> crd.validateUpdate(parse(read("update/" + name + ".new.yaml")),
                parse(read("update/" + name + ".old.yaml")))))
        .flatMap(List::stream)
        .filter(v -> v.rule() != null && !v.message().startsWith("rule error:"))
        .forEach(v -> fired.add(v.rule()));

    Set<String> neverFailed = crd.rules().stream().map(Rule::expression).collect(Collectors.toCollection(TreeSet::new));
    neverFailed.removeAll(fired);
    assertThat(neverFailed).as("rules that no bad or update manifest makes fail").isEmpty();
  }

  @Test
  void aRuleThatDoesNotCompileFailsLoudly() {
    JSONSchemaProps broken = new JSONSchemaPropsBuilder().withType("object")
        .addNewXKubernetesValidation().withRule("self.spec.nodes >").withMessage("broken").endXKubernetesValidation()
        .build();

    assertThatThrownBy(() -> new CrdSchemaValidator(broken))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not compile");
  }

  /** The validator is not vacuous: a good manifest spoiled in one field is rejected. */
  @Test
  @SuppressWarnings("unchecked")
  void spoilingAGoodManifestGetsItRejected() {
    Map<String, Object> manifest = parse(read("good/minimal-gpu.yaml"));
    assertThat(crd.validateCreate(manifest)).isEmpty();

    ((Map<String, Object>) manifest.get("spec")).put("nodes", 0);
    assertThat(crd.validateCreate(manifest)).extracting(Violation::toString)
        .containsExactly("spec.nodes: must be at least 1, got 0");

    Map<String, Object> old = parse(read("good/minimal-gpu.yaml"));
    old.put("status", Map.of("startTime", "2025-03-01T08:00:00Z"));
    Map<String, Object> moreNodes = parse(read("good/minimal-gpu.yaml"));
    ((Map<String, Object>) moreNodes.get("spec")).put("nodes", 3);
    assertThat(crd.validateUpdate(moreNodes, old)).extracting(Violation::message)
        .containsExactly(TrainingJobRules.IMMUTABLE_NODES);
    assertThat(crd.validateCreate(moreNodes)).as("transition rules do not run on create").isEmpty();
  }

  // ---- helpers --------------------------------------------------------------------------------

  static Stream<String> goodManifests() {
    return corpus("good").filter(f -> f.endsWith(".yaml"));
  }

  static Stream<String> badManifests() {
    return corpus("bad").filter(f -> f.endsWith(".yaml"));
  }

  /** Update cases by name; each has an .old.yaml and a .new.yaml. */
  static Stream<String> updates() {
    List<String> files = corpus("update").toList();
    List<String> names = files.stream().filter(f -> f.endsWith(".new.yaml"))
        .map(f -> f.substring(0, f.length() - ".new.yaml".length())).toList();
    assertThat(files).as("every update case is an old/new pair")
        .hasSize(2 * names.size()).allMatch(f -> names.contains(f.replaceFirst("\\.(old|new)\\.yaml$", "")));
    return names.stream();
  }

  private static Stream<String> corpus(String folder) {
    try (Stream<Path> files = Files.list(Path.of(Objects.requireNonNull(
        TrainingJobCrdRulesTest.class.getClassLoader().getResource(CORPUS + folder), CORPUS + folder).toURI()))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JSONSchemaProps openApiSchema() {
    try (InputStream in = TrainingJobCrdRulesTest.class.getClassLoader().getResourceAsStream(CRD)) {
      CustomResourceDefinition definition =
          Serialization.unmarshal(Objects.requireNonNull(in, CRD), CustomResourceDefinition.class);
      return definition.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(String file) {
    try (InputStream in = TrainingJobCrdRulesTest.class.getClassLoader().getResourceAsStream(CORPUS + file)) {
      return new String(Objects.requireNonNull(in, CORPUS + file).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String RECONCILER_ONLY = "# reconciler-only:";

  /** The {@code # reconciler-only:} lines: problems only the operator's validator reports. */
  static List<String> reconcilerOnly(String yaml) {
    return yaml.lines().takeWhile(l -> l.startsWith("#")).filter(l -> l.startsWith(RECONCILER_ONLY))
        .map(l -> l.substring(RECONCILER_ONLY.length()).trim()).toList();
  }

  /** The {@code # expect:} lines at the top of a corpus file; at least one is required. */
  static List<String> expectations(String yaml) {
    List<String> expectations = yaml.lines().takeWhile(l -> l.startsWith("#"))
        .filter(l -> l.startsWith(EXPECT)).map(l -> l.substring(EXPECT.length()).trim()).toList();
    assertThat(expectations).as("'# expect:' lines at the top of the file").isNotEmpty();
    return expectations;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) {
    return Serialization.unmarshal(yaml, Map.class);
  }

  private static TrainingJob trainingJob(String yaml) {
    return Serialization.unmarshal(yaml, TrainingJob.class);
  }

  /** Once a job started, the reconciler knows its locked fields from the running Job's fingerprint. */
  private static Optional<Job> runningJob(String storedYaml) {
    TrainingJob stored = trainingJob(storedYaml);
    if (stored.getStatus() == null || stored.getStatus().getStartTime() == null) {
      return Optional.empty();
    }
    return Optional.of(new JobBuilder().withNewMetadata()
        .addToAnnotations(SpecFingerprint.ANNOTATION, SpecFingerprint.of(stored.getSpec()))
        .endMetadata().build());
  }

  /** The API server's "rules were not checked" notice follows schema errors; it is not a problem itself. */
  static List<Violation> withoutNotCheckedNotice(List<Violation> violations) {
    return violations.stream().filter(v -> !v.message().equals(CrdSchemaValidator.RULES_NOT_CHECKED)).toList();
  }

  private static String ruleFor(String message) {
    return crd.rules().stream().filter(r -> r.message().equals(message)).map(Rule::expression)
        .findFirst().orElseThrow();
  }

  private static Object readConstant(String name) {
    try {
      return TrainingJobRules.class.getField(name).get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("TrainingJobRules has " + name + "_RULE but no message constant " + name, e);
    }
  }
}
