package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasRules;
import dev.mlops.operator.common.LabelSelectors;
import java.util.Optional;

import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import dev.mlops.operator.api.v1alpha1.NasVolumeSpec;
import dev.mlops.operator.common.KubernetesSyntax;
import dev.mlops.operator.common.Quantities;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a NasServer's or a NasVolume's spec must be, each problem one line naming the field and the
 * value: what the controller will report as {@code Valid=False} and {@code render} as exit 2, and what
 * the CRDs' schema and CEL rules will refuse on the API server where they can.
 */
public final class NasValidator {

  private NasValidator() {}

  static final Set<String> DRIVERS = Set.of(NasVolumeResources.DRIVER_IN_TREE, NasVolumeResources.DRIVER_CSI);
  static final Set<String> DELETION_POLICIES = Set.of("Retain", "Delete");

  public static List<String> validateServer(NasServerSpec spec) {
    List<String> errors = new ArrayList<>();
    if (spec == null) {
      errors.add("spec is required");
      return errors;
    }
    if (spec.getNfs() == null) {
      errors.add("spec.nfs is required (server and exportRoot)");
    } else {
      String server = spec.getNfs().getServer();
      if (server == null || server.isBlank()) {
        errors.add("spec.nfs.server is required: the NFS server's host name or IP address");
      } else if (!server.matches("[A-Za-z0-9]([-A-Za-z0-9.:\\[\\]]*[A-Za-z0-9\\]])?")) {
        errors.add("spec.nfs.server must be a host name or an IP address, got " + KubernetesSyntax.quote(server));
      }
      String root = spec.getNfs().getExportRoot();
      if (root == null) {
        errors.add("spec.nfs.exportRoot is required: the absolute path of the approved export");
      } else if (!root.startsWith("/")) {
        errors.add(NasRules.EXPORT_ROOT_ABSOLUTE + ", got " + KubernetesSyntax.quote(root));
      } else if (NasPaths.exportRootProblem(root).isPresent()) {
        errors.add(NasRules.EXPORT_ROOT_DOTS + ", got " + KubernetesSyntax.quote(root));
      }
    }
    if (spec.getDriver() != null && !DRIVERS.contains(spec.getDriver())) {
      errors.add(NasRules.DRIVER + ", got " + KubernetesSyntax.quote(spec.getDriver()));
    }
    if (spec.getProfile() != null && NasProfiles.of(spec.getProfile()).isEmpty()) {
      errors.add(NasRules.PROFILE + ", got " + KubernetesSyntax.quote(spec.getProfile()));
    }
    if (spec.getMountOptions() != null) {
      for (int i = 0; i < spec.getMountOptions().size(); i++) {
        String option = spec.getMountOptions().get(i);
        if (option == null || option.isBlank() || option.contains(",") || option.chars().anyMatch(Character::isWhitespace)) {
          errors.add("spec.mountOptions[" + i + "] must be one mount option without ',' or spaces, got "
              + KubernetesSyntax.quote(option));
        }
      }
    }
    if (spec.getAllowedNamespaces() == null) {
      errors.add("spec.allowedNamespaces is required: a label selector of the namespaces that may use this export"
          + " ({} for every namespace)");
    } else {
      LabelSelectors.problem(spec.getAllowedNamespaces(), "spec.allowedNamespaces").ifPresent(errors::add);
    }
    return errors;
  }

  public static List<String> validateVolume(String name, NasVolumeSpec spec) {
    List<String> errors = new ArrayList<>();
    // The name is the claim's and a label value on the PV (at most 63 characters).
    if (KubernetesSyntax.dns1123Label(name).isPresent()) {
      errors.add(NasRules.VOLUME_NAME + ", got " + KubernetesSyntax.quote(name));
    }
    if (spec == null) {
      errors.add("spec is required");
      return errors;
    }
    if (spec.getServer() == null) {
      errors.add("spec.server is required: the name of a NasServer");
    } else {
      KubernetesSyntax.dns1123Subdomain(spec.getServer()).ifPresent(p ->
          errors.add("spec.server " + p + ", got " + KubernetesSyntax.quote(spec.getServer())));
    }
    String path = spec.getPath();
    Optional<String> pathProblem = NasPaths.volumePathProblem(path);
    if (path == null) {
      errors.add("spec.path is required: a directory relative to the NasServer's exportRoot");
    } else if (pathProblem.isPresent()) {
      String p = pathProblem.get();
      String rule = p.contains("absolute") ? NasRules.PATH_RELATIVE : p.contains("'..'") ? NasRules.PATH_DOTDOT
          : p.contains("segments") ? NasRules.PATH_SEGMENTS : "spec.path " + p;
      errors.add(rule + ", got " + KubernetesSyntax.quote(path));
    }
    if (spec.getCapacity() == null) {
      errors.add("spec.capacity is required, e.g. 10Ti (what the PersistentVolume advertises; NFS does not enforce it)");
    } else if (Quantities.amount(spec.getCapacity()).map(a -> a.compareTo(BigDecimal.ZERO) <= 0).orElse(true)) {
      errors.add(NasRules.CAPACITY_POSITIVE + ", got " + KubernetesSyntax.quote(spec.getCapacity()));
    }
    if (spec.getDeletionPolicy() != null && !DELETION_POLICIES.contains(spec.getDeletionPolicy())) {
      errors.add(NasRules.DELETION_POLICY + ", got " + KubernetesSyntax.quote(spec.getDeletionPolicy()));
    }
    var bench = spec.getBenchmark();
    if (bench != null && bench.getSizeMiB() != null
        && (bench.getSizeMiB() < 1 || bench.getSizeMiB() > NasRules.MAX_BENCHMARK_MIB)) {
      errors.add("spec.benchmark.sizeMiB must be between 1 and " + NasRules.MAX_BENCHMARK_MIB + ", got " + bench.getSizeMiB());
    }
    if (bench != null && bench.getRunId() != null && bench.getRunId().length() > 63) {
      errors.add("spec.benchmark.runId must be at most 63 characters, got " + bench.getRunId().length());
    }
    if (bench != null && bench.enabled() && NasVolumeResources.readOnly(spec)) {
      errors.add(NasRules.BENCHMARK_WRITABLE);
    }
    return errors;
  }
}
