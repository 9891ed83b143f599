package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A Workflow's or DAG task's arguments, a template's inputs or outputs: a list of parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Arguments extends ArgoObject {

  private List<Parameter> parameters;

  public Arguments() {}

  public Arguments(List<Parameter> parameters) {
    this.parameters = parameters;
  }

  public List<Parameter> getParameters() {
    return parameters;
  }

  public void setParameters(List<Parameter> parameters) {
    this.parameters = parameters;
  }
}
