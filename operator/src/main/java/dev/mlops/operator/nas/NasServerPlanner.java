package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasServerStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.Times;
import dev.mlops.operator.kind.KindPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A NasServer's status, pure: is it valid, what its volumes are mounted with, how many NasVolumes name it. */
public final class NasServerPlanner {

  private NasServerPlanner() {}

  public static final String COND_VALID = "Valid";
  public static final String READY = "Ready";

  public static KindPlan<NasServerStatus> plan(NasServer server, int volumes, Instant now) {
    NasServerStatus before = server.getStatus() == null ? new NasServerStatus() : server.getStatus();
    NasServerStatus status = before.copy();
    Long generation = server.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    status.setVolumes(volumes);
    List<KindPlan.KindEvent> events = new ArrayList<>();
    List<String> errors = NasValidator.validateServer(server.getSpec());
    String nowText = Times.format(now);
    if (errors.isEmpty()) {
      status.setMountOptions(NasProfiles.effective(server.getSpec()));
      var spec = server.getSpec();
      status.setProfile(spec.getMountOptions() != null && !spec.getMountOptions().isEmpty() ? "custom"
          : spec.getProfile() == null ? NasProfiles.DEFAULT : spec.getProfile());
      Conditions.set(status.getConditions(), COND_VALID, Conditions.TRUE, "SpecValid", "The spec is valid.", generation,
          nowText);
    } else {
      String message = String.join("; ", errors);
      boolean said = Conditions.find(before.getConditions(), COND_VALID)
          .map(c -> Conditions.FALSE.equals(c.getStatus()) && message.equals(c.getMessage())).orElse(false);
      if (!said) {
        events.add(new KindPlan.KindEvent("Warning", "InvalidSpec", message));
      }
      status.setMountOptions(null);
      status.setProfile(null);
      Conditions.set(status.getConditions(), COND_VALID, Conditions.FALSE, "InvalidSpec", message, generation, nowText);
    }
    status.setPhase(errors.isEmpty() ? READY : Conditions.INVALID_PHASE);
    status.setReason(Conditions.leadingReason(status.getConditions(), COND_VALID));
    return new KindPlan<>(status, List.of(), events, Optional.empty());
  }
}
