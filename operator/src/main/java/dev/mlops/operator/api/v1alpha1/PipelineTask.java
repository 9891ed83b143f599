package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One step of a Pipeline: a container or a TrainingJob, with its dependencies, outputs, retries, cache and map. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(value = PipelineRules.ONE_KIND_RULE, message = PipelineRules.ONE_KIND)
public class PipelineTask {

  @Required
  @Size(max = 40)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The task's name, a DNS-1035 label of at most 40 characters (a training task's TrainingJob is"
      + " <task>-<end of the run's name>).")
  private String name;

  @Size(max = 64)
  @JsonPropertyDescription("Tasks that must have finished (succeeded or been skipped) first.")
  private List<String> dependsOn;

  @JsonPropertyDescription("Run a container.")
  private PipelineContainer container;

  @JsonPropertyDescription("Create a TrainingJob (owned by the run's Workflow) and wait until it Succeeded or Failed.")
  private PipelineTrainingJob trainingJob;

  @Size(max = 32)
  @JsonPropertyDescription("Values the container writes to files: {{tasks.<task>.outputs.<name>}} in later tasks.")
  private List<TaskOutput> outputs;

  @JsonPropertyDescription("Retries of a failed container task.")
  private TaskRetries retries;

  @Pattern(PipelineRules.DURATION_PATTERN)
  @JsonPropertyDescription("Argo's template timeout: how long the task's step may run, its time Pending included,"
      + " e.g. 1h.")
  private String timeout;

  @JsonPropertyDescription("Reuse the outputs of an earlier run of this task with the same inputs (params, item and"
      + " outputs it references), cache version and pipeline.")
  private TaskCache cache;

  @JsonPropertyDescription("Run the task once per item: of a json param, a list, or a json output of an earlier task;"
      + " the item is {{item}}.")
  private TaskMap map;

  @Size(max = 1024)
  @JsonPropertyDescription("Run only when this holds, e.g. \"{{tasks.evaluate.outputs.accuracy}} > 0.9 &&"
      + " {{params.promote}} == true\"; otherwise the task is Skipped.")
  private String when;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getDependsOn() {
    return dependsOn;
  }

  public void setDependsOn(List<String> dependsOn) {
    this.dependsOn = dependsOn;
  }

  public PipelineContainer getContainer() {
    return container;
  }

  public void setContainer(PipelineContainer container) {
    this.container = container;
  }

  public PipelineTrainingJob getTrainingJob() {
    return trainingJob;
  }

  public void setTrainingJob(PipelineTrainingJob trainingJob) {
    this.trainingJob = trainingJob;
  }

  public List<TaskOutput> getOutputs() {
    return outputs;
  }

  public void setOutputs(List<TaskOutput> outputs) {
    this.outputs = outputs;
  }

  public TaskRetries getRetries() {
    return retries;
  }

  public void setRetries(TaskRetries retries) {
    this.retries = retries;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public TaskCache getCache() {
    return cache;
  }

  public void setCache(TaskCache cache) {
    this.cache = cache;
  }

  public TaskMap getMap() {
    return map;
  }

  public void setMap(TaskMap map) {
    this.map = map;
  }

  public String getWhen() {
    return when;
  }

  public void setWhen(String when) {
    this.when = when;
  }
}
