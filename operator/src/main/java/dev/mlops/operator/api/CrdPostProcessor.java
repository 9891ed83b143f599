package dev.mlops.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A build step after the CRD generator, for what the generator cannot say itself:
 * <ul>
 *   <li>each kind's {@code kubectl get} columns in the order its {@link AdditionalPrinterColumn}
 *       annotations are declared (the generator sorts them by JSON path);</li>
 *   <li>a description on every field ({@link CrdDescriptions}: {@code spec}, {@code status} and the
 *       Kubernetes types a kind embeds), so {@code kubectl explain} describes each one;</li>
 *   <li>integer bounds written as integers ({@code maximum: 2147483647}, not {@code 2.147483647E9}, which
 *       YAML 1.1 readers such as PyYAML take for a string).</li>
 * </ul>
 *
 * <p>Run by the build (exec-maven-plugin, process-classes):
 * {@code CrdPostProcessor <generated CRD dir> [<copy to dir>]}.
 */
public final class CrdPostProcessor {

  /** Every kind's class, from the one registration ({@link dev.mlops.operator.kind.Kinds#ALL}). */
  public static final List<Class<? extends HasMetadata>> KINDS = dev.mlops.operator.kind.Kinds.ALL.stream()
      .<Class<? extends HasMetadata>>map(dev.mlops.operator.kind.Kind::type).toList();

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private CrdPostProcessor() {}

  public static void main(String[] args) throws IOException {
    Path generated = Path.of(args[0]);
    Path copyTo = args.length > 1 && args[1] != null && !args[1].isBlank() ? Path.of(args[1]) : null;
    List<Path> files;
    try (var listing = Files.list(generated)) {
      files = listing.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
    }
    for (Path file : files) {
      CustomResourceDefinition crd = SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      String kind = crd.getSpec().getNames().getKind();
      Class<? extends HasMetadata> type = KINDS.stream().filter(k -> HasMetadata.getKind(k).equals(kind)).findFirst()
          .orElseThrow(() -> new IllegalStateException(file.getFileName() + ": register " + kind
              + " in Kinds.ALL so its CRD is post-processed (column order, descriptions, integer bounds)"));
      String yaml = SERIALIZATION.asYaml(processed(crd, type));
      Files.writeString(file, yaml);
      if (copyTo != null) {
        Files.writeString(copyTo.resolve(file.getFileName()), yaml);
      }
    }
  }

  /** The generated CRD of {@code kind} with every step applied, as a tree ready to write. */
  static JsonNode processed(CustomResourceDefinition crd, Class<? extends HasMetadata> kind) {
    ObjectNode tree = new ObjectMapper().valueToTree(SERIALIZATION.convertValue(ordered(crd, kind), Map.class));
    for (JsonNode version : tree.path("spec").path("versions")) {
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      if (schema instanceof ObjectNode root) {
        CrdDescriptions.describe(root, kind);
        CrdIntegerBounds.writeAsIntegers(root);
      }
    }
    return tree;
  }

  /** The CRD with every version's printer columns in the kind's declared order. */
  static CustomResourceDefinition ordered(CustomResourceDefinition crd, Class<?> kind) {
    List<String> declared = new ArrayList<>();
    for (AdditionalPrinterColumn column : kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      declared.add(column.name());
    }
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns != null) {
        columns.sort(Comparator.comparingInt(c -> {
          int at = declared.indexOf(c.getName());
          return at < 0 ? declared.size() : at;
        }));
      }
    }
    return crd;
  }
}
