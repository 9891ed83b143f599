package dev.mlops.operator.manifest;

import dev.mlops.operator.manifest.YamlTree.SourceLines;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the API server's structural-schema validation of a custom resource says, with the field
 * paths kubectl prints and in plain words: wrong types, missing required fields, values outside an
 * enum, a minimum, a maximum, a pattern or an item limit, and unknown fields (which the API server
 * prunes, or rejects under {@code kubectl --validate=strict}, kubectl's default). The CEL rules are
 * not run here: each kind's validator repeats them with the same messages.
 */
public final class StructuralSchema {

  /** One rejection; {@code line} is 0 when the source is unknown. {@code blocking}: the API server skips CEL. */
  public record Violation(String path, String message, int line, boolean blocking) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  public static final String ROOT = "<root>";
  public static final String UNKNOWN_FIELD = "unknown field";
  /** Every object has these at the root, although a CRD's schema does not list them. */
  private static final Set<String> IMPLICIT_ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final JSONSchemaProps schema;

  public StructuralSchema(JSONSchemaProps openApiV3Schema) {
    this.schema = openApiV3Schema;
  }

  /**
   * Every violation of the whole object ({@code apiVersion}, {@code kind} and {@code metadata}
   * aside). Like the API server, it first prunes nulls of fields that are not nullable, so
   * {@code command: null} is as if unset (and a required field set to null is missing).
   */
  public List<Violation> validate(Object object, SourceLines lines) {
    pruneNulls(schema, object);
    List<Violation> errors = new ArrayList<>();
    check(schema, object, ROOT, null, null, lines, errors);
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static void pruneNulls(JSONSchemaProps s, Object value) {
    if (value instanceof Map<?, ?> map) {
      var entries = ((Map<String, Object>) map).entrySet().iterator();
      while (entries.hasNext()) {
        var entry = entries.next();
        JSONSchemaProps child = childSchema(s, entry.getKey());
        if (child == null) {
          continue;
        }
        if (entry.getValue() == null && !Boolean.TRUE.equals(child.getNullable())) {
          entries.remove();
        } else {
          pruneNulls(child, entry.getValue());
        }
      }
    } else if (value instanceof List<?> list && s.getItems() != null && s.getItems().getSchema() != null) {
      list.forEach(item -> pruneNulls(s.getItems().getSchema(), item));
    }
  }

  /** Whether any of the violations stops the API server from running the CEL rules. */
  public static boolean blocking(List<Violation> violations) {
    return violations.stream().anyMatch(Violation::blocking);
  }

  private void check(JSONSchemaProps s, Object value, String path, Object parent, Object key, SourceLines lines,
      List<Violation> errors) {
    int line = lines == null ? 0 : lines.line(parent, key);
    if (value instanceof BigInteger && ("integer".equals(s.getType()) || Boolean.TRUE.equals(s.getXKubernetesIntOrString()))) {
      errors.add(new Violation(path, "integer out of range (at most 9223372036854775807), got " + value, line, true));
      return;
    }
    if (!hasType(s, value)) {
      boolean quotable = "string".equals(s.getType()) && (value instanceof Boolean || value instanceof Number);
      errors.add(new Violation(path, "expected " + expected(s) + ", got " + describe(value) + (quotable ? " (quote it)" : ""),
          line, true));
      return;
    }
    if (s.getEnum() != null && !s.getEnum().isEmpty()
        && s.getEnum().stream().map(e -> e.isTextual() ? e.asText() : e.toString()).noneMatch(String.valueOf(value)::equals)) {
      errors.add(new Violation(path, "unsupported value " + describe(value) + ": must be one of "
          + String.join(", ", s.getEnum().stream().map(e -> e.asText()).toList()), line, true));
    }
    if (value instanceof Number number && !(value instanceof Double d && d.isNaN())) {
      double n = number.doubleValue();
      if (s.getMinimum() != null && n < s.getMinimum()) {
        errors.add(new Violation(path, "must be at least " + plain(s.getMinimum()) + ", got " + value, line, false));
      }
      if (s.getMaximum() != null && n > s.getMaximum()) {
        errors.add(new Violation(path, "must be at most " + plain(s.getMaximum()) + ", got " + value, line, false));
      }
    }
    if (value instanceof String text) {
      if (s.getPattern() != null
          && !PATTERNS.computeIfAbsent(s.getPattern(), StructuralSchema::endAnchoredLikeGo).matcher(text).find()) {
        errors.add(new Violation(path, describe(value) + " does not match " + s.getPattern(), line, false));
      }
      if (s.getMaxLength() != null && text.length() > s.getMaxLength()) {
        errors.add(new Violation(path, "must be at most " + s.getMaxLength() + " characters, got " + text.length(),
            line, false));
      }
    }
    if (value instanceof List<?> list) {
      if (s.getMinItems() != null && list.size() < s.getMinItems()) {
        errors.add(new Violation(path, "must have at least " + s.getMinItems() + " items, got " + list.size(), line, false));
      }
      if (s.getMaxItems() != null && list.size() > s.getMaxItems()) {
        errors.add(new Violation(path, "must have at most " + s.getMaxItems() + " items, got " + list.size(), line, true));
      }
      JSONSchemaProps items = s.getItems() == null ? null : s.getItems().getSchema();
      for (int i = 0; items != null && i < list.size(); i++) {
        check(items, list.get(i), path + "[" + i + "]", list, i, lines, errors);
      }
    }
    if (value instanceof Map<?, ?> map) {
      for (String required : s.getRequired() == null ? List.<String>of() : s.getRequired()) {
        if (!map.containsKey(required)) {
          errors.add(new Violation(childPath(s, path, required), "required field is missing",
              lines == null ? 0 : lines.start(map), true));
        }
      }
      if (s.getMaxProperties() != null && map.size() > s.getMaxProperties()) {
        errors.add(new Violation(path, "must have at most " + s.getMaxProperties() + " entries, got " + map.size(),
            line, true));
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String name = String.valueOf(entry.getKey());
        JSONSchemaProps child = childSchema(s, name);
        if (child != null) {
          check(child, entry.getValue(), childPath(s, path, name), map, name, lines, errors);
        } else if (!Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())
            && !(ROOT.equals(path) && IMPLICIT_ROOT_FIELDS.contains(name))) {
          errors.add(new Violation(childPath(s, path, name), UNKNOWN_FIELD + suggestion(s, name),
              lines == null ? 0 : lines.line(map, name), true));
        }
      }
    }
  }

  /** " (did you mean shmSize?)" for a field that differs from a known one by case or a small typo. */
  static String suggestion(JSONSchemaProps s, String name) {
    if (s.getProperties() == null || s.getProperties().isEmpty()) {
      return "";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    String best = s.getProperties().keySet().stream()
        .min(Comparator.comparingInt((String known) -> distance(lower, known.toLowerCase(Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()))
        .orElse(null);
    int distance = best == null ? Integer.MAX_VALUE : distance(lower, best.toLowerCase(Locale.ROOT));
    boolean close = distance <= Math.max(1, Math.min(3, name.length() / 4));
    return close ? " (did you mean " + best + "?)" : " (known fields: " + String.join(", ", s.getProperties().keySet()) + ")";
  }

  /** Levenshtein distance; field names are short. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static boolean hasType(JSONSchemaProps s, Object value) {
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      return value instanceof Long || value instanceof String;
    }
    if (s.getType() == null) {
      return true; // structural schemas leave the type out only under x-kubernetes-preserve-unknown-fields
    }
    return switch (s.getType()) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "integer" -> value instanceof Long;
      case "number" -> value instanceof Long || value instanceof Double;
      case "boolean" -> value instanceof Boolean;
      default -> false;
    };
  }

  /** "an integer", "a list of strings", "a map of strings", "an integer or a string". */
  static String expected(JSONSchemaProps s) {
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      return "an integer or a string";
    }
    String type = s.getType() == null ? "" : s.getType();
    return switch (type) {
      case "array" -> {
        JSONSchemaProps items = s.getItems() == null ? null : s.getItems().getSchema();
        yield items == null || items.getType() == null ? "a list" : "a list of " + plural(items);
      }
      case "object" -> {
        JSONSchemaProps values = s.getAdditionalProperties() == null ? null : s.getAdditionalProperties().getSchema();
        yield values != null && values.getType() != null && !"object".equals(values.getType())
            ? "a map of " + plural(values) : "an object";
      }
      case "integer" -> "an integer";
      default -> "a " + type;
    };
  }

  private static String plural(JSONSchemaProps s) {
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      return "integers or strings";
    }
    return switch (s.getType()) {
      case "object" -> "objects";
      case "array" -> "lists";
      case "string" -> "strings";
      case "integer" -> "integers";
      case "boolean" -> "booleans";
      default -> s.getType() + "s";
    };
  }

  /** A value as a user would recognise it in their file. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String text) {
      String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
      return "\"" + shown.replace("\n", "\\n") + "\"";
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? "an empty list" : "a list";
    }
    if (value instanceof Map<?, ?> map) {
      return map.isEmpty() ? "an empty map" : "a map";
    }
    return String.valueOf(value);
  }

  private static String plain(double bound) {
    return bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound);
  }

  public static JSONSchemaProps childSchema(JSONSchemaProps s, String key) {
    if (s.getProperties() != null && s.getProperties().containsKey(key)) {
      return s.getProperties().get(key);
    }
    return s.getAdditionalProperties() == null ? null : s.getAdditionalProperties().getSchema();
  }

  /** {@code spec.nodes} for a property, {@code spec.resources.limits[cpu]} for a map entry, like kubectl. */
  public static String childPath(JSONSchemaProps s, String path, String key) {
    boolean property = s.getProperties() != null && s.getProperties().containsKey(key);
    if (!property && s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      return path + "[" + key + "]";
    }
    return ROOT.equals(path) ? key : path + "." + key;
  }

  /**
   * A CRD pattern as the API server reads it (Go's RE2): {@code $} is the end of the text. Java's {@code $} also
   * matches before a final line break, which would let "eth0\n" through a pattern the API server refuses it by.
   */
  static Pattern endAnchoredLikeGo(String pattern) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        out.append(c).append(pattern.charAt(++i));
        continue;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      }
      out.append(c == '$' && !inClass ? "\\z" : String.valueOf(c));
    }
    return Pattern.compile(out.toString());
  }
}
