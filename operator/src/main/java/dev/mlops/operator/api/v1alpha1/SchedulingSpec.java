package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** How an attempt's workers get placed and started, and what happens when they do not start in time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = TrainingJobRules.TOPOLOGY_NEEDS_QUEUE_RULE, message = TrainingJobRules.TOPOLOGY_NEEDS_QUEUE)
public class SchedulingSpec {

  public static final int DEFAULT_STARTUP_TIMEOUT_SECONDS = 600;
  public static final String REQUEUE = "Requeue";
  public static final String FAIL = "Fail";

  @Default("600")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds an attempt's workers may take, from the attempt's Job creation, to all run"
      + " (scheduled, images pulled, containers started). Until then a worker that is not starting says why in the"
      + " status (the scheduler's or the kubelet's words: FailedScheduling, ImagePullBackOff, ...). Default 600.")
  private Integer startupTimeoutSeconds;

  @Default("Requeue")
  @ValidationRule(value = TrainingJobRules.ON_STARTUP_TIMEOUT_RULE, message = TrainingJobRules.ON_STARTUP_TIMEOUT)
  @JsonPropertyDescription("What a startup timeout does: Requeue (default) tears the gang down, releases its GPUs and"
      + " starts the next attempt, not counted against spec.runPolicy.backoffLimit; Fail fails the job.")
  private String onStartupTimeout;

  @JsonPropertyDescription("A Kueue LocalQueue of the job's namespace: Kueue admits the gang (its quota, its"
      + " ResourceFlavor choosing the GPU product) instead of the operator's built-in admission. The Job is created"
      + " suspended with kueue.x-k8s.io/queue-name; Kueue unsuspends it, and a preemption by Kueue restarts the gang"
      + " without counting against spec.runPolicy.backoffLimit. docs/scheduling.md.")
  @ValidationRule(value = TrainingJobRules.QUEUE_NAME_RULE, message = TrainingJobRules.QUEUE_NAME)
  private String queue;

  @JsonPropertyDescription("Kueue's topology-aware placement (needs queue).")
  private TopologySpec topology;

  @JsonPropertyDescription("The cluster's PriorityClass for this job: its value orders the jobs waiting for GPUs"
      + " (higher first, then restarts of jobs that ran, then older first), and it is set on the workers' pods. Empty:"
      + " the cluster's globalDefault PriorityClass, or 0.")
  @ValidationRule(value = TrainingJobRules.PRIORITY_CLASS_NAME_RULE, message = TrainingJobRules.PRIORITY_CLASS_NAME)
  private String priorityClassName;

  public String getQueue() {
    return queue;
  }

  public void setQueue(String queue) {
    this.queue = queue;
  }

  public TopologySpec getTopology() {
    return topology;
  }

  public void setTopology(TopologySpec topology) {
    this.topology = topology;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Integer getStartupTimeoutSeconds() {
    return startupTimeoutSeconds;
  }

  public void setStartupTimeoutSeconds(Integer startupTimeoutSeconds) {
    this.startupTimeoutSeconds = startupTimeoutSeconds;
  }

  public String getOnStartupTimeout() {
    return onStartupTimeout;
  }

  public void setOnStartupTimeout(String onStartupTimeout) {
    this.onStartupTimeout = onStartupTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchedulingSpec other && Objects.equals(startupTimeoutSeconds, other.startupTimeoutSeconds)
        && Objects.equals(onStartupTimeout, other.onStartupTimeout)
        && Objects.equals(priorityClassName, other.priorityClassName) && Objects.equals(queue, other.queue)
        && Objects.equals(topology, other.topology);
  }

  @Override
  public int hashCode() {
    return Objects.hash(startupTimeoutSeconds, onStartupTimeout, priorityClassName, queue, topology);
  }
}
