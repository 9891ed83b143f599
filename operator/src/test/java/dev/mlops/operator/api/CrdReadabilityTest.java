package dev.mlops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The committed CRDs as other tools read them: a YAML 1.1 reader (what PyYAML, and through it
 * kubeconform's openapi2jsonschema, is) must see every bound as a number, and {@code kubectl explain}
 * must find a description on every field.
 */
class CrdReadabilityTest {

  /** The numeric keywords of a structural schema. */
  static final List<String> BOUNDS = List.of("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
      "minProperties", "maxProperties");

  /**
   * YAML 1.1's own float rule (yaml.org/type/float.html), which PyYAML implements: an exponent needs its
   * sign, so {@code 2.147483647E9} is a string there. SnakeYAML's default is more lenient and would hide it.
   */
  static final Pattern YAML11_FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
      + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
      + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

  /** A SnakeYAML resolver with YAML 1.1's float rule in place of SnakeYAML's. */
  static final class Yaml11Resolver extends Resolver {
    @Override
    public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
      super.addImplicitResolver(tag, Tag.FLOAT.equals(tag) ? YAML11_FLOAT : regexp, first, limit);
    }
  }

  static Object readYaml11(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(16 * 1024 * 1024);
    return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
        new Yaml11Resolver()).load(text);
  }

  static List<Path> crds() throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("crds"))) {
      return files.sorted().toList();
    }
  }

  @Test
  void theYaml11ReaderReadsAnUnsignedExponentAsAString() {
    // The reader of this test is as strict as PyYAML: otherwise the next test could not fail.
    assertThat(readYaml11("maximum: 2.147483647E9")).isEqualTo(Map.of("maximum", "2.147483647E9"));
    assertThat(readYaml11("maximum: 2147483647")).isEqualTo(Map.of("maximum", 2147483647));
  }

  @Test
  void everyBoundIsANumberToAYaml11Reader() throws IOException {
    for (Path crd : crds()) {
      List<String> notNumbers = new ArrayList<>();
      walk(readYaml11(Files.readString(crd)), "", (path, map) -> {
        for (String bound : BOUNDS) {
          Object value = map.get(bound);
          boolean integral = value instanceof Integer || value instanceof Long;
          boolean fraction = value instanceof Double d && d != Math.rint(d);
          if (value != null && !integral && !fraction) {
            notNumbers.add(path + "." + bound + " = " + value + " (" + value.getClass().getSimpleName() + ")");
          }
        }
      });
      assertThat(notNumbers).as(crd.getFileName() + ": bounds a YAML 1.1 reader does not read as integers").isEmpty();
    }
  }

  @Test
  void everyFieldOfEveryKindIsDescribed() throws IOException {
    for (Path crd : crds()) {
      List<String> undescribed = new ArrayList<>();
      Map<?, ?> doc = (Map<?, ?>) readYaml11(Files.readString(crd));
      for (Object version : (List<?>) ((Map<?, ?>) doc.get("spec")).get("versions")) {
        Map<?, ?> schema = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) version).get("schema")).get("openAPIV3Schema");
        walk(schema, "", (path, map) -> {
          if (map.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> {
              Object text = ((Map<?, ?>) property).get("description");
              if (!(text instanceof String s) || s.isBlank()) {
                undescribed.add(path + "." + name);
              }
            });
          }
        });
      }
      assertThat(undescribed).as(crd.getFileName() + ": fields kubectl explain shows without a description").isEmpty();
    }
  }

  /** Calls {@code visit} on every map of the tree, with a path made of the property names above it. */
  static void walk(Object node, String path, java.util.function.BiConsumer<String, Map<?, ?>> visit) {
    if (node instanceof Map<?, ?> map) {
      visit.accept(path, map);
      map.forEach((key, value) -> walk(value, "properties".equals(key) ? path : path + "." + key, visit));
    } else if (node instanceof List<?> list) {
      list.forEach(item -> walk(item, path + "[]", visit));
    }
  }
}
