package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** The container of a task or of the exit handler; its strings may reference {{params.x}}, {{item}}, outputs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineContainer {

  @JsonPropertyDescription("The container image, e.g. registry.example.internal/etl:1.4. Required.")
  @Required
  @Size(min = 1, max = 512)
  private String image;

  @JsonPropertyDescription("The entrypoint, as in a pod's container command; {{params.x}} and {{tasks.t.outputs.o}} are "
      + "replaced.")
  @Size(max = 64)
  private List<String> command;

  @JsonPropertyDescription("Arguments to the entrypoint; {{params.x}} and {{tasks.t.outputs.o}} are replaced.")
  @Size(max = 256)
  private List<String> args;

  @JsonPropertyDescription("Environment variables of the container (name and value, or valueFrom as in a pod).")
  @Size(max = 128)
  private List<EnvVar> env;

  private ResourceRequirements resources;

  @Size(max = 1024)
  @JsonPropertyDescription("The working directory; the image's by default.")
  private String workingDir;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public String getWorkingDir() {
    return workingDir;
  }

  public void setWorkingDir(String workingDir) {
    this.workingDir = workingDir;
  }
}
