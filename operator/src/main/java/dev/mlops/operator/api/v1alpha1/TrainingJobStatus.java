package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonClassDescription("What the operator observed and decided, written by the operator only: the phase, the GPU "
    + "product chosen, the attempt and restart counts, the workers, the last failure and the "
    + "conditions with their reasons.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobStatus {

  @JsonPropertyDescription("Invalid (the spec is invalid and nothing runs), Pending, Queued (waiting"
      + " for free GPUs: see status.queue and the Admitted condition), Starting, Running, Restarting, Succeeded, Failed"
      + " or Suspended.")
  private String phase;

  @JsonPropertyDescription("Why the job is in its phase, in one CamelCase word (kubectl get's Reason column, like a "
      + "pod's ImagePullBackOff): e.g. InvalidSpec, InsufficientGpuNodes, VolumesNotReady, "
      + "RedisNotReady, FailedCreate, WorkersStarting, AllWorkersRunning, WorkerFailed. The Running "
      + "condition's message says more.")
  private String reason;

  @JsonPropertyDescription("The GPU product every worker runs on; chosen once, never changes.")
  private String gpuProduct;

  @JsonPropertyDescription("GPUs the job uses when running: spec.nodes x spec.gpusPerNode.")
  private Integer gpus;

  @JsonPropertyDescription("Where the job waits for GPUs while its phase is Queued: position and since when.")
  private QueueStatus queue;

  @JsonPropertyDescription("Current attempt, starting at 1; each whole-gang restart adds one.")
  private Integer attempt;

  @JsonPropertyDescription("Whole-gang restarts so far, for any reason.")
  private Integer restarts;

  @JsonPropertyDescription("Restarts caused by worker failures, counted against spec.runPolicy.backoffLimit.")
  private Integer failures;

  @JsonPropertyDescription("Worker pods of the current attempt by state (from the Job's status).")
  private WorkerCounts workers;

  @JsonPropertyDescription("When the workers of the current run were first created (reset on resume).")
  private String startTime;

  @JsonPropertyDescription("When the job reached Succeeded or Failed (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("The most recent worker failure that restarted or failed the job: which worker, exit code, "
      + "reason (e.g. OOMKilled) and when.")
  private WorkerFailure lastFailure;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes; older than metadata.generation "
      + "while the operator has not yet acted on an edit.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid, GpuCapacity, VolumesReady, RedisReady, WorkersReady, Succeeded..., each with a "
      + "CamelCase reason and a message that says what to do.")
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getGpuProduct() {
    return gpuProduct;
  }

  public void setGpuProduct(String gpuProduct) {
    this.gpuProduct = gpuProduct;
  }

  public Integer getGpus() {
    return gpus;
  }

  public void setGpus(Integer gpus) {
    this.gpus = gpus;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public Integer getFailures() {
    return failures;
  }

  public void setFailures(Integer failures) {
    this.failures = failures;
  }

  public WorkerCounts getWorkers() {
    return workers;
  }

  public void setWorkers(WorkerCounts workers) {
    this.workers = workers;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public WorkerFailure getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(WorkerFailure lastFailure) {
    this.lastFailure = lastFailure;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public QueueStatus getQueue() {
    return queue;
  }

  public void setQueue(QueueStatus queue) {
    this.queue = queue;
  }

  /** Field by field, so that a reconcile compares statuses without serialising them. */
  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TrainingJobStatus other)) {
      return false;
    }
    return java.util.Objects.equals(reason, other.reason) && java.util.Objects.equals(phase, other.phase)
        && java.util.Objects.equals(gpuProduct, other.gpuProduct)
        && java.util.Objects.equals(gpus, other.gpus)
        && java.util.Objects.equals(queue, other.queue)
        && java.util.Objects.equals(attempt, other.attempt)
        && java.util.Objects.equals(restarts, other.restarts)
        && java.util.Objects.equals(failures, other.failures)
        && java.util.Objects.equals(workers, other.workers)
        && java.util.Objects.equals(startTime, other.startTime)
        && java.util.Objects.equals(completionTime, other.completionTime)
        && java.util.Objects.equals(lastFailure, other.lastFailure)
        && java.util.Objects.equals(observedGeneration, other.observedGeneration)
        && java.util.Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(reason, phase, gpuProduct, gpus, queue, attempt, restarts, failures, workers, startTime,
        completionTime,
        lastFailure, observedGeneration, conditions);
  }
}
