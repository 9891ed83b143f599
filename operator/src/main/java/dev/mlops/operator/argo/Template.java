package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/** One Argo template: a container, a DAG of tasks, or a resource (a custom object created and waited on). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Template extends ArgoObject {

  private String name;
  private Arguments inputs;
  private Arguments outputs;
  private Metadata metadata;
  private Container container;
  private Dag dag;
  private ResourceTemplate resource;
  private RetryStrategy retryStrategy;
  private String timeout;
  private Memoize memoize;

  /** A DAG template's tasks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Dag extends ArgoObject {

    private List<DagTask> tasks;

    public List<DagTask> getTasks() {
      return tasks;
    }

    public void setTasks(List<DagTask> tasks) {
      this.tasks = tasks;
    }
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Arguments getInputs() {
    return inputs;
  }

  public void setInputs(Arguments inputs) {
    this.inputs = inputs;
  }

  public Arguments getOutputs() {
    return outputs;
  }

  public void setOutputs(Arguments outputs) {
    this.outputs = outputs;
  }

  public Metadata getMetadata() {
    return metadata;
  }

  public void setMetadata(Metadata metadata) {
    this.metadata = metadata;
  }

  public Container getContainer() {
    return container;
  }

  public void setContainer(Container container) {
    this.container = container;
  }

  public Dag getDag() {
    return dag;
  }

  public void setDag(Dag dag) {
    this.dag = dag;
  }

  public ResourceTemplate getResource() {
    return resource;
  }

  public void setResource(ResourceTemplate resource) {
    this.resource = resource;
  }

  public RetryStrategy getRetryStrategy() {
    return retryStrategy;
  }

  public void setRetryStrategy(RetryStrategy retryStrategy) {
    this.retryStrategy = retryStrategy;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Memoize getMemoize() {
    return memoize;
  }

  public void setMemoize(Memoize memoize) {
    this.memoize = memoize;
  }
}
