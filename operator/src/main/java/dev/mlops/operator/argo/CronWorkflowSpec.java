package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A CronWorkflow's schedules (Argo 3.6+: a list), their time zone, what overlapping runs do, and the Workflow to start. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CronWorkflowSpec extends ArgoObject {

  private List<String> schedules;
  private String timezone;
  private String concurrencyPolicy;
  private Boolean suspend;
  private Integer successfulJobsHistoryLimit;
  private Integer failedJobsHistoryLimit;
  private WorkflowSpec workflowSpec;
  private Metadata workflowMetadata;

  /** This spec with every field the operator models taken from {@code desired}; the rest is kept. */
  public CronWorkflowSpec withModelledFieldsOf(CronWorkflowSpec desired) {
    schedules = desired.schedules;
    timezone = desired.timezone;
    concurrencyPolicy = desired.concurrencyPolicy;
    suspend = desired.suspend;
    workflowSpec = workflowSpec == null ? desired.workflowSpec : workflowSpec.withModelledFieldsOf(desired.workflowSpec);
    workflowMetadata = desired.workflowMetadata;
    return this;
  }

  public List<String> getSchedules() {
    return schedules;
  }

  public void setSchedules(List<String> schedules) {
    this.schedules = schedules;
  }

  public String getTimezone() {
    return timezone;
  }

  public void setTimezone(String timezone) {
    this.timezone = timezone;
  }

  public String getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(String concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public Integer getSuccessfulJobsHistoryLimit() {
    return successfulJobsHistoryLimit;
  }

  public void setSuccessfulJobsHistoryLimit(Integer successfulJobsHistoryLimit) {
    this.successfulJobsHistoryLimit = successfulJobsHistoryLimit;
  }

  public Integer getFailedJobsHistoryLimit() {
    return failedJobsHistoryLimit;
  }

  public void setFailedJobsHistoryLimit(Integer failedJobsHistoryLimit) {
    this.failedJobsHistoryLimit = failedJobsHistoryLimit;
  }

  public WorkflowSpec getWorkflowSpec() {
    return workflowSpec;
  }

  public void setWorkflowSpec(WorkflowSpec workflowSpec) {
    this.workflowSpec = workflowSpec;
  }

  public Metadata getWorkflowMetadata() {
    return workflowMetadata;
  }

  public void setWorkflowMetadata(Metadata workflowMetadata) {
    this.workflowMetadata = workflowMetadata;
  }
}
