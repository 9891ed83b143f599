package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Password auth of the default user. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisAuth {

  @JsonPropertyDescription("Require a password (default true).")
  private Boolean enabled;

  @Size(max = 253)
  @Pattern(RedisRules.SECRET_NAME_PATTERN)
  @JsonPropertyDescription("A Secret of the instance's namespace whose key 'password' is the password; empty: the"
      + " operator generates <name>-auth once and never overwrites it.")
  private String existingSecret;

  @io.fabric8.generator.annotation.Pattern(RedisRules.DURATION_PATTERN)
  @JsonPropertyDescription("After a password change (a new existingSecret, or the Secret's password rotated), how long the"
      + " old password is still accepted, e.g. 10m (default): bound workers started before it must reconnect with the new"
      + " one within it.")
  private String rotationGracePeriod;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getExistingSecret() {
    return existingSecret;
  }

  public void setExistingSecret(String existingSecret) {
    this.existingSecret = existingSecret;
  }

  public String getRotationGracePeriod() {
    return rotationGracePeriod;
  }

  public void setRotationGracePeriod(String rotationGracePeriod) {
    this.rotationGracePeriod = rotationGracePeriod;
  }
}
