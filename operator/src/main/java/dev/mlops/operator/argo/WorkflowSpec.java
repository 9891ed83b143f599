package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;

/** The spec of a Workflow or WorkflowTemplate (and a CronWorkflow's workflowSpec), the fields the operator sets or reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowSpec extends ArgoObject {

  private String entrypoint;
  private Arguments arguments;
  private List<Template> templates;
  private String onExit;
  private String serviceAccountName;
  private WorkflowTemplateRef workflowTemplateRef;
  private List<Volume> volumes;
  private Metadata podMetadata;
  private Metadata workflowMetadata;

  /**
   * This spec with every field the operator models taken from {@code desired}; what it does not
   * model (set by a person, a tool or a newer Argo) is kept.
   */
  public WorkflowSpec withModelledFieldsOf(WorkflowSpec desired) {
    entrypoint = desired.entrypoint;
    arguments = desired.arguments;
    templates = desired.templates;
    onExit = desired.onExit;
    serviceAccountName = desired.serviceAccountName;
    workflowTemplateRef = desired.workflowTemplateRef;
    volumes = desired.volumes;
    podMetadata = desired.podMetadata;
    workflowMetadata = desired.workflowMetadata;
    return this;
  }

  /** {@code {name}} of the WorkflowTemplate a Workflow runs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class WorkflowTemplateRef extends ArgoObject {

    private String name;

    public WorkflowTemplateRef() {}

    public WorkflowTemplateRef(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  public String getEntrypoint() {
    return entrypoint;
  }

  public void setEntrypoint(String entrypoint) {
    this.entrypoint = entrypoint;
  }

  public Arguments getArguments() {
    return arguments;
  }

  public void setArguments(Arguments arguments) {
    this.arguments = arguments;
  }

  public List<Template> getTemplates() {
    return templates;
  }

  public void setTemplates(List<Template> templates) {
    this.templates = templates;
  }

  public String getOnExit() {
    return onExit;
  }

  public void setOnExit(String onExit) {
    this.onExit = onExit;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public WorkflowTemplateRef getWorkflowTemplateRef() {
    return workflowTemplateRef;
  }

  public void setWorkflowTemplateRef(WorkflowTemplateRef workflowTemplateRef) {
    this.workflowTemplateRef = workflowTemplateRef;
  }

  public List<Volume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<Volume> volumes) {
    this.volumes = volumes;
  }

  public Metadata getPodMetadata() {
    return podMetadata;
  }

  public void setPodMetadata(Metadata podMetadata) {
    this.podMetadata = podMetadata;
  }

  public Metadata getWorkflowMetadata() {
    return workflowMetadata;
  }

  public void setWorkflowMetadata(Metadata workflowMetadata) {
    this.workflowMetadata = workflowMetadata;
  }
}
