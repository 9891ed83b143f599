package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The exit handler: runs after every run, succeeded or not. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineExit {

  @JsonPropertyDescription("The container the exit handler runs, written like a task's container.")
  @Required
  private PipelineContainer container;

  public PipelineContainer getContainer() {
    return container;
  }

  public void setContainer(PipelineContainer container) {
    this.container = container;
  }
}
