package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A team's volume on an approved export: a path under the NasServer's export root, as a PV and a PVC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasVolumeSpec {

  @JsonPropertyDescription("Name of the (cluster-scoped) NasServer whose export this volume is on.")
  private String server;

  @JsonPropertyDescription("Relative to the NasServer's exportRoot; absolute paths and '..' are refused.")
  private String path;

  @JsonPropertyDescription("What the PersistentVolume advertises for matching, e.g. 10Ti. NFS does not enforce it.")
  private String capacity;

  @JsonPropertyDescription("true: ReadOnlyMany, mounted read-only; false: ReadWriteMany. Default true.")
  private Boolean readOnly;

  @JsonPropertyDescription("Retain or Delete: what happens to the PV and PVC objects when the NasVolume is deleted."
      + " The data on the NAS is never touched either way. Default Retain.")
  private String deletionPolicy;

  public String getServer() {
    return server;
  }

  public void setServer(String server) {
    this.server = server;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getCapacity() {
    return capacity;
  }

  public void setCapacity(String capacity) {
    this.capacity = capacity;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(Boolean readOnly) {
    this.readOnly = readOnly;
  }

  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(String deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
