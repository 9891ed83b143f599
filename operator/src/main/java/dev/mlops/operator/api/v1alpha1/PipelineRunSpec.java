package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** Which Pipeline to run, with which params. Immutable. */
@JsonClassDescription("One run of a Pipeline: which Pipeline and the values of its params (checked against their types "
    + "before the run starts). Immutable.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineRunSpec {

  @Required
  @Size(max = PipelineRules.MAX_PIPELINE_NAME)
  @Pattern(TrainingJobRules.DNS_LABEL_PATTERN)
  @JsonPropertyDescription("A Pipeline of the run's namespace.")
  private String pipelineRef;

  @Size(max = PipelineRules.MAX_PARAMS)
  @JsonPropertyDescription("Values of the Pipeline's params, each of the param's type (5, 0.1, true, [\"a\"], or text)."
      + " Params left out take their defaults.")
  private Map<String, JsonNode> params;

  public String getPipelineRef() {
    return pipelineRef;
  }

  public void setPipelineRef(String pipelineRef) {
    this.pipelineRef = pipelineRef;
  }

  public Map<String, JsonNode> getParams() {
    return params;
  }

  public void setParams(Map<String, JsonNode> params) {
    this.params = params;
  }
}
