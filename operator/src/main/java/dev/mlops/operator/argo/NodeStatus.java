package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One node of a Workflow's status: a DAG task (named {@code <workflow>.<task>}), a retry of it, one
 * item of a mapped task ({@code <workflow>.<task>(0:a)}), or the exit handler ({@code <workflow>.onExit}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatus extends ArgoObject {

  private String id;
  private String name;
  private String displayName;
  private String type;
  private String templateName;
  private String phase;
  private String boundaryID;
  private String startedAt;
  private String finishedAt;
  private String message;
  private List<String> children;
  private Arguments outputs;
  private MemoizationStatus memoizationStatus;

  /** Whether the node's outputs came from the memoization cache. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MemoizationStatus extends ArgoObject {

    private Boolean hit;
    private String key;
    private String cacheName;

    public Boolean getHit() {
      return hit;
    }

    public void setHit(Boolean hit) {
      this.hit = hit;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getCacheName() {
      return cacheName;
    }

    public void setCacheName(String cacheName) {
      this.cacheName = cacheName;
    }
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getTemplateName() {
    return templateName;
  }

  public void setTemplateName(String templateName) {
    this.templateName = templateName;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getBoundaryID() {
    return boundaryID;
  }

  public void setBoundaryID(String boundaryID) {
    this.boundaryID = boundaryID;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<String> getChildren() {
    return children;
  }

  public void setChildren(List<String> children) {
    this.children = children;
  }

  public Arguments getOutputs() {
    return outputs;
  }

  public void setOutputs(Arguments outputs) {
    this.outputs = outputs;
  }

  public MemoizationStatus getMemoizationStatus() {
    return memoizationStatus;
  }

  public void setMemoizationStatus(MemoizationStatus memoizationStatus) {
    this.memoizationStatus = memoizationStatus;
  }
}
