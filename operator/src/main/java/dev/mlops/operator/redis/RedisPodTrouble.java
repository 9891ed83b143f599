package dev.mlops.operator.redis;

import dev.mlops.operator.common.ContainerWaiting;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Why a server's pod cannot answer at all, in the words of whoever knows: the scheduler's message for a
 * pod it cannot place (with the claim that stays Pending, and its storage class, when that is the cause),
 * the kubelet's for a container that does not start. A server that does not answer because its pod
 * never ran is "unschedulable" or "not started", never "unreachable". Pure.
 */
final class RedisPodTrouble {

  static final String UNSCHEDULABLE = "PodsUnschedulable";
  static final String NOT_STARTED = "PodsNotStarted";

  /** One pod's trouble: {@code reason} is {@link #UNSCHEDULABLE} or {@link #NOT_STARTED}. */
  record Trouble(String pod, String reason, String message) {}

  private RedisPodTrouble() {}

  /** Each pod's trouble, in pod order; pods that run (or start normally) are not in it. */
  static Map<String, Trouble> of(List<Pod> pods, List<PersistentVolumeClaim> claims) {
    Map<String, Trouble> troubles = new LinkedHashMap<>();
    for (Pod pod : pods) {
      trouble(pod, claims).ifPresent(t -> troubles.put(t.pod(), t));
    }
    return troubles;
  }

  private static Optional<Trouble> trouble(Pod pod, List<PersistentVolumeClaim> claims) {
    String name = pod.getMetadata().getName();
    if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    Optional<PodCondition> unscheduled = conditions(pod).filter(c -> "PodScheduled".equals(c.getType())
        && "False".equals(c.getStatus())).findFirst();
    if (unscheduled.isPresent()) {
      StringBuilder message = new StringBuilder("pod " + name + " cannot be scheduled: "
          + Optional.ofNullable(unscheduled.get().getMessage()).orElse(unscheduled.get().getReason()));
      List<String> pending = pendingClaims(pod, claims);
      if (!pending.isEmpty()) {
        message.append(" (").append(String.join("; ", pending)).append(')');
      }
      return Optional.of(new Trouble(name, UNSCHEDULABLE, message.toString()));
    }
    return ContainerWaiting.of(pod)
        .map(w -> new Trouble(name, NOT_STARTED, "pod " + name + " does not start: " + ContainerWaiting.describe(w)));
  }

  /** The pod's claims that are not Bound, with their storage class: what "unbound immediate claims" means. */
  private static List<String> pendingClaims(Pod pod, List<PersistentVolumeClaim> claims) {
    List<String> pending = new ArrayList<>();
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return pending;
    }
    for (Volume volume : pod.getSpec().getVolumes()) {
      if (volume.getPersistentVolumeClaim() == null) {
        continue;
      }
      String claimName = volume.getPersistentVolumeClaim().getClaimName();
      Optional<PersistentVolumeClaim> claim = claims.stream().filter(c -> claimName.equals(c.getMetadata().getName())
          && pod.getMetadata().getNamespace() != null && pod.getMetadata().getNamespace().equals(c.getMetadata()
          .getNamespace())).findFirst();
      if (claim.isEmpty()) {
        pending.add("claim " + claimName + " does not exist yet");
      } else if (claim.get().getStatus() == null || !"Bound".equals(claim.get().getStatus().getPhase())) {
        String storageClass = claim.get().getSpec() == null ? null : claim.get().getSpec().getStorageClassName();
        pending.add("claim " + claimName + " is " + Optional.ofNullable(claim.get().getStatus())
            .map(s -> s.getPhase()).orElse("Pending") + " with storage class "
            + (storageClass == null ? "(the cluster's default, and none is marked default?)" : storageClass)
            + ": check that the class exists and can provision (spec.persistence.storageClassName)");
      }
    }
    return pending;
  }

  private static Stream<PodCondition> conditions(Pod pod) {
    return pod.getStatus().getConditions() == null ? Stream.empty() : pod.getStatus().getConditions().stream();
  }

}
