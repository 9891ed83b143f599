package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A typed input of a Pipeline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineParam {

  @Required
  @Size(max = 63)
  @Pattern(PipelineRules.IDENTIFIER_PATTERN)
  @JsonPropertyDescription("The name, an identifier (letters, digits, _): {{params.<name>}}.")
  private String name;

  @ValidationRule(value = PipelineRules.PARAM_TYPE_RULE, message = PipelineRules.PARAM_TYPE)
  @JsonPropertyDescription("string (default), int, float, bool or json.")
  private String type;

  @JsonProperty("default")
  @Size(max = 65536)
  @JsonPropertyDescription("The value when a run does not give one, as text (\"3\", \"true\", '[\"a\"]'); it must be of"
      + " the type. Without a default the param is required.")
  private String defaultValue;

  @JsonProperty("enum")
  @Size(max = 256)
  @JsonPropertyDescription("The only values allowed.")
  private List<String> enumValues;

  @JsonPropertyDescription("What the param means, shown to whoever starts a run.")
  @Size(max = 1024)
  private String description;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getDefaultValue() {
    return defaultValue;
  }

  public void setDefaultValue(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  public List<String> getEnumValues() {
    return enumValues;
  }

  public void setEnumValues(List<String> enumValues) {
    this.enumValues = enumValues;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }
}
