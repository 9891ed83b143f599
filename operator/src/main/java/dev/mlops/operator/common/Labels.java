package dev.mlops.operator.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels every child carries. Children never get {@code app.kubernetes.io/instance}: Argo CD uses
 * it to track what it applied and would prune objects the operator created.
 */
public final class Labels {

  private Labels() {}

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String OPERATOR = "mlops-operator";
  public static final String ARGOCD_INSTANCE = "app.kubernetes.io/instance";

  /** Equality selector for the informers: every child (and every worker pod) has it. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** {@code mlops.dev/<kind>: <name>} plus the common labels. */
  public static Map<String, String> forChild(String kindLabel, String ownerName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(PART_OF, OPERATOR);
    labels.put("mlops.dev/" + kindLabel, ownerName);
    return labels;
  }

  /**
   * A Namespace as a cache of namespace labels keeps it: name, uid, resourceVersion and labels only
   * (which NasServers and RedisInstances allow a namespace depends on nothing else).
   */
  public static io.fabric8.kubernetes.api.model.Namespace namespaceLabelsOnly(io.fabric8.kubernetes.api.model.Namespace ns) {
    io.fabric8.kubernetes.api.model.Namespace kept = new io.fabric8.kubernetes.api.model.Namespace();
    kept.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(ns.getMetadata().getName())
        .withUid(ns.getMetadata().getUid()).withResourceVersion(ns.getMetadata().getResourceVersion())
        .withLabels(ns.getMetadata().getLabels()).build());
    return kept;
  }
}
