package dev.mlops.operator.kueue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * What the operator reads of a Kueue Workload (kueue.x-k8s.io/v1beta2): its name and conditions (QuotaReserved,
 * Admitted, Evicted, Preempted), from the one Kueue creates for each Job that names a LocalQueue. Read as a generic
 * resource: Kueue's CRD comes with Kueue, and no model class of it is kept here.
 */
public record Workload(String name, List<Condition> conditions) {

  public static final String GROUP = "kueue.x-k8s.io";
  public static final String VERSION = "v1beta2";
  public static final String KIND = "Workload";
  public static final String CRD = "workloads.kueue.x-k8s.io";
  /** The label Kueue reads on a Job: the LocalQueue of its namespace that admits it. */
  public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
  public static final String REQUIRED_TOPOLOGY = "kueue.x-k8s.io/podset-required-topology";
  public static final String PREFERRED_TOPOLOGY = "kueue.x-k8s.io/podset-preferred-topology";

  /** The Workload's name and conditions; no conditions yet (Kueue has not looked at it) is an empty list. */
  public static Workload of(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> map ? map.get("conditions") : null;
    List<Condition> read = conditions instanceof List<?> list
        ? list.stream().map(c -> Serialization.jsonMapper().convertValue(c, Condition.class)).toList() : List.of();
    return new Workload(resource.getMetadata().getName(), read);
  }

  /** What the informer keeps of a Workload: name, namespace, owner (the Job) and status.conditions. */
  public static GenericKubernetesResource prune(GenericKubernetesResource resource) {
    resource.getMetadata().setManagedFields(null);
    resource.getMetadata().setAnnotations(new java.util.HashMap<>());
    Object status = resource.getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> map ? map.get("conditions") : null;
    resource.getAdditionalProperties().clear();
    if (conditions != null) {
      resource.getAdditionalProperties().put("status", Map.of("conditions", conditions));
    }
    return resource;
  }
}
