package dev.mlops.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes every whole-number bound of a schema as an integer. The generator keeps bounds as doubles, so
 * {@code @Max(Integer.MAX_VALUE)} came out as {@code maximum: 2.147483647E9}: a YAML 1.2 reader takes
 * that for a number, but a YAML 1.1 reader (PyYAML, and through it kubeconform's openapi2jsonschema)
 * needs a signed exponent and takes it for a string, which makes the whole schema invalid there.
 */
final class CrdIntegerBounds {

  /** The numeric keywords of a structural schema. */
  static final Set<String> BOUNDS = Set.of("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
      "minProperties", "maxProperties", "multipleOf");

  private CrdIntegerBounds() {}

  static void writeAsIntegers(JsonNode schema) {
    if (schema instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (BOUNDS.contains(name) && value.isNumber() && !value.isIntegralNumber()
            && value.doubleValue() == Math.rint(value.doubleValue()) && Math.abs(value.doubleValue()) < 0x1p53) {
          object.set(name, LongNode.valueOf((long) value.doubleValue()));
        } else {
          writeAsIntegers(value);
        }
      }
    } else if (schema != null && schema.isArray()) {
      schema.forEach(CrdIntegerBounds::writeAsIntegers);
    }
  }
}
