package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The most recent worker failure: which worker, how it ended, when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerFailure {

  @JsonPropertyDescription("The failed worker's pod name.")
  private Integer worker;
  @JsonPropertyDescription("The worker container's exit code (137: killed, e.g. OOMKilled).")
  private Integer exitCode;
  @JsonPropertyDescription("Why the worker stopped, e.g. OOMKilled, Error, Evicted, DeadlineExceeded.")
  private String reason;
  @JsonPropertyDescription("The kubelet's or the container's message, if any.")
  private String message;
  @JsonPropertyDescription("When the failure was seen (RFC 3339).")
  private String time;
  @JsonPropertyDescription("The attempt the failed worker belonged to.")
  private Integer attempt;

  public Integer getWorker() {
    return worker;
  }

  public void setWorker(Integer worker) {
    this.worker = worker;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  /** Field by field, so that a reconcile compares statuses without serialising them. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WorkerFailure other)) {
      return false;
    }
    return java.util.Objects.equals(worker, other.worker)
        && java.util.Objects.equals(exitCode, other.exitCode)
        && java.util.Objects.equals(reason, other.reason)
        && java.util.Objects.equals(message, other.message)
        && java.util.Objects.equals(time, other.time)
        && java.util.Objects.equals(attempt, other.attempt);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(worker, exitCode, reason, message, time, attempt);
  }
}
