package dev.mlops.operator.pipeline;

import dev.mlops.operator.argo.Argo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether Argo Workflows is installed: its CRDs are on the API server. Once they are, that is kept
 * (the Argo informers start then); until then each answer is reused for {@link #RECHECK}, so many
 * Pipelines waiting for Argo cost one look-up per interval, not one each.
 */
public final class ArgoAvailability {

  /** How often a missing Argo is looked for again; Pipelines and runs are requeued as often. */
  public static final Duration RECHECK = Duration.ofSeconds(15);

  /**
   * Installed, or what is missing and what to do; {@code reason} is the condition's reason
   * (ArgoWorkflowsInstalled, ArgoWorkflowsNotInstalled, or CrdsUnreadable when RBAC refuses the look-up).
   */
  public record Answer(boolean available, String reason, String message) {
    public static Answer installed(String message) {
      return new Answer(true, "ArgoWorkflowsInstalled", message);
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private volatile Answer last;
  private volatile Instant checkedAt = Instant.MIN;

  public ArgoAvailability(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public Answer check() {
    Answer known = last;
    if (known != null && (known.available() || clock.instant().isBefore(checkedAt.plus(RECHECK)))) {
      return known;
    }
    List<String> missing = new ArrayList<>();
    String refused = null;
    for (String crd : Argo.REQUIRED_CRDS) {
      try {
        if (client.apiextensions().v1().customResourceDefinitions().withName(crd).get() == null) {
          missing.add(crd);
        }
      } catch (KubernetesClientException e) {
        refused = "reading CustomResourceDefinition " + crd + " was refused (HTTP " + e.getCode() + "): the operator needs"
            + " get on customresourcedefinitions.apiextensions.k8s.io";
        break;
      }
    }
    Answer answer = refused != null ? new Answer(false, "CrdsUnreadable", refused)
        : missing.isEmpty() ? Answer.installed("Argo Workflows is installed (" + String.join(", ", Argo.REQUIRED_CRDS)
            + ").")
        : new Answer(false, "ArgoWorkflowsNotInstalled", "Argo Workflows is not installed: CRD "
            + String.join(", ", missing) + " not found. Install Argo Workflows 3.6 or newer (its CRDs and"
            + " workflow-controller); Pipelines and PipelineRuns proceed once it is there.");
    last = answer;
    checkedAt = clock.instant();
    return answer;
  }
}
