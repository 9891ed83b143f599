package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Labels and annotations Argo puts on what it creates (a template's pods, a CronWorkflow's Workflows). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Metadata extends ArgoObject {

  private Map<String, String> labels;
  private Map<String, String> annotations;

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
}
