package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Argo's retryStrategy, named as Flyte users expect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskRetries {

  @Required
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Retries after the first attempt.")
  private Integer limit;

  @ValidationRule(value = PipelineRules.RETRY_POLICY_RULE, message = PipelineRules.RETRY_POLICY)
  @JsonPropertyDescription("OnFailure (default: the container failed), OnError (Argo or Kubernetes failed it), Always,"
      + " OnTransientError.")
  private String policy;

  @JsonPropertyDescription("Wait between attempts: a duration that grows by a factor each time, up to a maximum.")
  private TaskBackoff backoff;

  public Integer getLimit() {
    return limit;
  }

  public void setLimit(Integer limit) {
    this.limit = limit;
  }

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public TaskBackoff getBackoff() {
    return backoff;
  }

  public void setBackoff(TaskBackoff backoff) {
    this.backoff = backoff;
  }
}
