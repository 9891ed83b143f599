package dev.mlops.operator.nas;

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
      NasPaths.exportRootProblem(spec.getNfs().getExportRoot()).ifPresent(p ->
          errors.add("spec.nfs.exportRoot " + p + ", got " + KubernetesSyntax.quote(spec.getNfs().getExportRoot())));
    }
    if (spec.getDriver() != null && !DRIVERS.contains(spec.getDriver())) {
      errors.add("spec.driver must be in-tree or csi, got " + KubernetesSyntax.quote(spec.getDriver()));
    }
    if (spec.getProfile() != null && NasProfiles.of(spec.getProfile()).isEmpty()) {
      errors.add("spec.profile must be all-flash or hdd, got " + KubernetesSyntax.quote(spec.getProfile()));
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
    }
    return errors;
  }

  public static List<String> validateVolume(String name, NasVolumeSpec spec) {
    List<String> errors = new ArrayList<>();
    // The name is the claim's and a label value on the PV (at most 63 characters).
    KubernetesSyntax.dns1123Label(name).ifPresent(p -> errors.add("metadata.name " + p + " (it names the"
        + " PersistentVolumeClaim and labels the PersistentVolume), got " + KubernetesSyntax.quote(name)));
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
    NasPaths.volumePathProblem(spec.getPath()).ifPresent(p ->
        errors.add("spec.path " + p + ", got " + KubernetesSyntax.quote(spec.getPath())));
    if (spec.getCapacity() == null) {
      errors.add("spec.capacity is required, e.g. 10Ti (what the PersistentVolume advertises; NFS does not enforce it)");
    } else if (Quantities.amount(spec.getCapacity()).map(a -> a.compareTo(BigDecimal.ZERO) <= 0).orElse(true)) {
      errors.add("spec.capacity must be a positive quantity such as 10Ti, got " + KubernetesSyntax.quote(spec.getCapacity()));
    }
    if (spec.getDeletionPolicy() != null && !DELETION_POLICIES.contains(spec.getDeletionPolicy())) {
      errors.add("spec.deletionPolicy must be Retain or Delete, got " + KubernetesSyntax.quote(spec.getDeletionPolicy()));
    }
    return errors;
  }
}
