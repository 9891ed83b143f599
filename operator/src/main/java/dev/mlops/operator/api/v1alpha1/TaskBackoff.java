package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The wait between retries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskBackoff {

  @Required
  @Pattern(PipelineRules.DURATION_PATTERN)
  @JsonPropertyDescription("The first wait, e.g. 30s.")
  private String duration;

  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Each wait is the previous one times factor (default 1).")
  private Integer factor;

  @Pattern(PipelineRules.DURATION_PATTERN)
  @JsonPropertyDescription("How long retrying may go on, from the task's first start (Argo's backoff.maxDuration):"
      + " no retry starts after it, e.g. 10m.")
  private String maxDuration;

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public Integer getFactor() {
    return factor;
  }

  public void setFactor(Integer factor) {
    this.factor = factor;
  }

  public String getMaxDuration() {
    return maxDuration;
  }

  public void setMaxDuration(String maxDuration) {
    this.maxDuration = maxDuration;
  }
}
