package dev.mlops.operator.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.operator.api.v1alpha1.PipelineParam;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The types of Pipeline params: whether a value is of its param's type (a default, a schedule's
 * value, a run's), and a run's params resolved to the text each one is passed to Argo as.
 */
public final class PipelineParams {

  private PipelineParams() {}

  public static final String STRING = "string";
  public static final String INT = "int";
  public static final String FLOAT = "float";
  public static final String BOOL = "bool";
  public static final String JSON = "json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static String type(PipelineParam param) {
    return param.getType() == null ? STRING : param.getType();
  }

  /** Why {@code text} is not a value of the param (its type, its enum), or empty when it is. */
  public static Optional<String> problem(PipelineParam param, String text) {
    String type = type(param);
    boolean ok = switch (type) {
      case INT -> text.matches("[-+]?[0-9]{1,18}");
      case FLOAT -> isFloat(text);
      case BOOL -> text.equals("true") || text.equals("false");
      case JSON -> parseJson(text).isPresent();
      default -> true;
    };
    if (!ok) {
      return Optional.of(quote(text) + " is not " + article(type) + (type.equals(JSON) ? " (it does not parse)" : ""));
    }
    if (param.getEnumValues() != null && !param.getEnumValues().isEmpty() && !param.getEnumValues().contains(text)) {
      return Optional.of(quote(text) + " is not one of " + String.join(", ", param.getEnumValues()));
    }
    return Optional.empty();
  }

  /** A run's params: the value of each declared param as text, defaults included, or the problems (each names a param). */
  public record Resolved(Map<String, String> values, List<String> problems) {}

  public static Resolved resolve(List<PipelineParam> declared, Map<String, JsonNode> given) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> supplied = given == null ? Map.of() : given;
    List<PipelineParam> params = declared == null ? List.of() : declared;
    for (String name : supplied.keySet()) {
      if (params.stream().noneMatch(p -> name.equals(p.getName()))) {
        problems.add("spec.params." + name + ": the Pipeline has no param " + name
            + (params.isEmpty() ? "" : " (it has " + String.join(", ", params.stream().map(PipelineParam::getName).toList())
                + ")"));
      }
    }
    for (PipelineParam param : params) {
      JsonNode value = supplied.get(param.getName());
      if (value == null || value.isNull()) {
        if (param.getDefaultValue() == null) {
          problems.add("spec.params." + param.getName() + ": required (" + type(param) + ", no default)");
        } else {
          values.put(param.getName(), param.getDefaultValue());
        }
        continue;
      }
      Optional<String> text = asText(param, value);
      if (text.isEmpty()) {
        problems.add("spec.params." + param.getName() + ": " + describe(value) + " is not " + article(type(param)));
        continue;
      }
      Optional<String> problem = problem(param, text.get());
      if (problem.isPresent()) {
        problems.add("spec.params." + param.getName() + ": " + problem.get());
      } else {
        values.put(param.getName(), text.get());
      }
    }
    return new Resolved(values, problems);
  }

  /** The text Argo gets for a run's value, or empty when the JSON kind cannot be of the type (a list for an int). */
  static Optional<String> asText(PipelineParam param, JsonNode value) {
    String type = type(param);
    if (type.equals(JSON)) {
      return Optional.of(value.isTextual() ? value.asText() : value.toString());
    }
    if (value.isContainerNode()) {
      return Optional.empty();
    }
    if (type.equals(INT) && value.isNumber()) {
      return value.isIntegralNumber() || value.decimalValue().stripTrailingZeros().scale() <= 0
          ? Optional.of(value.decimalValue().toBigInteger().toString()) : Optional.empty();
    }
    if (type.equals(FLOAT) && value.isNumber()) {
      return Optional.of(value.isIntegralNumber() ? value.asText() : new BigDecimal(value.asText()).toString());
    }
    if (type.equals(BOOL) && value.isBoolean()) {
      return Optional.of(value.asText());
    }
    return Optional.of(value.asText());
  }

  /** A JSON array: what Argo's withParam maps over. */
  static boolean isJsonList(String text) {
    return parseJson(text).map(JsonNode::isArray).orElse(false);
  }

  static Optional<JsonNode> parseJson(String text) {
    try {
      return Optional.ofNullable(MAPPER.readTree(text)).filter(n -> !n.isMissingNode());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static boolean isFloat(String text) {
    if (!text.matches("[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?")) {
      return false;
    }
    return Double.isFinite(Double.parseDouble(text));
  }

  private static String describe(JsonNode value) {
    return value.isArray() ? "a list" : value.isObject() ? "an object" : quote(value.asText());
  }

  private static String article(String type) {
    return switch (type) {
      case INT -> "an int";
      case FLOAT -> "a float";
      case BOOL -> "a bool (true or false)";
      case JSON -> "JSON";
      default -> "a string";
    };
  }

  private static String quote(String text) {
    String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
    return "'" + shown + "'";
  }
}
