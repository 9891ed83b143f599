package dev.mlops.operator.manifest;

import static dev.mlops.operator.manifest.StructuralSchema.describe;

import dev.mlops.operator.common.KubernetesSyntax;
import dev.mlops.operator.manifest.StructuralSchema.Violation;
import dev.mlops.operator.manifest.YamlTree.SourceLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API server's own checks of {@code metadata}, which no CRD schema describes: field types,
 * unknown fields, name and namespace syntax, label and annotation keys and values.
 */
final class ObjectMetaRules {

  private static final Set<String> STRINGS = Set.of("name", "generateName", "namespace", "uid", "resourceVersion",
      "creationTimestamp", "deletionTimestamp", "selfLink");
  private static final Set<String> INTEGERS = Set.of("generation", "deletionGracePeriodSeconds");
  private static final Set<String> STRING_MAPS = Set.of("labels", "annotations");
  private static final Set<String> LISTS = Set.of("finalizers", "ownerReferences", "managedFields");
  private static final int MAX_ANNOTATION_BYTES = 256 * 1024;

  private ObjectMetaRules() {}

  static List<Violation> validate(Object metadata, boolean namespaced, SourceLines lines, Object root) {
    List<Violation> errors = new ArrayList<>();
    if (metadata == null) {
      errors.add(new Violation("metadata", root instanceof Map<?, ?> m && m.containsKey("metadata")
          ? "expected an object, got null" : "required field is missing (metadata.name names the object)",
          lines.line(root, "metadata"), true));
      return errors;
    }
    if (!(metadata instanceof Map<?, ?> meta)) {
      errors.add(new Violation("metadata", "expected an object, got " + describe(metadata), lines.line(root, "metadata"), true));
      return errors;
    }
    for (Map.Entry<?, ?> entry : meta.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      String path = "metadata." + key;
      int line = lines.line(meta, key);
      if (STRINGS.contains(key)) {
        if (value != null && !(value instanceof String)) {
          errors.add(new Violation(path, "expected a string, got " + describe(value), line, true));
        }
      } else if (INTEGERS.contains(key)) {
        if (value != null && !(value instanceof Long)) {
          errors.add(new Violation(path, "expected an integer, got " + describe(value), line, true));
        }
      } else if (STRING_MAPS.contains(key)) {
        stringMap(path, value, meta, key, lines, errors, "labels".equals(key));
      } else if (LISTS.contains(key)) {
        if (value != null && !(value instanceof List)) {
          errors.add(new Violation(path, "expected a list, got " + describe(value), line, true));
        }
      } else {
        String known = String.join(", ", List.of("name", "namespace", "labels", "annotations"));
        errors.add(new Violation(path, StructuralSchema.UNKNOWN_FIELD + hint(key, known), line, true));
      }
    }
    Object name = meta.get("name");
    if (name == null && meta.get("generateName") == null) {
      errors.add(new Violation("metadata.name", "required field is missing", lines.start(meta), true));
    } else if (name instanceof String text) {
      KubernetesSyntax.dns1123Subdomain(text).ifPresent(why ->
          errors.add(new Violation("metadata.name", KubernetesSyntax.quote(text) + " " + why, lines.line(meta, "name"), false)));
    }
    if (namespaced && meta.get("namespace") instanceof String namespace && !namespace.isEmpty()) {
      KubernetesSyntax.dns1123Label(namespace).ifPresent(why -> errors.add(new Violation("metadata.namespace",
          KubernetesSyntax.quote(namespace) + " " + why, lines.line(meta, "namespace"), false)));
    }
    return errors;
  }

  private static void stringMap(String path, Object value, Map<?, ?> meta, String key, SourceLines lines,
      List<Violation> errors, boolean labels) {
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> map)) {
      errors.add(new Violation(path, "expected a map of strings, got " + describe(value), lines.line(meta, key), true));
      return;
    }
    int bytes = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String k = String.valueOf(entry.getKey());
      String entryPath = path + "[" + k + "]";
      int line = lines.line(map, k);
      if (!(entry.getValue() instanceof String v)) {
        errors.add(new Violation(entryPath, "expected a string, got " + describe(entry.getValue())
            + (entry.getValue() instanceof Boolean || entry.getValue() instanceof Number ? " (quote it)" : ""), line, true));
        continue;
      }
      KubernetesSyntax.qualifiedName(k).ifPresent(why ->
          errors.add(new Violation(entryPath, "key " + KubernetesSyntax.quote(k) + " " + why, line, false)));
      if (labels) {
        KubernetesSyntax.labelValue(v).ifPresent(why ->
            errors.add(new Violation(entryPath, "value " + KubernetesSyntax.quote(v) + " " + why, line, false)));
      }
      bytes += k.getBytes(StandardCharsets.UTF_8).length + v.getBytes(StandardCharsets.UTF_8).length;
    }
    if (!labels && bytes > MAX_ANNOTATION_BYTES) {
      errors.add(new Violation(path, "annotations must total at most 256 KiB, got " + bytes + " bytes",
          lines.line(meta, key), false));
    }
  }

  private static String hint(String key, String known) {
    for (String candidate : List.of("name", "namespace", "labels", "annotations", "generateName", "finalizers")) {
      if (StructuralSchema.distance(key.toLowerCase(), candidate.toLowerCase()) <= 2) {
        return " (did you mean " + candidate + "?)";
      }
    }
    return " (known fields include " + known + ")";
  }
}
