package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where the workers keep checkpoints: a writable NasVolume mounted read-write at the same path in
 * every worker of every attempt, named by {@code CHECKPOINT_DIR}, so a restarted gang resumes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointSpec {

  public static final String DEFAULT_MOUNT_PATH = "/checkpoints";

  @Required
  @Size(max = 63)
  @Pattern(TrainingJobRules.DNS_LABEL_PATTERN)
  @JsonPropertyDescription("Name of a writable NasVolume (readOnly: false) in the TrainingJob's namespace.")
  private String nasVolume;

  @Size(max = 1024)
  @ValidationRule(value = TrainingJobRules.CHECKPOINT_SUB_PATH_RULE, message = TrainingJobRules.CHECKPOINT_SUB_PATH)
  @JsonPropertyDescription("Directory inside the volume (relative, no '..'). Default: the TrainingJob's name.")
  private String subPath;

  @Size(max = 1024)
  @ValidationRule(value = TrainingJobRules.CHECKPOINT_MOUNT_PATH_RULE, message = TrainingJobRules.CHECKPOINT_MOUNT_PATH)
  @JsonPropertyDescription("Absolute path in the worker container, set as CHECKPOINT_DIR. Default /checkpoints.")
  private String mountPath;

  public String getNasVolume() {
    return nasVolume;
  }

  public void setNasVolume(String nasVolume) {
    this.nasVolume = nasVolume;
  }

  public String getSubPath() {
    return subPath;
  }

  public void setSubPath(String subPath) {
    this.subPath = subPath;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public String mountPathOrDefault() {
    return mountPath == null ? DEFAULT_MOUNT_PATH : mountPath;
  }
}
