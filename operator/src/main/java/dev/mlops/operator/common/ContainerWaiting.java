package dev.mlops.operator.common;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Why a pod's container does not start, in the kubelet's words (ImagePullBackOff, CreateContainerConfigError,
 * CrashLoopBackOff, ...), as {@code kubectl get pods} shows it: the first init or main container that waits for a
 * reason other than a normal start. Shared by every kind that reports pods that do not run.
 */
public final class ContainerWaiting {

  /** Waiting reasons of a container that is starting normally: not trouble. */
  private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");

  private ContainerWaiting() {}

  public static Optional<ContainerStateWaiting> of(Pod pod) {
    if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    List<ContainerStatus> init = pod.getStatus().getInitContainerStatuses() == null ? List.of()
        : pod.getStatus().getInitContainerStatuses();
    List<ContainerStatus> main = pod.getStatus().getContainerStatuses() == null ? List.of()
        : pod.getStatus().getContainerStatuses();
    return Stream.concat(init.stream(), main.stream())
        .map(s -> s.getState() == null ? null : s.getState().getWaiting())
        .filter(w -> w != null && w.getReason() != null && !STARTING.contains(w.getReason())).findFirst();
  }

  /** "Reason: message", or the reason alone. */
  public static String describe(ContainerStateWaiting waiting) {
    return waiting.getReason() + (waiting.getMessage() == null || waiting.getMessage().isBlank() ? ""
        : ": " + waiting.getMessage());
  }
}
