package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The result of the benchmark run of one runId, read from its container's termination message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasBenchmarkStatus {

  @JsonPropertyDescription("The spec.benchmark.runId this result is of.")
  private String runId;

  @JsonPropertyDescription("Running, Succeeded or Failed.")
  private String state;

  @JsonPropertyDescription("The benchmark Job.")
  private String jobName;

  @JsonPropertyDescription("Size of the test file in MiB.")
  private Integer sizeMiB;

  @JsonPropertyDescription("Sequential write throughput with direct I/O, MiB/s.")
  private Double writeMiBps;

  @JsonPropertyDescription("Sequential read throughput with direct I/O, MiB/s.")
  private Double readMiBps;

  @JsonPropertyDescription("When the benchmark Job finished (RFC 3339).")
  private String completedAt;

  @JsonPropertyDescription("Why the run failed, when it did.")
  private String message;

  public String getRunId() {
    return runId;
  }

  public void setRunId(String runId) {
    this.runId = runId;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public Integer getSizeMiB() {
    return sizeMiB;
  }

  public void setSizeMiB(Integer sizeMiB) {
    this.sizeMiB = sizeMiB;
  }

  public Double getWriteMiBps() {
    return writeMiBps;
  }

  public void setWriteMiBps(Double writeMiBps) {
    this.writeMiBps = writeMiBps;
  }

  public Double getReadMiBps() {
    return readMiBps;
  }

  public void setReadMiBps(Double readMiBps) {
    this.readMiBps = readMiBps;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NasBenchmarkStatus other && Objects.equals(runId, other.runId) && Objects.equals(state, other.state)
        && Objects.equals(jobName, other.jobName) && Objects.equals(sizeMiB, other.sizeMiB)
        && Objects.equals(writeMiBps, other.writeMiBps) && Objects.equals(readMiBps, other.readMiBps)
        && Objects.equals(completedAt, other.completedAt) && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(runId, state, jobName, sizeMiB, writeMiBps, readMiBps, completedAt, message);
  }
}
