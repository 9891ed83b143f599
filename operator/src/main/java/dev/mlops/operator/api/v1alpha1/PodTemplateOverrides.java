package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateOverrides {

  @Size(max = 64)
  @ValidationRule(value = TrainingJobRules.POD_LABELS_RULE, message = TrainingJobRules.POD_LABELS)
  @JsonPropertyDescription("Labels added to every worker pod.")
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations added to every worker pod.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Node labels every worker's node must have (in addition to the GPU product).")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations added to the operator's nvidia.com/gpu toleration.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity merged with the operator's GPU-product affinity and one-worker-per-node anti-affinity.")
  private Affinity affinity;

  @JsonPropertyDescription("A ServiceAccount of the job's namespace the workers run as; it must exist, or the Job "
      + "controller cannot create the pods. Default: the namespace's default.")
  private String serviceAccountName;

  @JsonPropertyDescription("Secrets of the job's namespace to pull the image with (as in a pod's imagePullSecrets).")
  private List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription("A PriorityClass of the cluster set on every worker pod; it must exist, or the Job controller "
      + "cannot create the pods.")
  private String priorityClassName;

  @JsonPropertyDescription("The scheduler that places the workers (default: the cluster's default scheduler).")
  private String schedulerName;

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public String getSchedulerName() {
    return schedulerName;
  }

  public void setSchedulerName(String schedulerName) {
    this.schedulerName = schedulerName;
  }
}
