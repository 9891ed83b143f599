package dev.mlops.operator.api;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compact stand-in for what the Kubernetes API server does with a custom resource: defaulting,
 * structural-schema validation and the CEL rules ({@code x-kubernetes-validations}), transition
 * rules included. It covers the schema keywords a fabric8-generated CRD uses, not all of OpenAPI,
 * so the CRD's rules can be tested without a cluster.
 *
 * <p>Deliberate differences from the API server: unknown fields are reported instead of pruned (so a
 * typo in a test manifest cannot pass unnoticed), and there is no CEL cost budget.
 */
final class CrdSchemaValidator {

  /** One rejection. {@code rule} is the CEL rule that said no; null when a schema keyword did. */
  record Violation(String path, String message, String rule) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /** A rule of the CRD and the schema node it sits on ({@code [*]}: any item or map value). */
  record Rule(String path, String expression, String message) {}

  static final String ROOT = "<root>";
  static final String UNKNOWN_FIELD = "unknown field: not in the schema, the API server would prune it";
  /** The API server's own wording when schema errors stop it from running the CEL rules. */
  static final String RULES_NOT_CHECKED = "some validation rules were not checked because the object was"
      + " invalid; correct the existing errors to complete validation";

  /** Kubernetes treats a rule that mentions oldSelf as a transition rule: it only runs on update. */
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  /** Every object has these at the root, although the CRD's schema does not list them. */
  private static final Set<String> IMPLICIT_ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addCompilerLibraries(CelExtensions.strings())
      .addRuntimeLibraries(CelExtensions.strings())
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .build();

  private final JSONSchemaProps schema;
  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  /** Compiles every rule up front: a rule that does not compile is a broken CRD, not a rejection. */
  CrdSchemaValidator(JSONSchemaProps openApiV3Schema) {
    this.schema = openApiV3Schema;
    collectRules(openApiV3Schema, ROOT);
    for (Rule rule : rules) {
      programs.computeIfAbsent(rule.expression(), expression -> compile(rule));
    }
  }

  List<Rule> rules() {
    return List.copyOf(rules);
  }

  /** What {@code kubectl create} would be told; empty when the object is accepted. */
  List<Violation> validateCreate(Map<String, ?> manifest) {
    return validate(prepare(manifest), null);
  }

  /** What {@code kubectl apply} of {@code manifest} over the stored {@code old} would be told. */
  @SuppressWarnings("unchecked")
  List<Violation> validateUpdate(Map<String, ?> manifest, Map<String, ?> old) {
    Map<String, Object> updated = (Map<String, Object>) prepare(manifest);
    Map<String, Object> stored = (Map<String, Object>) prepare(old);
    // With the status subresource an update of the main resource keeps the stored status.
    updated.remove("status");
    if (stored.containsKey("status")) {
      updated.put("status", stored.get("status"));
    }
    return validate(updated, stored);
  }

  private List<Violation> validate(Object object, Object old) {
    List<Violation> errors = new ArrayList<>();
    boolean blocking = checkSchema(schema, object, ROOT, errors);
    if (blocking) {
      // Like the API server (hasBlockingErr in customresource/strategy.go): a missing, mistyped or
      // unsupported value stops CEL from running at all.
      errors.add(new Violation(ROOT, RULES_NOT_CHECKED, null));
      return errors;
    }
    checkRules(schema, rootView(object), old == null ? null : rootView(old), ROOT, errors);
    return errors;
  }

  // ---- structural schema ----------------------------------------------------------------------

  /**
   * Checks one node and its children against the schema. Returns true when an error is of a kind
   * the API server treats as blocking for CEL (required, type, enum, too many items).
   */
  private boolean checkSchema(JSONSchemaProps s, Object value, String path, List<Violation> errors) {
    if (!hasType(s, value)) {
      errors.add(new Violation(path, "Invalid type: must be " + typeName(s) + ", got " + describe(value), null));
      return true;
    }
    boolean blocking = false;
    if (s.getEnum() != null && !s.getEnum().isEmpty()
        && s.getEnum().stream().map(CrdSchemaValidator::plain).noneMatch(value::equals)) {
      errors.add(new Violation(path, "Unsupported value: " + describe(value), null));
      blocking = true;
    }
    if (value instanceof Number number) {
      double n = number.doubleValue();
      if (s.getMinimum() != null && n < s.getMinimum()) {
        errors.add(new Violation(path, "should be greater than or equal to " + s.getMinimum().longValue(), null));
      }
      if (s.getMaximum() != null && n > s.getMaximum()) {
        errors.add(new Violation(path, "should be less than or equal to " + s.getMaximum().longValue(), null));
      }
    }
    if (value instanceof String text && s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(text).find()) {
      errors.add(new Violation(path, "should match '" + s.getPattern() + "'", null));
    }
    if (value instanceof List<?> list) {
      if (s.getMinItems() != null && list.size() < s.getMinItems()) {
        errors.add(new Violation(path, "should have at least " + s.getMinItems() + " items", null));
      }
      if (s.getMaxItems() != null && list.size() > s.getMaxItems()) {
        errors.add(new Violation(path, "must have at most " + s.getMaxItems() + " items", null));
        blocking = true;
      }
      JSONSchemaProps items = s.getItems() == null ? null : s.getItems().getSchema();
      for (int i = 0; items != null && i < list.size(); i++) {
        blocking |= checkSchema(items, list.get(i), path + "[" + i + "]", errors);
      }
    }
    if (value instanceof Map<?, ?> map) {
      for (String required : s.getRequired() == null ? List.<String>of() : s.getRequired()) {
        if (!map.containsKey(required)) {
          errors.add(new Violation(childPath(s, path, required), "Required value", null));
          blocking = true;
        }
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = (String) entry.getKey();
        JSONSchemaProps child = childSchema(s, key);
        if (child != null) {
          blocking |= checkSchema(child, entry.getValue(), childPath(s, path, key), errors);
        } else if (!Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())
            && !(ROOT.equals(path) && IMPLICIT_ROOT_FIELDS.contains(key))) {
          errors.add(new Violation(childPath(s, path, key), UNKNOWN_FIELD, null));
        }
      }
    }
    return blocking;
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
      case "number" -> value instanceof Number;
      case "boolean" -> value instanceof Boolean;
      default -> false;
    };
  }

  private static String typeName(JSONSchemaProps s) {
    return Boolean.TRUE.equals(s.getXKubernetesIntOrString()) ? "integer or string" : s.getType();
  }

  private static String describe(Object value) {
    return value == null ? "null" : value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  // ---- CEL rules ------------------------------------------------------------------------------

  /**
   * Evaluates the rules of a node with {@code self} = its value, then those of its children. A
   * transition rule runs only when there is an old value at the same path (on update).
   */
  private void checkRules(JSONSchemaProps s, Object value, Object old, String path, List<Violation> errors) {
    for (ValidationRule rule : s.getXKubernetesValidations() == null ? List.<ValidationRule>of()
        : s.getXKubernetesValidations()) {
      boolean transition = OLD_SELF.matcher(rule.getRule()).find();
      if (transition && old == null) {
        continue;
      }
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", value);
      if (transition) {
        vars.put("oldSelf", old);
      }
      try {
        if (!Boolean.TRUE.equals(programs.get(rule.getRule()).eval(vars))) {
          errors.add(new Violation(path, messageOf(rule), rule.getRule()));
        }
      } catch (CelEvaluationException e) {
        errors.add(new Violation(path, "rule error: " + e.getMessage(), rule.getRule()));
      }
    }
    if (value instanceof Map<?, ?> map) {
      Map<?, ?> oldMap = old instanceof Map<?, ?> m ? m : Map.of();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = (String) entry.getKey();
        JSONSchemaProps child = childSchema(s, key);
        if (child != null) {
          checkRules(child, entry.getValue(), oldMap.get(key), childPath(s, path, key), errors);
        }
      }
    } else if (value instanceof List<?> list && s.getItems() != null && s.getItems().getSchema() != null) {
      // The API server pairs old and new list items only for listType map or set; this CRD has neither.
      for (int i = 0; i < list.size(); i++) {
        checkRules(s.getItems().getSchema(), list.get(i), null, path + "[" + i + "]", errors);
      }
    }
  }

  private static String messageOf(ValidationRule rule) {
    return rule.getMessage() != null ? rule.getMessage() : "failed rule: " + rule.getRule();
  }

  private void collectRules(JSONSchemaProps s, String path) {
    if (s.getXKubernetesValidations() != null) {
      s.getXKubernetesValidations().forEach(r -> rules.add(new Rule(path, r.getRule(), messageOf(r))));
    }
    if (s.getProperties() != null) {
      s.getProperties().forEach((key, child) -> collectRules(child, ROOT.equals(path) ? key : path + "." + key));
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      collectRules(s.getItems().getSchema(), path + "[*]");
    }
    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      collectRules(s.getAdditionalProperties().getSchema(), path + "[*]");
    }
  }

  private static CelRuntime.Program compile(Rule rule) {
    try {
      return CEL.createProgram(CEL.compile(rule.expression()).getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("CRD rule at " + rule.path() + " does not compile: " + rule.expression()
          + "\n" + e.getMessage(), e);
    }
  }

  /** At the root a rule sees apiVersion, kind, spec, status and only name and generateName of metadata. */
  @SuppressWarnings("unchecked")
  private static Object rootView(Object object) {
    Map<String, Object> view = new LinkedHashMap<>((Map<String, Object>) object);
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (view.get("metadata") instanceof Map<?, ?> m) {
      for (String key : List.of("name", "generateName")) {
        if (m.containsKey(key)) {
          metadata.put(key, m.get(key));
        }
      }
    }
    view.put("metadata", metadata);
    return view;
  }

  // ---- schema navigation, defaulting and value conversion --------------------------------------

  private static JSONSchemaProps childSchema(JSONSchemaProps s, String key) {
    if (s.getProperties() != null && s.getProperties().containsKey(key)) {
      return s.getProperties().get(key);
    }
    return s.getAdditionalProperties() == null ? null : s.getAdditionalProperties().getSchema();
  }

  /** {@code spec.nodes} for a property, {@code spec.resources.limits[cpu]} for a map entry, like kubectl. */
  private static String childPath(JSONSchemaProps s, String path, String key) {
    boolean property = s.getProperties() != null && s.getProperties().containsKey(key);
    if (!property && s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      return path + "[" + key + "]";
    }
    return ROOT.equals(path) ? key : path + "." + key;
  }

  /** A copy the API server would store: integers as Long (what CEL expects), defaults filled in. */
  private Object prepare(Map<String, ?> manifest) {
    Object copy = plain(manifest);
    applyDefaults(schema, copy);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static void applyDefaults(JSONSchemaProps s, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> object = (Map<String, Object>) map;
      if (s.getProperties() != null) {
        s.getProperties().forEach((key, child) -> {
          if (!object.containsKey(key) && child.getDefault() != null) {
            object.put(key, plain(child.getDefault()));
          }
        });
      }
      object.forEach((key, child) -> {
        JSONSchemaProps childSchema = childSchema(s, key);
        if (childSchema != null) {
          applyDefaults(childSchema, child);
        }
      });
    } else if (value instanceof List<?> list && s.getItems() != null && s.getItems().getSchema() != null) {
      list.forEach(item -> applyDefaults(s.getItems().getSchema(), item));
    }
  }

  /** Deep copy into mutable maps and lists, with every integer a Long and JSON nodes unwrapped. */
  private static Object plain(Object value) {
    if (value instanceof com.fasterxml.jackson.databind.JsonNode node) {
      return plain(Serialization.jsonMapper().convertValue(node, Object.class));
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(plain(item)));
      return copy;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.longValueExact();
    }
    return value;
  }
}
