package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Kueue's topology-aware placement of the whole gang, by a node label (a rack, a block, a host). */
@JsonClassDescription("Topology-aware placement by Kueue (needs spec.scheduling.queue and a Kueue Topology for the"
    + " ResourceFlavor): the gang within one domain of a node label. Set required or preferred, not both.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = TrainingJobRules.TOPOLOGY_ONE_RULE, message = TrainingJobRules.TOPOLOGY_ONE)
@ValidationRule(value = TrainingJobRules.TOPOLOGY_LABEL_RULE, message = TrainingJobRules.TOPOLOGY_LABEL)
public class TopologySpec {

  @JsonPropertyDescription("Every worker in one domain of this node label (e.g. cloud.provider.com/topology-rack),"
      + " or the gang waits: Kueue's kueue.x-k8s.io/podset-required-topology.")
  @io.fabric8.generator.annotation.Size(max = 316)
  private String required;

  @JsonPropertyDescription("In one domain of this node label if possible, else spread over as few as possible:"
      + " Kueue's kueue.x-k8s.io/podset-preferred-topology.")
  @io.fabric8.generator.annotation.Size(max = 316)
  private String preferred;

  public String getRequired() {
    return required;
  }

  public void setRequired(String required) {
    this.required = required;
  }

  public String getPreferred() {
    return preferred;
  }

  public void setPreferred(String preferred) {
    this.preferred = preferred;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopologySpec other && Objects.equals(required, other.required)
        && Objects.equals(preferred, other.preferred);
  }

  @Override
  public int hashCode() {
    return Objects.hash(required, preferred);
  }
}
