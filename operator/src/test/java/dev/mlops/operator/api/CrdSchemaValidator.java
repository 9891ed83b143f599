package dev.mlops.operator.api;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.mlops.operator.manifest.StructuralSchema;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A compact stand-in for what the Kubernetes API server does with a custom resource: defaulting,
 * structural-schema validation and the CEL rules ({@code x-kubernetes-validations}), transition
 * rules included. It covers the schema keywords a fabric8-generated CRD uses, not all of OpenAPI,
 * so the CRD's rules can be tested without a cluster.
 *
 * <p>The structural part is the operator's own {@link StructuralSchema}, the one its manifest reader
 * applies, so the wording is the operator's, not the API server's. Deliberate differences from the
 * API server: unknown fields are reported instead of pruned (so a typo in a test manifest cannot pass
 * unnoticed), and there is no CEL cost budget.
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

  static final String ROOT = StructuralSchema.ROOT;
  static final String UNKNOWN_FIELD = StructuralSchema.UNKNOWN_FIELD;
  /** The API server's own wording when schema errors stop it from running the CEL rules. */
  static final String RULES_NOT_CHECKED = "some validation rules were not checked because the object was"
      + " invalid; correct the existing errors to complete validation";

  /** Kubernetes treats a rule that mentions oldSelf as a transition rule: it only runs on update. */
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addCompilerLibraries(CelExtensions.strings())
      .addRuntimeLibraries(CelExtensions.strings())
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .build();

  private final JSONSchemaProps schema;
  private final StructuralSchema structuralSchema;
  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  /** Compiles every rule up front: a rule that does not compile is a broken CRD, not a rejection. */
  CrdSchemaValidator(JSONSchemaProps openApiV3Schema) {
    this.schema = openApiV3Schema;
    this.structuralSchema = new StructuralSchema(openApiV3Schema);
    collectRules(openApiV3Schema, ROOT);
    for (Rule rule : rules) {
      programs.computeIfAbsent(rule.expression(), expression -> compile(rule));
    }
    for (Rule message : messageExpressions) {
      programs.computeIfAbsent(message.expression(), expression -> compile(message));
    }
  }

  /** The rules' messageExpressions, compiled as the rules are (their text is what the API server answers). */
  private final List<Rule> messageExpressions = new ArrayList<>();

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
    List<StructuralSchema.Violation> structural = structuralSchema.validate(object, null);
    structural.forEach(v -> errors.add(new Violation(v.path(), v.message(), null)));
    if (StructuralSchema.blocking(structural)) {
      // Like the API server (hasBlockingErr in customresource/strategy.go): a missing, mistyped or
      // unsupported value stops CEL from running at all.
      errors.add(new Violation(ROOT, RULES_NOT_CHECKED, null));
      return errors;
    }
    checkRules(schema, rootView(object), old == null ? null : rootView(old), ROOT, errors);
    return errors;
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
          // As the API server: a messageExpression's text when it evaluates, the static message otherwise.
          String message = rule.getMessageExpression() == null ? messageOf(rule)
              : String.valueOf(programs.get(rule.getMessageExpression()).eval(vars));
          errors.add(new Violation(path, message, rule.getRule()));
        }
      } catch (CelEvaluationException e) {
        errors.add(new Violation(path, "rule error: " + e.getMessage(), rule.getRule()));
      }
    }
    if (value instanceof Map<?, ?> map) {
      Map<?, ?> oldMap = old instanceof Map<?, ?> m ? m : Map.of();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = (String) entry.getKey();
        JSONSchemaProps child = StructuralSchema.childSchema(s, key);
        if (child != null) {
          checkRules(child, entry.getValue(), oldMap.get(key), StructuralSchema.childPath(s, path, key), errors);
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
      s.getXKubernetesValidations().stream().filter(r -> r.getMessageExpression() != null)
          .forEach(r -> messageExpressions.add(new Rule(path, r.getMessageExpression(), null)));
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
        JSONSchemaProps childSchema = StructuralSchema.childSchema(s, key);
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
