package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a mapped task runs over (Flyte's map_task): exactly one of the three. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = PipelineRules.MAP_ONE_RULE, message = PipelineRules.MAP_ONE)
public class TaskMap {

  @Size(max = 63)
  @JsonPropertyDescription("A json param holding a list.")
  private String fromParam;

  @Size(max = 1000)
  @JsonPropertyDescription("The items themselves.")
  private List<JsonNode> items;

  @Size(max = 200)
  @JsonPropertyDescription("<task>.<output> of an earlier task, a json list.")
  private String fromOutput;

  public String getFromParam() {
    return fromParam;
  }

  public void setFromParam(String fromParam) {
    this.fromParam = fromParam;
  }

  public List<JsonNode> getItems() {
    return items;
  }

  public void setItems(List<JsonNode> items) {
    this.items = items;
  }

  public String getFromOutput() {
    return fromOutput;
  }

  public void setFromOutput(String fromOutput) {
    this.fromOutput = fromOutput;
  }
}
