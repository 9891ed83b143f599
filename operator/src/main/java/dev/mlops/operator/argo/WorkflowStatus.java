package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** What the Argo controller writes of a Workflow's progress: its phase, times, message and one node per step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowStatus extends ArgoObject {

  private String phase;
  private String startedAt;
  private String finishedAt;
  private String progress;
  private String message;
  private Map<String, NodeStatus> nodes;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
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

  public String getProgress() {
    return progress;
  }

  public void setProgress(String progress) {
    this.progress = progress;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Map<String, NodeStatus> getNodes() {
    return nodes;
  }

  public void setNodes(Map<String, NodeStatus> nodes) {
    this.nodes = nodes;
  }
}
