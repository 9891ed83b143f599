package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A part of an Argo object. Argo has many more fields than the operator models: whatever it reads
 * and does not model is kept here and written back as it was, so a read-modify-write (an update
 * of a WorkflowTemplate, say) never drops a field another tool or a newer Argo set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ArgoObject {

  @JsonIgnore
  private final Map<String, Object> unmodelled = new LinkedHashMap<>();

  @JsonAnyGetter
  public Map<String, Object> getUnmodelled() {
    return unmodelled;
  }

  @JsonAnySetter
  public void setUnmodelled(String name, Object value) {
    unmodelled.put(name, value);
  }
}
