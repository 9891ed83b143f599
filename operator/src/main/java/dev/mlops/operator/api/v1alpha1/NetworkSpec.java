package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = TrainingJobRules.HOSTNETWORK_MULTUS_RULE, message = TrainingJobRules.HOSTNETWORK_MULTUS)
public class NetworkSpec {

  @JsonPropertyDescription("Run workers in the node's network namespace (dnsPolicy ClusterFirstWithHostNet).")
  private Boolean hostNetwork;

  @Size(max = 16)
  @JsonPropertyDescription("Multus NetworkAttachmentDefinitions ('name' or 'namespace/name') attached to every worker.")
  private List<String> multusNetworks;

  @JsonPropertyDescription("RDMA devices per worker; adds the IPC_LOCK capability.")
  private RdmaSpec rdma;

  public Boolean getHostNetwork() {
    return hostNetwork;
  }

  public void setHostNetwork(Boolean hostNetwork) {
    this.hostNetwork = hostNetwork;
  }

  public List<String> getMultusNetworks() {
    return multusNetworks;
  }

  public void setMultusNetworks(List<String> multusNetworks) {
    this.multusNetworks = multusNetworks;
  }

  public RdmaSpec getRdma() {
    return rdma;
  }

  public void setRdma(RdmaSpec rdma) {
    this.rdma = rdma;
  }
}
