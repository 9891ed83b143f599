package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a Redis server keeps its data across restarts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = RedisRules.PERSISTENCE_SIZE_RULE, message = RedisRules.PERSISTENCE_SIZE)
public class RedisPersistence {

  @Required
  @ValidationRule(value = RedisRules.PERSISTENCE_MODE_RULE, message = RedisRules.PERSISTENCE_MODE)
  @JsonPropertyDescription("none: memory only (a restarted server is empty); rdb: snapshots (writes since the last"
      + " snapshot are lost on a crash); aof: append-only file with fsync every second (about one second is lost).")
  private String mode;

  @Pattern(TrainingJobRules.QUANTITY_REGEX)
  @JsonPropertyDescription("Size of each server's PersistentVolumeClaim, e.g. 20Gi. Immutable.")
  private String size;

  @Size(max = 253)
  @JsonPropertyDescription("StorageClass of the claims; the cluster's default when empty. Immutable.")
  private String storageClassName;

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }
}
