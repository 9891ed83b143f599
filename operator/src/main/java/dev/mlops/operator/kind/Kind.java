package dev.mlops.operator.kind;

import dev.mlops.operator.manifest.ResourceKind;
import dev.mlops.operator.runtime.OperatorPermissions;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One kind of the operator, registered once ({@link Kinds#ALL}); every registry reads it: the
 * embedded API server's CRDs, the readers of {@code render} and {@code sandbox}, the operator's RBAC
 * ({@link OperatorPermissions}, and from it the chart's, checked by a test), the simulated garbage
 * collector's owner kinds, the chart's CRD files and Argo CD health checks (checked by a test), and
 * the controllers {@code MlopsOperator} starts.
 *
 * @param resource    group, version, kind, class, scope and generated CRD, for the manifest reader
 * @param childLabel  the label on each child, valued with the owner's name: its informers select on it
 * @param permissions what its controller calls, beyond what every kind shares (Events)
 * @param pruneForCache what the primary informer keeps of each object
 * @param controller  builds its reconciler
 */
public record Kind<P extends CustomResource<?, ?>>(ResourceKind resource, Class<P> type, String childLabel,
    List<OperatorPermissions.Rule> permissions, UnaryOperator<P> pruneForCache, ControllerFactory<P> controller) {

  /** Builds a kind's reconciler on the operator's client. */
  @FunctionalInterface
  public interface ControllerFactory<P extends CustomResource<?, ?>> {
    /** @param settings the operator's settings: its watched namespaces (for informers of other kinds' objects), seams */
    KindReconciler<P, ?> create(KubernetesClient client, Clock clock, MeterRegistry registry, OperatorSettings settings);
  }

  /** A cluster-scoped kind (NasServer): its controller watches the whole cluster whatever namespaces are watched. */
  public boolean clusterScoped() {
    return !resource.namespaced();
  }

  /** The CRD's name, {@code trainingjobs.mlops.dev}. */
  public String crdName() {
    return io.fabric8.kubernetes.api.model.HasMetadata.getFullResourceName(type);
  }
}
