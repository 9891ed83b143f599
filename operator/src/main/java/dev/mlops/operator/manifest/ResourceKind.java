package dev.mlops.operator.manifest;

import dev.mlops.operator.manifest.StructuralSchema.Violation;
import dev.mlops.operator.manifest.YamlTree.SourceLines;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kind the operator reads from files: its group, version and name, the Java class it binds to,
 * whether it is namespaced, and, for the operator's own kinds, the generated CRD whose schema the
 * reader applies. {@code extraChecks} holds what the API server checks beyond a schema (core kinds).
 */
public record ResourceKind(String group, String version, String kind, Class<? extends HasMetadata> type,
    boolean namespaced, String crdResource, ExtraChecks extraChecks) {

  /** Checks of a core kind that the API server makes and no CRD schema describes. */
  @FunctionalInterface
  public interface ExtraChecks {
    List<Violation> check(Map<String, Object> object, SourceLines lines);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "mlops.dev/v1alpha1 TrainingJob". */
  public String describe() {
    return apiVersion() + " " + kind;
  }

  /** The openAPIV3Schema of the generated CRD on the classpath; null for a core kind. */
  public StructuralSchema schema() {
    if (crdResource == null) {
      return null;
    }
    return SCHEMAS.computeIfAbsent(crdResource, ResourceKind::load);
  }

  private static final Map<String, StructuralSchema> SCHEMAS = new ConcurrentHashMap<>();

  private static StructuralSchema load(String resource) {
    try (InputStream in = ResourceKind.class.getClassLoader().getResourceAsStream(resource)) {
      CustomResourceDefinition crd = Serialization.unmarshal(Objects.requireNonNull(in, resource),
          CustomResourceDefinition.class);
      return new StructuralSchema(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
