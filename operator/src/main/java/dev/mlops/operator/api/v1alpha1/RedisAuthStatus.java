package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * Which password the servers and the bound jobs use, and a rotation in progress. Secrets are named
 * {@code <secret>@<resourceVersion>}: never a password or a hash of one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisAuthStatus {

  @JsonPropertyDescription("The Secret (name@resourceVersion) whose password every server accepts and bound jobs get.")
  private String appliedSecret;

  @JsonPropertyDescription("During a rotation: the Secret whose new password the servers are being given.")
  private String rotatingTo;

  @JsonPropertyDescription("When the current password rotation began (RFC 3339); the old password stops working "
      + "spec.auth.rotationGracePeriod after it.")
  private String rotationStartedAt;

  @JsonPropertyDescription("During a rotation: until when the old password is still accepted (spec.auth.rotationGracePeriod)"
      + "; then it is removed from every server.")
  private String oldPasswordAcceptedUntil;

  public String getAppliedSecret() {
    return appliedSecret;
  }

  public void setAppliedSecret(String appliedSecret) {
    this.appliedSecret = appliedSecret;
  }

  public String getRotatingTo() {
    return rotatingTo;
  }

  public void setRotatingTo(String rotatingTo) {
    this.rotatingTo = rotatingTo;
  }

  public String getRotationStartedAt() {
    return rotationStartedAt;
  }

  public void setRotationStartedAt(String rotationStartedAt) {
    this.rotationStartedAt = rotationStartedAt;
  }

  public String getOldPasswordAcceptedUntil() {
    return oldPasswordAcceptedUntil;
  }

  public void setOldPasswordAcceptedUntil(String oldPasswordAcceptedUntil) {
    this.oldPasswordAcceptedUntil = oldPasswordAcceptedUntil;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisAuthStatus other
        && Objects.equals(appliedSecret, other.appliedSecret)
        && Objects.equals(rotatingTo, other.rotatingTo)
        && Objects.equals(rotationStartedAt, other.rotationStartedAt)
        && Objects.equals(oldPasswordAcceptedUntil, other.oldPasswordAcceptedUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(appliedSecret, rotatingTo, rotationStartedAt, oldPasswordAcceptedUntil);
  }
}
