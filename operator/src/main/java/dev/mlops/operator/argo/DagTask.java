package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One task of a DAG template: which template it runs, after which tasks, with what, when, and over which items. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DagTask extends ArgoObject {

  private String name;
  private String template;
  private List<String> dependencies;
  private Arguments arguments;
  private String when;
  private List<Object> withItems;
  private String withParam;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getTemplate() {
    return template;
  }

  public void setTemplate(String template) {
    this.template = template;
  }

  public List<String> getDependencies() {
    return dependencies;
  }

  public void setDependencies(List<String> dependencies) {
    this.dependencies = dependencies;
  }

  public Arguments getArguments() {
    return arguments;
  }

  public void setArguments(Arguments arguments) {
    this.arguments = arguments;
  }

  public String getWhen() {
    return when;
  }

  public void setWhen(String when) {
    this.when = when;
  }

  public List<Object> getWithItems() {
    return withItems;
  }

  public void setWithItems(List<Object> withItems) {
    this.withItems = withItems;
  }

  public String getWithParam() {
    return withParam;
  }

  public void setWithParam(String withParam) {
    this.withParam = withParam;
  }
}
