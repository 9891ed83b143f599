package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonClassDescription("What the operator observed, written by the operator only: the phase, the bound PersistentVolume "
    + "and claim, the last benchmark and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasVolumeStatus {

  @JsonPropertyDescription("Pending (not usable yet: the Ready condition says why), Bound (its claim is bound by"
      + " Kubernetes to its PersistentVolume), Lost (its PersistentVolume or claim is gone or bound elsewhere) or"
      + " Invalid (the spec is invalid: Valid=False names the field).")
  private String phase;

  @JsonPropertyDescription("Why the volume is in its phase, in one CamelCase word (kubectl get's Reason column): e.g. "
      + "InvalidSpec, NasServerNotFound, NamespaceNotAllowed, WaitingForBinding, Bound. The Ready "
      + "condition's message says more.")
  private String reason;

  @JsonPropertyDescription("The cluster-scoped PersistentVolume the operator created for this volume.")
  private String persistentVolumeName;

  @JsonPropertyDescription("The PersistentVolumeClaim pods mount (same name and namespace as the NasVolume).")
  private String persistentVolumeClaimName;

  @JsonPropertyDescription("The mount options of its PersistentVolume.")
  private List<String> mountOptions;

  @JsonPropertyDescription("The result of the last direct-I/O benchmark of this volume (spec.benchmark), when one ran.")
  private NasBenchmarkStatus benchmark;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes; older than metadata.generation "
      + "while the operator has not yet acted on an edit.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid, Ready, and Deleting while a deletion waits.")
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getPersistentVolumeName() {
    return persistentVolumeName;
  }

  public void setPersistentVolumeName(String persistentVolumeName) {
    this.persistentVolumeName = persistentVolumeName;
  }

  public String getPersistentVolumeClaimName() {
    return persistentVolumeClaimName;
  }

  public void setPersistentVolumeClaimName(String persistentVolumeClaimName) {
    this.persistentVolumeClaimName = persistentVolumeClaimName;
  }

  public List<String> getMountOptions() {
    return mountOptions;
  }

  public void setMountOptions(List<String> mountOptions) {
    this.mountOptions = mountOptions;
  }

  public NasBenchmarkStatus getBenchmark() {
    return benchmark;
  }

  public void setBenchmark(NasBenchmarkStatus benchmark) {
    this.benchmark = benchmark;
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

  /** A copy the planner may change without touching the cached object (the benchmark result is replaced, never edited). */
  public NasVolumeStatus copy() {
    NasVolumeStatus c = new NasVolumeStatus();
    c.phase = phase;
    c.reason = reason;
    c.persistentVolumeName = persistentVolumeName;
    c.persistentVolumeClaimName = persistentVolumeClaimName;
    c.mountOptions = mountOptions == null ? null : new ArrayList<>(mountOptions);
    c.benchmark = benchmark;
    c.observedGeneration = observedGeneration;
    c.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
    return c;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NasVolumeStatus other && Objects.equals(reason, other.reason)
        && Objects.equals(phase, other.phase)
        && Objects.equals(persistentVolumeName, other.persistentVolumeName)
        && Objects.equals(persistentVolumeClaimName, other.persistentVolumeClaimName)
        && Objects.equals(mountOptions, other.mountOptions) && Objects.equals(benchmark, other.benchmark)
        && Objects.equals(observedGeneration, other.observedGeneration) && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, phase, persistentVolumeName, persistentVolumeClaimName, mountOptions, benchmark,
        observedGeneration, conditions);
  }
}
