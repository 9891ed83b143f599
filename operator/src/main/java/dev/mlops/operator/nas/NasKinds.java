package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.kind.Kind;
import dev.mlops.operator.manifest.ResourceKind;
import dev.mlops.operator.runtime.OperatorPermissions.Rule;
import dev.mlops.operator.runtime.OperatorPermissions.Scope;
import java.util.List;

/** The registrations of NasServer and NasVolume: what every registry of the operator reads about them. */
public final class NasKinds {

  private NasKinds() {}

  public static final ResourceKind SERVER_RESOURCE = new ResourceKind("mlops.dev", "v1alpha1", "NasServer", NasServer.class,
      false, "META-INF/fabric8/nasservers.mlops.dev-v1.yml", null);

  public static final ResourceKind VOLUME_RESOURCE = new ResourceKind("mlops.dev", "v1alpha1", "NasVolume", NasVolume.class,
      true, "META-INF/fabric8/nasvolumes.mlops.dev-v1.yml", null);

  public static final Kind<NasServer> SERVER = new Kind<>(SERVER_RESOURCE, NasServer.class, "mlops.dev/nasserver",
      List.of(
          new Rule(Scope.CLUSTER, "mlops.dev", List.of("nasservers"), List.of("get", "list", "watch"),
              "the NasServers it reconciles, and which export each NasVolume may use"),
          new Rule(Scope.CLUSTER, "mlops.dev", List.of("nasservers/status"), List.of("update"),
              "writes each NasServer's status (optimistic locking, one place)")),
      s -> s,
      (client, clock, registry, settings) -> new NasServerReconciler(client, clock, settings.namespaces()));

  public static final Kind<NasVolume> VOLUME = new Kind<>(VOLUME_RESOURCE, NasVolume.class, NasVolumeResources.VOLUME_LABEL,
      List.of(
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("nasvolumes"),
              List.of("get", "list", "watch", "patch", "update"),
              "the NasVolumes it reconciles (read by the TrainingJob controller too); adds and removes its finalizer"),
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("nasvolumes/status"), List.of("update"),
              "writes each NasVolume's status (optimistic locking, one place)"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("persistentvolumeclaims"),
              List.of("get", "list", "watch", "create", "delete"),
              "the claim of each NasVolume; deleted only with deletionPolicy Delete, once no pod uses it"),
          new Rule(Scope.CLUSTER, "", List.of("persistentvolumes"), List.of("get", "list", "watch", "create", "patch", "delete"),
              "the PV of each NasVolume; patched when its NasServer's mount options change; deleted only with"
                  + " deletionPolicy Delete (reclaim policy Retain: the data is never touched)"),
          new Rule(Scope.CLUSTER, "", List.of("namespaces"), List.of("get", "list", "watch"),
              "namespace labels, matched against each NasServer's allowedNamespaces"),
          new Rule(Scope.WATCHED_NAMESPACES, "batch", List.of("jobs"), List.of("get", "list", "watch", "create", "delete"),
              "the one-shot benchmark Job of a NasVolume"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("pods"), List.of("get", "list", "watch"),
              "the benchmark pod's termination message; the pods that still use a claim before it is deleted")),
      v -> v,
      (client, clock, registry, settings) -> new NasVolumeReconciler(client, clock, new NasMetrics(registry),
          NasBenchmarkJob.image()));
}
