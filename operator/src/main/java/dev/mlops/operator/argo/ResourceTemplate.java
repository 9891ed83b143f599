package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A resource template: Argo creates {@code manifest} and waits until {@code successCondition} or
 * {@code failureCondition} holds on it; with {@code setOwnerReference} the Workflow owns it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceTemplate extends ArgoObject {

  private String action;
  private String manifest;
  private String successCondition;
  private String failureCondition;
  private Boolean setOwnerReference;

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = action;
  }

  public String getManifest() {
    return manifest;
  }

  public void setManifest(String manifest) {
    this.manifest = manifest;
  }

  public String getSuccessCondition() {
    return successCondition;
  }

  public void setSuccessCondition(String successCondition) {
    this.successCondition = successCondition;
  }

  public String getFailureCondition() {
    return failureCondition;
  }

  public void setFailureCondition(String failureCondition) {
    this.failureCondition = failureCondition;
  }

  public Boolean getSetOwnerReference() {
    return setOwnerReference;
  }

  public void setSetOwnerReference(Boolean setOwnerReference) {
    this.setOwnerReference = setOwnerReference;
  }
}
