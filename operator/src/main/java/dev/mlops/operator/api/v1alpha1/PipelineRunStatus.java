package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The run as its Workflow has it: phase, progress, times, message, and each task's. */
@JsonClassDescription("The run as Argo Workflows reports it, written by the operator only: the phase, progress, times, "
    + "each task's phase and outputs, the params used and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineRunStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Error (Argo's phases), or Invalid (params that do"
      + " not match the Pipeline; final). A finished run never runs"
      + " again.")
  private String phase;

  @JsonPropertyDescription("Why the run is in its phase, in one CamelCase word (kubectl get's Reason column): e.g. "
      + "InvalidSpec, InvalidParams, PipelineNotFound, PipelineInvalid, ArgoWorkflowsNotInstalled, "
      + "WorkflowCreated. status.message says more.")
  private String reason;

  @JsonPropertyDescription("The Workflow of this run (named after it).")
  private String workflow;

  @JsonPropertyDescription("The Pipeline's metadata.generation the Workflow was created from.")
  private Long pipelineGeneration;

  @JsonPropertyDescription("Every param's value the run was started with, defaults included.")
  private Map<String, String> params;

  @JsonPropertyDescription("Finished tasks / tasks, e.g. 2/5.")
  private String progress;

  @JsonPropertyDescription("When Argo started the run's Workflow (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the run's Workflow finished, successfully or not (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Why the run is in its phase, in words: Argo's message, or the operator's when it refused the "
      + "run.")
  private String message;

  @JsonPropertyDescription("One entry per task of the Pipeline that Argo has started, with its phase, times, attempts, "
      + "outputs and cache hit.")
  private List<PipelineTaskStatus> tasks;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes; older than metadata.generation "
      + "while the operator has not yet acted on an edit.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid, ArgoWorkflowsAvailable and Succeeded.")
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getWorkflow() {
    return workflow;
  }

  public void setWorkflow(String workflow) {
    this.workflow = workflow;
  }

  public Long getPipelineGeneration() {
    return pipelineGeneration;
  }

  public void setPipelineGeneration(Long pipelineGeneration) {
    this.pipelineGeneration = pipelineGeneration;
  }

  public Map<String, String> getParams() {
    return params;
  }

  public void setParams(Map<String, String> params) {
    this.params = params;
  }

  public String getProgress() {
    return progress;
  }

  public void setProgress(String progress) {
    this.progress = progress;
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

  public List<PipelineTaskStatus> getTasks() {
    return tasks;
  }

  public void setTasks(List<PipelineTaskStatus> tasks) {
    this.tasks = tasks;
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

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineRunStatus other && Objects.equals(reason, other.reason) &&
        Objects.equals(phase, other.phase) &&
        Objects.equals(workflow, other.workflow) && Objects.equals(pipelineGeneration, other.pipelineGeneration) &&
        Objects.equals(params, other.params) && Objects.equals(progress, other.progress) &&
        Objects.equals(startedAt, other.startedAt) && Objects.equals(finishedAt, other.finishedAt) &&
        Objects.equals(message, other.message) && Objects.equals(tasks, other.tasks) &&
        Objects.equals(observedGeneration, other.observedGeneration) && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, phase, workflow, pipelineGeneration, params, progress, startedAt, finishedAt, message, tasks,
        observedGeneration, conditions);
  }
}
