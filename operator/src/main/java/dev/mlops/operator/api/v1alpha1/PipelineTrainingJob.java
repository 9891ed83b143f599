package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;

/**
 * A training step: the TrainingJob to create (named {@code <task>-<run>}) and wait on. Its spec is
 * kept as written (a TrainingJob's CEL rules, once per task of a 1,000-task list, are beyond what
 * the API server allows one CRD): the Pipeline controller checks it against the TrainingJob schema
 * and rules and says any problem with {@code Valid=False}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineTrainingJob {

  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription("The TrainingJob's spec (every field of a TrainingJob's spec). Its strings may reference"
      + " {{params.x}} and earlier outputs; the pipeline's volumes and redis are added to it.")
  private JsonNode spec;

  public JsonNode getSpec() {
    return spec;
  }

  public void setSpec(JsonNode spec) {
    this.spec = spec;
  }
}
