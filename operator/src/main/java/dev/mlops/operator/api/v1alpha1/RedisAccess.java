package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Who may use the instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisAccess {

  @JsonPropertyDescription("Labels of the namespaces whose TrainingJobs may bind this instance; its own namespace always"
      + " may. Absent: only its own namespace.")
  private LabelSelector allowedNamespaces;

  @JsonPropertyDescription("true: a NetworkPolicy admits only the pods of bound workloads, the instance's own servers,"
      + " the operator and the exporter's metrics port.")
  private Boolean networkPolicy;

  public LabelSelector getAllowedNamespaces() {
    return allowedNamespaces;
  }

  public void setAllowedNamespaces(LabelSelector allowedNamespaces) {
    this.allowedNamespaces = allowedNamespaces;
  }

  public Boolean getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(Boolean networkPolicy) {
    this.networkPolicy = networkPolicy;
  }
}
