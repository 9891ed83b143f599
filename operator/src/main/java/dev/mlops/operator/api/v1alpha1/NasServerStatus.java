package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonClassDescription("What the operator observed, written by the operator only: how many NasVolumes use this export, "
    + "and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasServerStatus {

  @JsonPropertyDescription("Ready (the export can be used) or Invalid (the spec is invalid: see the Valid condition).")
  private String phase;

  @JsonPropertyDescription("Why the server is in its phase, in one CamelCase word: SpecValid or InvalidSpec.")
  private String reason;

  @JsonPropertyDescription("NasVolumes that name this server, in any namespace and phase.")
  private Integer volumes;

  @JsonPropertyDescription("The profile in effect: spec.profile (default all-flash), or custom when spec.mountOptions"
      + " replaces it.")
  private String profile;

  @JsonPropertyDescription("The mount options its volumes get: the profile's, or spec.mountOptions when given.")
  private List<String> mountOptions;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes; older than metadata.generation "
      + "while the operator has not yet acted on an edit.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid: the spec is usable (otherwise its volumes wait, and the message says why).")
  private List<Condition> conditions = new ArrayList<>();

  public Integer getVolumes() {
    return volumes;
  }

  public void setVolumes(Integer volumes) {
    this.volumes = volumes;
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

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** A copy the planner may change without touching the cached object. */
  public NasServerStatus copy() {
    NasServerStatus c = new NasServerStatus();
    c.phase = phase;
    c.reason = reason;
    c.volumes = volumes;
    c.profile = profile;
    c.mountOptions = mountOptions == null ? null : new ArrayList<>(mountOptions);
    c.observedGeneration = observedGeneration;
    c.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
    return c;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NasServerStatus other && Objects.equals(phase, other.phase)
        && Objects.equals(reason, other.reason) && Objects.equals(volumes, other.volumes)
        && Objects.equals(profile, other.profile)
        && Objects.equals(mountOptions, other.mountOptions) && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, reason, volumes, profile, mountOptions, observedGeneration, conditions);
  }
}
