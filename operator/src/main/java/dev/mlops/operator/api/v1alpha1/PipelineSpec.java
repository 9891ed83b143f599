package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Typed params, the tasks and their dependencies, what every task mounts, the exit handler and the schedules. */
@JsonClassDescription("A typed pipeline: its params, its tasks (containers or TrainingJobs) with their dependencies, "
    + "retries, caching, maps and conditions, an exit handler and cron schedules; compiled to an Argo "
    + "WorkflowTemplate and CronWorkflows. docs/pipelines.md lists every field.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineSpec {

  @Size(max = PipelineRules.MAX_PARAMS)
  @JsonPropertyDescription("Typed inputs of every run: string, int, float, bool or json, with an optional default and"
      + " enum. Referenced as {{params.<name>}}.")
  private List<PipelineParam> params;

  @Size(max = 16)
  @JsonPropertyDescription("NasVolumes of the pipeline's namespace mounted into every task (and the exit handler).")
  private List<NasVolumeMount> volumes;

  @Size(max = 8)
  @JsonPropertyDescription("RedisInstances every task gets the address of (REDIS_HOST, _PORT, _URL); training tasks bind"
      + " them like a TrainingJob's spec.redis, password included.")
  private List<RedisBinding> redis;

  @Required
  @Size(min = 1, max = PipelineRules.MAX_TASKS)
  @JsonPropertyDescription("The tasks, a DAG through dependsOn.")
  private List<PipelineTask> tasks;

  @JsonPropertyDescription("A container that runs after every run, whatever its outcome ({{run.status}} says it).")
  private PipelineExit onExit;

  @Size(max = PipelineRules.MAX_SCHEDULES)
  @JsonPropertyDescription("Cron schedules; schedules with the same timezone, params and suspend share one"
      + " CronWorkflow.")
  private List<PipelineSchedule> schedules;

  @ValidationRule(value = PipelineRules.CONCURRENCY_RULE, message = PipelineRules.CONCURRENCY)
  @JsonPropertyDescription("What a scheduled run does while the previous one still runs: Allow (default), Forbid (it"
      + " is skipped) or Replace (the running one is stopped). PipelineRuns created by hand always run.")
  private String concurrencyPolicy;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The service account of the workflow pods; default mlops-pipeline-runner (the chart creates"
      + " it, with the Role training tasks and Argo's executor need, in pipelines.namespaces).")
  private String serviceAccountName;

  public List<PipelineParam> getParams() {
    return params;
  }

  public void setParams(List<PipelineParam> params) {
    this.params = params;
  }

  public List<NasVolumeMount> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<NasVolumeMount> volumes) {
    this.volumes = volumes;
  }

  public List<RedisBinding> getRedis() {
    return redis;
  }

  public void setRedis(List<RedisBinding> redis) {
    this.redis = redis;
  }

  public List<PipelineTask> getTasks() {
    return tasks;
  }

  public void setTasks(List<PipelineTask> tasks) {
    this.tasks = tasks;
  }

  public PipelineExit getOnExit() {
    return onExit;
  }

  public void setOnExit(PipelineExit onExit) {
    this.onExit = onExit;
  }

  public List<PipelineSchedule> getSchedules() {
    return schedules;
  }

  public void setSchedules(List<PipelineSchedule> schedules) {
    this.schedules = schedules;
  }

  public String getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(String concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }
}
