package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Workers of the current attempt by state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerCounts {

  @JsonPropertyDescription("Worker pods that exist and have not finished.")
  private Integer active;
  @JsonPropertyDescription("Worker pods that are Running and Ready.")
  private Integer ready;
  @JsonPropertyDescription("Worker pods of this attempt that exited 0.")
  private Integer succeeded;
  @JsonPropertyDescription("Worker pods of this attempt that failed.")
  private Integer failed;

  public Integer getActive() {
    return active;
  }

  public void setActive(Integer active) {
    this.active = active;
  }

  public Integer getReady() {
    return ready;
  }

  public void setReady(Integer ready) {
    this.ready = ready;
  }

  public Integer getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  /** Field by field, so that a reconcile compares statuses without serialising them. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WorkerCounts other)) {
      return false;
    }
    return java.util.Objects.equals(active, other.active)
        && java.util.Objects.equals(ready, other.ready)
        && java.util.Objects.equals(succeeded, other.succeeded)
        && java.util.Objects.equals(failed, other.failed);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(active, ready, succeeded, failed);
  }
}
