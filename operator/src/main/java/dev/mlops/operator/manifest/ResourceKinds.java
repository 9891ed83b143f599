package dev.mlops.operator.manifest;

import dev.mlops.operator.common.Quantities;
import dev.mlops.operator.manifest.StructuralSchema.Violation;
import dev.mlops.operator.manifest.YamlTree.SourceLines;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The kinds the reader knows; each command names which of them it accepts. */
public final class ResourceKinds {

  private ResourceKinds() {}

  public static final String GROUP = "mlops.dev";
  public static final String VERSION = "v1alpha1";

  public static final ResourceKind TRAINING_JOB = dev.mlops.operator.trainingjob.TrainingJobKind.RESOURCE;

  public static final ResourceKind NODE = new ResourceKind("", "v1", "Node", Node.class, false, null,
      ResourceKinds::nodeChecks);

  /** Namespaces, for their labels: which NasServers allow them. */
  public static final ResourceKind NAMESPACE = new ResourceKind("", "v1", "Namespace",
      io.fabric8.kubernetes.api.model.Namespace.class, false, null, null);

  /** Pods of a cluster dump, for render: their node and GPU requests are what is not free. */
  public static final ResourceKind POD = new ResourceKind("", "v1", "Pod", io.fabric8.kubernetes.api.model.Pod.class, true,
      null, null);

  /** PriorityClasses, for render: the value of a job's spec.scheduling.priorityClassName. */
  public static final ResourceKind PRIORITY_CLASS = new ResourceKind("scheduling.k8s.io", "v1", "PriorityClass",
      io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class, false, null, null);

  /** Every kind of the operator's own group (the registered kinds), for "did you mean" and "not served" answers. */
  public static List<ResourceKind> own() {
    return dev.mlops.operator.kind.Kinds.ALL.stream().map(dev.mlops.operator.kind.Kind::resource).toList();
  }

  /** Kinds of the core API a user may plausibly put in a file by mistake; named in refusals. */
  static final Set<String> CORE_KINDS = Set.of("Pod", "Service", "ConfigMap", "Secret", "Namespace", "Node",
      "PersistentVolume", "PersistentVolumeClaim", "ServiceAccount", "Event");

  /** A Node's capacity and allocatable are read as numbers of GPUs: each must be a quantity. */
  @SuppressWarnings("unchecked")
  private static List<Violation> nodeChecks(Map<String, Object> node, SourceLines lines) {
    List<Violation> errors = new ArrayList<>();
    if (!(node.get("status") instanceof Map<?, ?> status)) {
      return errors;
    }
    for (String field : List.of("capacity", "allocatable")) {
      Object value = status.get(field);
      if (value == null) {
        continue;
      }
      if (!(value instanceof Map<?, ?> resources)) {
        errors.add(new Violation("status." + field, "expected a map of quantities, got "
            + StructuralSchema.describe(value), lines.line(status, field), true));
        continue;
      }
      for (Map.Entry<?, ?> entry : ((Map<Object, Object>) resources).entrySet()) {
        Object amount = entry.getValue();
        String text = amount instanceof Long ? amount.toString() : amount instanceof String s ? s : null;
        if (!Quantities.isValid(text)) {
          errors.add(new Violation("status." + field + "[" + entry.getKey() + "]", StructuralSchema.describe(amount)
              + " is not a quantity (a number such as 8, 500m or 64Gi)", lines.line(resources, entry.getKey()), true));
        }
      }
    }
    return errors;
  }
}
