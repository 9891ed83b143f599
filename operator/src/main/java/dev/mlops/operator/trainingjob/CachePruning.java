package dev.mlops.operator.trainingjob;

import io.fabric8.kubernetes.api.model.Node;
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

  static Pod pod(Pod pod) {
    pod.getMetadata().setManagedFields(null);
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      PodSpec kept = new PodSpec();
      kept.setNodeName(spec.getNodeName());
      pod.setSpec(kept);
    }
    return pod;
  }

  static Job job(Job job) {
    job.getMetadata().setManagedFields(null);
    JobSpec spec = job.getSpec();
    if (spec != null) {
      JobSpec kept = new JobSpec();
      kept.setCompletions(spec.getCompletions());
      kept.setParallelism(spec.getParallelism());
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
      node.getSpec().setTaints(null);
      node.getSpec().setPodCIDRs(null);
    }
    return node;
  }
}
