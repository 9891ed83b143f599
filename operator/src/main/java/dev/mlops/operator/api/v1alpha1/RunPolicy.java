package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunPolicy {

  public static final int DEFAULT_BACKOFF_LIMIT = 3;

  @Default("3")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Whole-gang restarts after worker failures before the job fails. Restarts caused"
      + " by node drains or preemption (pod condition DisruptionTarget) do not count.")
  private Integer backoffLimit;

  @Size(max = 64)
  @ValidationRule(value = TrainingJobRules.EXIT_CODES_RULE, message = TrainingJobRules.EXIT_CODES)
  @JsonPropertyDescription("Worker exit codes that fail the job at once, without a restart.")
  private List<Integer> nonRetryableExitCodes;

  @Min(1)
  @JsonPropertyDescription("Seconds the job may run, counted from status.startTime across restarts;"
      + " then it fails with reason DeadlineExceeded and releases its GPUs.")
  private Long activeDeadlineSeconds;

  @Min(0)
  @Max(2147483647) // the Job API's int32
  @JsonPropertyDescription("Seconds after the job finished when its workers, Job and Service are removed."
      + " The TrainingJob and its status stay.")
  private Integer ttlSecondsAfterFinished;

  @Default("false")
  @JsonPropertyDescription("true releases the workers; false again starts a new attempt.")
  private Boolean suspend;

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public List<Integer> getNonRetryableExitCodes() {
    return nonRetryableExitCodes;
  }

  public void setNonRetryableExitCodes(List<Integer> nonRetryableExitCodes) {
    this.nonRetryableExitCodes = nonRetryableExitCodes;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}
