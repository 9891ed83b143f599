package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A team's volume on an approved export: a path under the NasServer's export root, as a PV and a PVC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = NasRules.BENCHMARK_WRITABLE_RULE, message = NasRules.BENCHMARK_WRITABLE)
@JsonClassDescription("A directory of an approved NasServer's export to mount in pods: path, capacity, access mode, "
    + "mount options and what happens to the PV and claim on deletion (never to the data). "
    + "docs/storage.md lists every field.")
public class NasVolumeSpec {

  @Required
  @Size(max = 253)
  @Pattern(NasRules.SERVER_PATTERN)
  @JsonPropertyDescription("Name of the (cluster-scoped) NasServer whose export this volume is on. Immutable.")
  private String server;

  @Required
  @Size(min = 1, max = 1024)
  @Pattern(NasRules.PATH_PATTERN)
  @ValidationRule(value = NasRules.PATH_RELATIVE_RULE, message = NasRules.PATH_RELATIVE)
  @ValidationRule(value = NasRules.PATH_DOTDOT_RULE, message = NasRules.PATH_DOTDOT)
  @ValidationRule(value = NasRules.PATH_SEGMENTS_RULE, message = NasRules.PATH_SEGMENTS)
  @JsonPropertyDescription("Relative to the NasServer's exportRoot, e.g. datasets/imagenet; absolute paths and '..'"
      + " are refused. Immutable.")
  private String path;

  @Required
  @Pattern(TrainingJobRules.QUANTITY_REGEX)
  @ValidationRule(value = NasRules.CAPACITY_POSITIVE_RULE, message = NasRules.CAPACITY_POSITIVE)
  @JsonPropertyDescription("What the PersistentVolume advertises for matching, e.g. 10Ti. NFS does not enforce it:"
      + " a pod can write until the export itself is full. Immutable.")
  private String capacity;

  @JsonPropertyDescription("true: ReadOnlyMany, mounted read-only; false: ReadWriteMany. Default true. Immutable.")
  private Boolean readOnly;

  @ValidationRule(value = NasRules.DELETION_POLICY_RULE, message = NasRules.DELETION_POLICY)
  @JsonPropertyDescription("Retain or Delete: whether the PV and PVC objects are deleted with the NasVolume (Delete"
      + " waits until no pod uses the claim). The data on the NAS is never touched either way. Default Retain.")
  private String deletionPolicy;

  @JsonPropertyDescription("A one-shot write and read throughput test of the volume (direct I/O), into status.benchmark.")
  private NasBenchmark benchmark;

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

  public NasBenchmark getBenchmark() {
    return benchmark;
  }

  public void setBenchmark(NasBenchmark benchmark) {
    this.benchmark = benchmark;
  }
}
