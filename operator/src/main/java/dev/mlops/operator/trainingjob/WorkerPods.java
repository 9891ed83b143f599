package dev.mlops.operator.trainingjob;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads what a worker pod says about itself: its rank, attempt, how it ended. */
final class WorkerPods {

  private WorkerPods() {}

  static int attempt(Pod pod) {
    String value = pod.getMetadata().getLabels() == null ? null
        : pod.getMetadata().getLabels().get(TrainingJobResources.ATTEMPT_LABEL);
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static int index(Pod pod) {
    String value = pod.getMetadata().getAnnotations() == null ? null
        : pod.getMetadata().getAnnotations().get(TrainingJobResources.COMPLETION_INDEX_ANNOTATION);
    if (value == null && pod.getMetadata().getLabels() != null) {
      value = pod.getMetadata().getLabels().get(TrainingJobResources.COMPLETION_INDEX_ANNOTATION);
    }
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  static boolean isFailed(Pod pod) {
    return "Failed".equals(phase(pod));
  }

  static boolean isSucceeded(Pod pod) {
    return "Succeeded".equals(phase(pod));
  }

  static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return ("Pending".equals(phase) || "Running".equals(phase)) && pod.getMetadata().getDeletionTimestamp() == null;
  }

  static boolean isReady(Pod pod) {
    return "Running".equals(phase(pod)) && condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Reasons of the DisruptionTarget condition that mean the worker was taken away, not that it failed:
   * a node drain (eviction API), preemption, a NoExecute taint, pod garbage collection. The kubelet's
   * own TerminationByKubelet (node-pressure eviction, often caused by the job itself) is a failure.
   */
  static final java.util.Set<String> DISRUPTIONS = java.util.Set.of(
      "EvictionByEvictionAPI", "PreemptionByScheduler", "DeletionByTaintManager", "DeletionByPodGC");

  static Optional<PodCondition> disruption(Pod pod) {
    return condition(pod, "DisruptionTarget")
        .filter(c -> "True".equals(c.getStatus()) && c.getReason() != null && DISRUPTIONS.contains(c.getReason()));
  }

  static Optional<PodCondition> unschedulable(Pod pod) {
    return condition(pod, "PodScheduled")
        .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
  }

  /** The worker container's termination, or a failed init container's. */
  static Optional<ContainerStateTerminated> termination(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    Optional<ContainerStateTerminated> worker = terminated(pod.getStatus().getContainerStatuses()).findFirst();
    if (worker.isPresent()) {
      return worker;
    }
    return terminated(pod.getStatus().getInitContainerStatuses())
        .filter(t -> t.getExitCode() != null && t.getExitCode() != 0).findFirst();
  }

  private static Stream<ContainerStateTerminated> terminated(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return Stream.empty();
    }
    return statuses.stream()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .sorted((a, b) -> Boolean.compare(!TrainingJobResources.WORKER_CONTAINER.equals(a.getName()),
            !TrainingJobResources.WORKER_CONTAINER.equals(b.getName())))
        .map(s -> s.getState().getTerminated());
  }
}
