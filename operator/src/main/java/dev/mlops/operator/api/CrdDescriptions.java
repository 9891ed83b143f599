package dev.mlops.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Fills in the descriptions the CRD generator leaves out, so that {@code kubectl explain} has a text for
 * every field:
 * <ul>
 *   <li>{@code spec} and {@code status}: the {@link JsonClassDescription} of the kind's spec and status
 *       classes (the fields live in fabric8's {@link CustomResource}, where no annotation can reach);</li>
 *   <li>the Kubernetes types a kind embeds (EnvVar, Affinity, Toleration, Condition...): the upstream
 *       descriptions, from {@code k8s-field-descriptions.json}, which
 *       {@code testcluster/k8s-field-descriptions.py} extracts from Kubernetes' published OpenAPI.</li>
 * </ul>
 * A description already in the schema (ours, from {@code @JsonPropertyDescription}) is kept.
 */
final class CrdDescriptions {

  private static final String FABRIC8_MODEL = "io.fabric8.kubernetes.api.model";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNode KUBERNETES_TYPES = load();

  private CrdDescriptions() {}

  static void describe(ObjectNode root, Class<?> kind) {
    Type generic = kind.getGenericSuperclass();
    if (!(generic instanceof ParameterizedType parameterized) || !CustomResource.class.equals(parameterized.getRawType())) {
      return;
    }
    Type[] arguments = parameterized.getActualTypeArguments();
    describeTopLevel(root, "spec", (Class<?>) arguments[0]);
    describeTopLevel(root, "status", (Class<?>) arguments[1]);
  }

  private static void describeTopLevel(ObjectNode root, String field, Class<?> type) {
    JsonNode schema = root.path("properties").path(field);
    if (!(schema instanceof ObjectNode node)) {
      return;
    }
    JsonClassDescription text = type.getAnnotation(JsonClassDescription.class);
    if (text != null && !node.has("description")) {
      node.put("description", text.value());
    }
    describeOwn(node, MAPPER.constructType(type));
  }

  /** Walks one of our API classes alongside its schema, down to the Kubernetes types it embeds. */
  private static void describeOwn(ObjectNode schema, JavaType type) {
    JsonNode properties = schema.path("properties");
    for (BeanPropertyDefinition property : MAPPER.getSerializationConfig().introspect(type).findProperties()) {
      if (properties.path(property.getName()) instanceof ObjectNode child) {
        describeValue(child, property.getPrimaryType());
      }
    }
  }

  private static void describeValue(ObjectNode schema, JavaType type) {
    if (type.isCollectionLikeType() || type.isArrayType()) {
      if (schema.path("items") instanceof ObjectNode items) {
        describeValue(items, type.getContentType());
      }
      return;
    }
    if (type.isMapLikeType()) {
      if (schema.path("additionalProperties") instanceof ObjectNode values) {
        describeValue(values, type.getContentType());
      }
      return;
    }
    Class<?> raw = type.getRawClass();
    if (raw.getPackageName().startsWith(CrdDescriptions.class.getPackageName())) {
      describeOwn(schema, type);
    } else if (raw.getPackageName().equals(FABRIC8_MODEL)) {
      describeKubernetes(schema, raw.getSimpleName());
    }
  }

  /** Fills the schema of Kubernetes type {@code name} (its fields, recursively) from the upstream texts. */
  private static void describeKubernetes(ObjectNode schema, String name) {
    JsonNode definition = KUBERNETES_TYPES.path(name);
    if (definition.isMissingNode()) {
      return;
    }
    if (!schema.has("description") && !definition.path("description").asText().isEmpty()) {
      schema.put("description", definition.path("description").asText());
    }
    schema.path("properties").fields().forEachRemaining(field -> {
      JsonNode upstream = definition.path("properties").path(field.getKey());
      if (!(field.getValue() instanceof ObjectNode child) || upstream.isMissingNode()) {
        return;
      }
      if (!child.has("description") && !upstream.path("description").asText().isEmpty()) {
        child.put("description", upstream.path("description").asText());
      }
      String nested = upstream.path("type").asText(null);
      if (nested != null) {
        ObjectNode target = child;
        if (child.path("items") instanceof ObjectNode items) {
          target = items;
        } else if (child.path("additionalProperties") instanceof ObjectNode values) {
          target = values;
        }
        describeKubernetes(target, nested);
      }
    });
  }

  private static JsonNode load() {
    try (InputStream in = CrdDescriptions.class.getResourceAsStream("k8s-field-descriptions.json")) {
      if (in == null) {
        throw new IllegalStateException("k8s-field-descriptions.json missing from the classpath");
      }
      return MAPPER.readTree(in).path("types");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
