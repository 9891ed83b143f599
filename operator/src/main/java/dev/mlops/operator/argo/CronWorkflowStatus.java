package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the Argo controller writes of a CronWorkflow: when it last started a Workflow. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CronWorkflowStatus extends ArgoObject {

  private String lastScheduledTime;

  public String getLastScheduledTime() {
    return lastScheduledTime;
  }

  public void setLastScheduledTime(String lastScheduledTime) {
    this.lastScheduledTime = lastScheduledTime;
  }
}
