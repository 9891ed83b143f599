package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Memoization of a task, like Flyte's cache=True with cache_version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskCache {

  @Required
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Change it to invalidate what was cached (Flyte's cache_version).")
  private String version;

  @Pattern(PipelineRules.DURATION_PATTERN)
  @JsonPropertyDescription("How old a cached result may be, e.g. 24h; no limit by default.")
  private String maxAge;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(String maxAge) {
    this.maxAge = maxAge;
  }
}
