package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A value a container task writes to a file, read by Argo when the task ends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskOutput {

  @JsonPropertyDescription("The output's name: later tasks read it as {{tasks.<task>.outputs.<name>}}.")
  @Required
  @Size(max = 63)
  @Pattern(PipelineRules.IDENTIFIER_PATTERN)
  private String name;

  @JsonPropertyDescription("Absolute path of the file in the container whose content becomes the output's value when the "
      + "task ends.")
  @Required
  @Size(max = 1024)
  @ValidationRule(value = PipelineRules.OUTPUT_PATH_RULE, message = PipelineRules.OUTPUT_PATH)
  private String path;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
