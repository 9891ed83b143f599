package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a job waiting for GPUs stands; absent once its attempt is admitted. */
@JsonClassDescription("Where the job waits for GPUs while Queued: its place among the jobs that want the same GPU"
    + " products, and since when it waits. Absent when the job is not queued.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueStatus {

  @JsonPropertyDescription("1 for the next job to be admitted; n when n-1 waiting jobs that want one of the same GPU"
      + " products are ahead (higher priority, a restart of a job that ran, or older). Refreshed at least every 30"
      + " seconds.")
  private Integer position;

  @JsonPropertyDescription("When the current attempt started waiting for admission (RFC 3339).")
  private String since;

  public Integer getPosition() {
    return position;
  }

  public void setPosition(Integer position) {
    this.position = position;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueStatus other && Objects.equals(position, other.position) && Objects.equals(since, other.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, since);
  }
}
