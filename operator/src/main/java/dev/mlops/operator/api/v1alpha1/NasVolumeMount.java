package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A NasVolume of the TrainingJob's namespace mounted into every worker (a dataset, say). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasVolumeMount {

  @Required
  @Size(max = 63)
  @Pattern(TrainingJobRules.DNS_LABEL_PATTERN)
  @JsonPropertyDescription("Name of a NasVolume in the TrainingJob's namespace. The job waits until it is Bound.")
  private String nasVolume;

  @Required
  @Size(max = 1024)
  @ValidationRule(value = TrainingJobRules.MOUNT_PATH_RULE, message = TrainingJobRules.MOUNT_PATH)
  @JsonPropertyDescription("Absolute path in the worker container, e.g. /data/imagenet.")
  private String mountPath;

  @Size(max = 1024)
  @ValidationRule(value = TrainingJobRules.SUB_PATH_RULE, message = TrainingJobRules.SUB_PATH)
  @JsonPropertyDescription("A directory inside the volume to mount instead of its root (relative, no '..').")
  private String subPath;

  @JsonPropertyDescription("Mount read-only. Default false; a read-only NasVolume is read-only whatever this says.")
  private Boolean readOnly;

  public String getNasVolume() {
    return nasVolume;
  }

  public void setNasVolume(String nasVolume) {
    this.nasVolume = nasVolume;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public String getSubPath() {
    return subPath;
  }

  public void setSubPath(String subPath) {
    this.subPath = subPath;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(Boolean readOnly) {
    this.readOnly = readOnly;
  }
}
