package dev.mlops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.CrdSchemaValidator.Rule;
import dev.mlops.operator.api.CrdSchemaValidator.Violation;
import dev.mlops.operator.api.v1alpha1.NasRules;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisRules;
import dev.mlops.operator.redis.RedisValidator;
import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRules;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.TrainingJobRules;
import dev.mlops.operator.pipeline.PipelineRunPlanner;
import dev.mlops.operator.pipeline.PipelineValidator;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.nas.NasValidator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NasServer, NasVolume and RedisInstance CRDs, run the way the API server runs them, against a corpus
 * ({@code crd-corpus/nasserver/}, {@code crd-corpus/nasvolume/}, {@code crd-corpus/redisinstance/}; layout as in
 * {@link TrainingJobCrdRulesTest}),
 * side by side with {@link NasValidator}: whatever {@code kubectl apply} refuses, the operator's
 * {@code Valid=False} refuses too, and a CEL rule's sentence is the same in both. Update cases
 * name a {@link NasRules} constant: immutability is the API server's alone.
 */
class KindCrdRulesTest {

  private static final String EXPECT = "# expect:";
  private static final Map<String, CrdSchemaValidator> CRDS = new LinkedHashMap<>();

  static CrdSchemaValidator crd(String kind) {
    return CRDS.computeIfAbsent(kind, k -> {
      String resource = "META-INF/fabric8/" + k + "s.mlops.dev-v1.yml";
      try (InputStream in = KindCrdRulesTest.class.getClassLoader().getResourceAsStream(resource)) {
        CustomResourceDefinition definition = Serialization.unmarshal(Objects.requireNonNull(in, resource),
            CustomResourceDefinition.class);
        return new CrdSchemaValidator(definition.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The kinds whose CRDs this corpus covers (TrainingJob has its own, {@link TrainingJobCrdRulesTest}). */
  static final List<String> KINDS = List.of("nasserver", "nasvolume", "redisinstance", "pipeline", "pipelinerun");

  static List<String> reconciler(String kind, String yaml) {
    return switch (kind) {
      case "nasserver" -> NasValidator.validateServer(Serialization.unmarshal(yaml, NasServer.class).getSpec());
      case "nasvolume" -> {
        NasVolume nv = Serialization.unmarshal(yaml, NasVolume.class);
        yield NasValidator.validateVolume(nv.getMetadata().getName(), nv.getSpec());
      }
      case "pipeline" -> {
        Pipeline p = Serialization.unmarshal(yaml, Pipeline.class);
        yield PipelineValidator.validate(p.getMetadata().getName(), p.getSpec());
      }
      case "pipelinerun" -> PipelineRunPlanner.validate(Serialization.unmarshal(yaml, PipelineRun.class));
      default -> RedisValidator.validate(Serialization.unmarshal(yaml, RedisInstance.class));
    };
  }

  /** The class whose constants are the kind's CEL rules and their messages. */
  static Class<?> rules(String kind) {
    return kind.equals("redisinstance") ? RedisRules.class : kind.startsWith("pipeline") ? PipelineRules.class
        : NasRules.class;
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("goodManifests")
  void goodManifestIsAcceptedByTheCrdAndTheReconciler(String kind, String file) {
    String yaml = read(kind, "good/" + file);
    assertThat(crd(kind).validateCreate(parse(yaml))).as("CRD errors").isEmpty();
    assertThat(reconciler(kind, yaml)).as("reconciler errors").isEmpty();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("badManifests")
  void badManifestIsRejectedByTheCrdAndTheReconciler(String kind, String file) {
    String yaml = read(kind, "bad/" + file);
    List<String> expectations = expectations(yaml);
    List<Violation> violations = TrainingJobCrdRulesTest.withoutNotCheckedNotice(crd(kind).validateCreate(parse(yaml)));
    for (String expectation : expectations) {
      assertThat(violations).as("a CRD error containing '%s'", expectation)
          .anyMatch(v -> v.toString().contains(expectation));
    }
    assertThat(violations).as("CRD errors: one problem per file").hasSameSizeAs(expectations);
    List<String> reconciler = reconciler(kind, yaml);
    assertThat(reconciler).as("reconciler errors").hasSameSizeAs(expectations);
    for (Violation v : violations) {
      if (v.rule() != null) {
        assertThat(reconciler).as("the CEL rule's sentence, with the value").anyMatch(m -> m.startsWith(v.message()));
      } else {
        assertThat(reconciler).as("the field the schema names").anyMatch(m -> m.contains(v.path()));
      }
    }
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("updates")
  void updateIsCheckedByTheTransitionRules(String kind, String name) throws ReflectiveOperationException {
    String newYaml = read(kind, "update/" + name + ".new.yaml");
    List<Violation> violations = crd(kind).validateUpdate(parse(newYaml), parse(read(kind, "update/" + name + ".old.yaml")));
    String expectation = expectations(newYaml).get(0);
    if (expectation.equals("accepted")) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations).extracting(Violation::message)
          .containsExactly((String) rules(kind).getField(expectation).get(null));
    }
  }

  @Test
  void everyCrdRuleIsARuleOfItsRulesClass() throws IllegalAccessException {
    for (Class<?> rules : List.of(NasRules.class, RedisRules.class, PipelineRules.class)) {
      Map<String, String> constants = new LinkedHashMap<>();
      for (Field field : rules.getFields()) {
        if (field.getName().endsWith("_RULE") && Modifier.isStatic(field.getModifiers())) {
          try {
            constants.put((String) field.get(null), (String) rules.getField(field.getName().replaceFirst("_RULE$", ""))
                .get(null));
          } catch (NoSuchFieldException e) {
            throw new AssertionError(field.getName() + " has no message constant", e);
          }
        }
      }
      Map<String, String> inCrds = new LinkedHashMap<>();
      for (String kind : KINDS) {
        if (rules(kind) == rules) {
          inCrds.putAll(crd(kind).rules().stream().collect(Collectors.toMap(Rule::expression, Rule::message)));
        }
      }
      // A Pipeline's spec.volumes are NasVolumeMounts, with a TrainingJob's rules.
      inCrds.keySet().removeAll(List.of(TrainingJobRules.MOUNT_PATH_RULE, TrainingJobRules.SUB_PATH_RULE));
      assertThat(inCrds).as(rules.getSimpleName()).isEqualTo(constants);
    }
  }

  @Test
  void theRedisRulesLiteralsListTheirJavaLists() {
    assertThat(RedisRules.EVICTION).endsWith(String.join(", ", RedisRules.EVICTION_POLICIES));
    assertThat(RedisRules.EVICTION_RULE).isEqualTo("self in ['" + String.join("', '", RedisRules.EVICTION_POLICIES) + "']");
    List<String> keys = new java.util.ArrayList<>(RedisRules.CONFIG_ALLOWED);
    keys.addAll(RedisRules.CONFIG_FIELDS.keySet());
    assertThat(RedisRules.CONFIG_KEYS_RULE).isEqualTo("self.all(k, k in ['" + String.join("', '", keys) + "'])");
    assertThat(RedisRules.CONFIG_OWNED_RULE).isEqualTo("!self.exists(k, k in ['"
        + String.join("', '", RedisRules.CONFIG_FIELDS.keySet()) + "'])");
  }

  @Test
  void theCorpusMakesEveryRuleFail() {
    for (String kind : KINDS) {
      Set<String> fired = new HashSet<>();
      Stream.concat(corpus(kind, "bad").map(f -> crd(kind).validateCreate(parse(read(kind, "bad/" + f)))),
              updateNames(kind).map(n -> crd(kind).validateUpdate(parse(read(kind, "update/" + n + ".new.yaml")),
                  parse(read(kind, "update/" + n + ".old.yaml")))))
          .flatMap(List::stream).filter(v -> v.rule() != null && !v.message().startsWith("rule error:"))
          .forEach(v -> fired.add(v.rule()));
      Set<String> never = crd(kind).rules().stream().map(Rule::expression).collect(Collectors.toCollection(TreeSet::new));
      never.removeAll(fired);
      assertThat(never).as(kind + ": rules that no bad or update manifest makes fail").isEmpty();
    }
  }

  static Stream<Arguments> goodManifests() {
    return KINDS.stream().flatMap(k -> corpus(k, "good").map(f -> Arguments.of(k, f)));
  }

  static Stream<Arguments> badManifests() {
    return KINDS.stream().flatMap(k -> corpus(k, "bad").map(f -> Arguments.of(k, f)));
  }

  static Stream<Arguments> updates() {
    return KINDS.stream().flatMap(k -> updateNames(k).map(n -> Arguments.of(k, n)));
  }

  static Stream<String> updateNames(String kind) {
    return corpus(kind, "update").filter(f -> f.endsWith(".new.yaml")).map(f -> f.substring(0, f.length() - 9));
  }

  static Stream<String> corpus(String kind, String folder) {
    String dir = "crd-corpus/" + kind + "/" + folder;
    if (KindCrdRulesTest.class.getClassLoader().getResource(dir) == null && folder.equals("update")) {
      return Stream.empty(); // a kind without transition rules
    }
    try (Stream<Path> files = Files.list(Path.of(Objects.requireNonNull(
        KindCrdRulesTest.class.getClassLoader().getResource(dir), dir).toURI()))) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(String kind, String file) {
    String resource = "crd-corpus/" + kind + "/" + file;
    try (InputStream in = KindCrdRulesTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(Objects.requireNonNull(in, resource).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> expectations(String yaml) {
    List<String> expectations = yaml.lines().takeWhile(l -> l.startsWith("#")).filter(l -> l.startsWith(EXPECT))
        .map(l -> l.substring(EXPECT.length()).trim()).toList();
    assertThat(expectations).as("'# expect:' lines at the top of the file").isNotEmpty();
    return expectations;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) {
    return Serialization.unmarshal(yaml, Map.class);
  }
}
