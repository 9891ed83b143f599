package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** An administrator's approval of one NFS export: how it is mounted and which namespaces may use it. */
@JsonClassDescription("An NFS export the cluster admin approves: server address, export path, mount profile and which "
    + "namespaces may create NasVolumes on it. docs/storage.md lists every field.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasServerSpec {

  @Required
  @JsonPropertyDescription("The NFS server and the approved export root. Immutable.")
  private NfsExport nfs;

  @ValidationRule(value = NasRules.DRIVER_RULE, message = NasRules.DRIVER)
  @JsonPropertyDescription("in-tree (the PersistentVolume's nfs source) or csi (nfs.csi.k8s.io, which must be"
      + " installed). Default in-tree. Immutable.")
  private String driver;

  @ValidationRule(value = NasRules.PROFILE_RULE, message = NasRules.PROFILE)
  @JsonPropertyDescription("all-flash or hdd: the default mount options (docs/storage.md). Default all-flash.")
  private String profile;

  @Size(max = 64)
  @JsonPropertyDescription("When given (non-empty), replaces the profile's mount options entirely, e.g."
      + " [nfsvers=4.1, nconnect=8]. Changes reach the PersistentVolumes at once and a pod at its next mount.")
  private List<@Pattern(NasRules.MOUNT_OPTION_PATTERN) String> mountOptions;

  @Required
  @JsonPropertyDescription("Namespaces whose NasVolumes may use this export, by their labels; {} means every namespace.")
  private LabelSelector allowedNamespaces;

  public NfsExport getNfs() {
    return nfs;
  }

  public void setNfs(NfsExport nfs) {
    this.nfs = nfs;
  }

  public String getDriver() {
    return driver;
  }

  public void setDriver(String driver) {
    this.driver = driver;
  }

  public String getProfile() {
    return profile;
  }

  public void setProfile(String profile) {
    this.profile = profile;
  }

  public List<String> getMountOptions() {
    return mountOptions;
  }

  public void setMountOptions(List<String> mountOptions) {
    this.mountOptions = mountOptions;
  }

  public LabelSelector getAllowedNamespaces() {
    return allowedNamespaces;
  }

  public void setAllowedNamespaces(LabelSelector allowedNamespaces) {
    this.allowedNamespaces = allowedNamespaces;
  }
}
