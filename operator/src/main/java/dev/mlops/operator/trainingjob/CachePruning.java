package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Labels;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.List;

/**
 * What the TrainingJob reconciler keeps of the objects it watches. Everything it reads stays:
 * metadata (labels, annotations, owner references, deletion), a pod's node and status, a Job's
 * status, a Node's labels, schedulability, allocatable resources and Ready condition.
 */
final class CachePruning {

  private CachePruning() {}

  /**
   * A FailedCreate Event on a Job: whose it is, when, and what it says. Any other Event (a server that ignores the
   * informer's field selector, like the mock one, sends them all) keeps only its identity and reason.
   */
  static io.fabric8.kubernetes.api.model.Event event(io.fabric8.kubernetes.api.model.Event event) {
    boolean refusal = event.getInvolvedObject() != null && "Job".equals(event.getInvolvedObject().getKind())
        && TrainingJobPlanner.FAILED_CREATE.equals(event.getReason());
    if (!refusal) {
      var kept = new io.fabric8.kubernetes.api.model.Event();
      kept.setMetadata(new ObjectMeta());
      kept.getMetadata().setName(event.getMetadata().getName());
      kept.getMetadata().setNamespace(event.getMetadata().getNamespace());
      kept.getMetadata().setResourceVersion(event.getMetadata().getResourceVersion());
      kept.setReason(event.getReason());
      return kept;
    }
    event.getMetadata().setManagedFields(null);
    event.setSource(null);
    event.setReportingComponent(null);
    event.setReportingInstance(null);
    event.setSeries(null);
    event.setRelated(null);
    return event;
  }

  static Pod pod(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    meta.setLabels(only(meta.getLabels(), TrainingJobResources.JOB_LABEL, TrainingJobResources.ATTEMPT_LABEL,
        TrainingJobResources.COMPLETION_INDEX_ANNOTATION, Labels.MANAGED_BY));
    meta.setAnnotations(only(meta.getAnnotations(), TrainingJobResources.COMPLETION_INDEX_ANNOTATION));
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      PodSpec kept = new PodSpec();
      kept.setNodeName(spec.getNodeName());
      pod.setSpec(kept);
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      PodStatus kept = new PodStatus();
      kept.setPhase(status.getPhase());
      kept.setReason(status.getReason());
      kept.setMessage(status.getMessage());
      if (status.getConditions() != null) {
        kept.setConditions(status.getConditions().stream()
            .filter(c -> KEPT_POD_CONDITIONS.contains(c.getType())).toList());
      }
      kept.setContainerStatuses(terminations(status.getContainerStatuses()));
      kept.setInitContainerStatuses(terminations(status.getInitContainerStatuses()));
      pod.setStatus(kept);
    }
    return pod;
  }

  private static final Set<String> KEPT_POD_CONDITIONS = Set.of("Ready", "PodScheduled", "DisruptionTarget");

  /** A container status reduced to its name and, once it ended, how. */
  private static List<ContainerStatus> terminations(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return null;
    }
    return statuses.stream().map(s -> {
      ContainerStatus kept = new ContainerStatus();
      kept.setName(s.getName());
      kept.setRestartCount(s.getRestartCount());
      if (s.getState() != null && s.getState().getTerminated() != null) {
        ContainerStateTerminated t = s.getState().getTerminated();
        ContainerStateTerminated end = new ContainerStateTerminated();
        end.setExitCode(t.getExitCode());
        end.setReason(t.getReason());
        end.setMessage(t.getMessage());
        end.setFinishedAt(t.getFinishedAt());
        ContainerState state = new ContainerState();
        state.setTerminated(end);
        kept.setState(state);
      } else if (s.getState() != null && s.getState().getRunning() != null) {
        // Started: the startup policy's business with this worker is over.
        ContainerState state = new ContainerState();
        state.setRunning(new io.fabric8.kubernetes.api.model.ContainerStateRunning(s.getState().getRunning()
            .getStartedAt()));
        kept.setState(state);
      } else if (s.getState() != null && s.getState().getWaiting() != null) {
        // Why a container does not start (ImagePullBackOff, CreateContainerConfigError): the startup policy says it.
        ContainerState state = new ContainerState();
        state.setWaiting(new io.fabric8.kubernetes.api.model.ContainerStateWaiting(s.getState().getWaiting().getMessage(),
            s.getState().getWaiting().getReason()));
        kept.setState(state);
      }
      return kept;
    }).toList();
  }

  private static Map<String, String> only(Map<String, String> map, String... keys) {
    Map<String, String> kept = new HashMap<>();
    if (map != null) {
      for (String key : keys) {
        if (map.containsKey(key)) {
          kept.put(key, map.get(key));
        }
      }
    }
    return kept;
  }

  static Service service(Service service) {
    service.getMetadata().setManagedFields(null);
    service.setSpec(null);
    service.setStatus(null);
    return service;
  }

  static TrainingJob trainingJob(TrainingJob tj) {
    tj.getMetadata().setManagedFields(null);
    return tj;
  }

  static Job job(Job job) {
    job.getMetadata().setManagedFields(null);
    JobSpec spec = job.getSpec();
    if (spec != null) {
      JobSpec kept = new JobSpec();
      kept.setCompletions(spec.getCompletions());
      kept.setParallelism(spec.getParallelism());
      // Kueue's decisions: whether it holds the Job suspended, and the GPU product its ResourceFlavor put in the
      // workers' node selector.
      kept.setSuspend(spec.getSuspend());
      var selector = spec.getTemplate() == null || spec.getTemplate().getSpec() == null ? null
          : spec.getTemplate().getSpec().getNodeSelector();
      if (selector != null && selector.containsKey(GpuProductSelector.PRODUCT_LABEL)) {
        kept.setTemplate(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewSpec()
            .addToNodeSelector(GpuProductSelector.PRODUCT_LABEL, selector.get(GpuProductSelector.PRODUCT_LABEL))
            .endSpec().build());
      }
      job.setSpec(kept);
    }
    return job;
  }

  static Node node(Node node) {
    node.getMetadata().setManagedFields(null);
    // Emptied, not nulled: JOSDK looks up its own annotation on every cached object.
    node.getMetadata().setAnnotations(new java.util.HashMap<>());
    NodeStatus status = node.getStatus();
    if (status != null) {
      NodeStatus kept = new NodeStatus();
      kept.setAllocatable(status.getAllocatable());
      if (status.getConditions() != null) {
        kept.setConditions(status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).toList());
      } else {
        kept.setConditions(List.of());
      }
      node.setStatus(kept);
    }
    if (node.getSpec() != null) {
      // Taints stay: a worker that does not tolerate one cannot land there, and the product choice says so.
      node.getSpec().setPodCIDRs(null);
    }
    return node;
  }
}
