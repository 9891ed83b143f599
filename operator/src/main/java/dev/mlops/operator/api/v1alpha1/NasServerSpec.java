package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** An administrator's approval of one NFS export: how it is mounted and which namespaces may use it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasServerSpec {

  private NfsExport nfs;

  @JsonPropertyDescription("in-tree (the PersistentVolume's nfs source) or csi (nfs.csi.k8s.io). Default in-tree.")
  private String driver;

  @JsonPropertyDescription("all-flash or hdd: the default mount options. Default all-flash.")
  private String profile;

  @JsonPropertyDescription("When given, replaces the profile's mount options entirely.")
  private List<String> mountOptions;

  @JsonPropertyDescription("Namespaces whose NasVolumes may use this export, by label; {} means every namespace.")
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
