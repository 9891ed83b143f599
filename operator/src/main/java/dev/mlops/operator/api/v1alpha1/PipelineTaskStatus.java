package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** One task of a run, from its Workflow node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineTaskStatus {

  @JsonPropertyDescription("The task's name in the Pipeline (spec.tasks[].name, or onExit).")
  private String name;

  @JsonPropertyDescription("Pending (not started), Running, Succeeded, Failed, Error, Skipped (its when did not hold) or"
      + " Omitted (an earlier task failed).")
  private String phase;

  @JsonPropertyDescription("When the task's first attempt started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the task's last attempt finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Argo's message for the task, e.g. the reason a container failed.")
  private String message;

  @JsonPropertyDescription("Its outputs came from the cache.")
  private Boolean cacheHit;

  @JsonPropertyDescription("Attempts so far, with retries.")
  private Integer attempts;

  @JsonPropertyDescription("A mapped task: items finished / items.")
  private String items;

  @JsonPropertyDescription("A training task: the TrainingJob it created.")
  private String trainingJob;

  @JsonPropertyDescription("Its output values.")
  private Map<String, String> outputs;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

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

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Boolean getCacheHit() {
    return cacheHit;
  }

  public void setCacheHit(Boolean cacheHit) {
    this.cacheHit = cacheHit;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public String getItems() {
    return items;
  }

  public void setItems(String items) {
    this.items = items;
  }

  public String getTrainingJob() {
    return trainingJob;
  }

  public void setTrainingJob(String trainingJob) {
    this.trainingJob = trainingJob;
  }

  public Map<String, String> getOutputs() {
    return outputs;
  }

  public void setOutputs(Map<String, String> outputs) {
    this.outputs = outputs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineTaskStatus other && Objects.equals(name, other.name) && Objects.equals(phase, other.phase) &&
        Objects.equals(startedAt, other.startedAt) && Objects.equals(finishedAt, other.finishedAt) &&
        Objects.equals(message, other.message) && Objects.equals(cacheHit, other.cacheHit) &&
        Objects.equals(attempts, other.attempts) && Objects.equals(items, other.items) &&
        Objects.equals(trainingJob, other.trainingJob) && Objects.equals(outputs, other.outputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, phase, startedAt, finishedAt, message, cacheHit, attempts, items, trainingJob, outputs);
  }
}
