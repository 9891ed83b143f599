package dev.mlops.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A build step after the CRD generator: puts each kind's {@code kubectl get} columns in the order its
 * {@link AdditionalPrinterColumn} annotations are declared. The generator sorts them by JSON path,
 * which would show {@code AGE NODES PRODUCT GPUS PHASE RESTARTS} instead of the order users asked for.
 *
 * <p>Run by the build (exec-maven-plugin, process-classes):
 * {@code PrinterColumnOrder <generated CRD dir> [<copy to dir>]}.
 */
public final class PrinterColumnOrder {

  /** Every kind whose CRD the build generates. */
  /** Every kind's class, from the one registration ({@link dev.mlops.operator.kind.Kinds#ALL}). */
  public static final List<Class<? extends HasMetadata>> KINDS = dev.mlops.operator.kind.Kinds.ALL.stream()
      .<Class<? extends HasMetadata>>map(dev.mlops.operator.kind.Kind::type).toList();

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    Path generated = Path.of(args[0]);
    Path copyTo = args.length > 1 && args[1] != null && !args[1].isBlank() ? Path.of(args[1]) : null;
    List<Path> files;
    try (var listing = Files.list(generated)) {
      files = listing.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
    }
    for (Path file : files) {
      CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      String kind = crd.getSpec().getNames().getKind();
      Class<?> type = KINDS.stream().filter(k -> HasMetadata.getKind(k).equals(kind)).findFirst()
          .orElseThrow(() -> new IllegalStateException(file.getFileName() + ": register " + kind
              + " in Kinds.ALL so its kubectl columns keep their declared order"));
      String yaml = Serialization.asYaml(ordered(crd, type));
      Files.writeString(file, yaml);
      if (copyTo != null) {
        Files.writeString(copyTo.resolve(file.getFileName()), yaml);
      }
    }
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
