package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the Pipeline compiled to, and whether it is in sync. */
@JsonClassDescription("What the operator compiled and observed, written by the operator only: the phase, the Argo "
    + "objects it keeps and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineStatus {

  @JsonPropertyDescription("Ready (compiled and in sync), Pending (waiting for Argo Workflows) or Invalid.")
  private String phase;

  @JsonPropertyDescription("Why the pipeline is in its phase, in one CamelCase word (kubectl get's Reason column): e.g. "
      + "InvalidSpec, ArgoWorkflowsNotInstalled, NameTaken, Compiled.")
  private String reason;

  @JsonPropertyDescription("The WorkflowTemplate each PipelineRun starts from.")
  private String workflowTemplate;

  @JsonPropertyDescription("The CronWorkflow of the schedules (the first, when schedules need several).")
  private String cronWorkflow;

  @JsonPropertyDescription("Every CronWorkflow, one per group of schedules with the same timezone and params.")
  private List<String> cronWorkflows;

  @JsonPropertyDescription("The memoization ConfigMap of the cached tasks.")
  private String cacheConfigMap;

  @JsonPropertyDescription("When a schedule last started a Workflow (from the CronWorkflows).")
  private String lastScheduleTime;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes; older than metadata.generation "
      + "while the operator has not yet acted on an edit.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid, ArgoWorkflowsAvailable and Ready.")
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getWorkflowTemplate() {
    return workflowTemplate;
  }

  public void setWorkflowTemplate(String workflowTemplate) {
    this.workflowTemplate = workflowTemplate;
  }

  public String getCronWorkflow() {
    return cronWorkflow;
  }

  public void setCronWorkflow(String cronWorkflow) {
    this.cronWorkflow = cronWorkflow;
  }

  public List<String> getCronWorkflows() {
    return cronWorkflows;
  }

  public void setCronWorkflows(List<String> cronWorkflows) {
    this.cronWorkflows = cronWorkflows;
  }

  public String getCacheConfigMap() {
    return cacheConfigMap;
  }

  public void setCacheConfigMap(String cacheConfigMap) {
    this.cacheConfigMap = cacheConfigMap;
  }

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
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
    return o instanceof PipelineStatus other && Objects.equals(reason, other.reason) &&
        Objects.equals(phase, other.phase) &&
        Objects.equals(workflowTemplate, other.workflowTemplate) && Objects.equals(cronWorkflow, other.cronWorkflow) &&
        Objects.equals(cronWorkflows, other.cronWorkflows) && Objects.equals(cacheConfigMap, other.cacheConfigMap) &&
        Objects.equals(lastScheduleTime, other.lastScheduleTime) &&
        Objects.equals(observedGeneration, other.observedGeneration) && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, phase, workflowTemplate, cronWorkflow, cronWorkflows, cacheConfigMap, lastScheduleTime,
        observedGeneration, conditions);
  }
}
