package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An Argo parameter: a name with a value, a default and an enum, or (an output) read from a file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Parameter extends ArgoObject {

  private String name;
  private String value;
  @JsonProperty("default")
  private String defaultValue;
  @JsonProperty("enum")
  private List<String> enumValues;
  private String description;
  private ValueFrom valueFrom;

  public Parameter() {}

  public static Parameter named(String name, String value) {
    Parameter p = new Parameter();
    p.name = name;
    p.value = value;
    return p;
  }

  /** Where an output parameter's value comes from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ValueFrom extends ArgoObject {

    private String path;

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
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

  public ValueFrom getValueFrom() {
    return valueFrom;
  }

  public void setValueFrom(ValueFrom valueFrom) {
    this.valueFrom = valueFrom;
  }
}
