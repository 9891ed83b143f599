package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasServerStatus;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.common.PruningItemStore;
import dev.mlops.operator.kind.KindPlan;
import dev.mlops.operator.kind.KindReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * NasServer on the shared loop. It has no children: its status says whether it is valid, the mount
 * options its volumes get, and how many NasVolumes (in the watched namespaces) name it. The
 * volumes' own controller turns it into PersistentVolumes.
 */
@ControllerConfiguration(name = NasServerReconciler.NAME)
public class NasServerReconciler extends KindReconciler<NasServer, NasServerStatus> {

  public static final String NAME = "nasserver";

  private final Set<String> namespaces;
  private InformerEventSource<NasVolume, NasServer> volumes;

  /** @param namespaces the operator's watched namespaces (empty: all): where its NasVolumes are counted */
  public NasServerReconciler(KubernetesClient client, Clock clock, Set<String> namespaces) {
    super(client, clock, "mlops.dev/nasserver", null);
    this.namespaces = namespaces;
  }

  @Override
  public List<EventSource<?, NasServer>> prepareEventSources(EventSourceContext<NasServer> context) {
    var config = InformerEventSourceConfiguration.from(NasVolume.class, NasServer.class).withName("nasserver-volumes")
        .withItemStore(new PruningItemStore<NasVolume>(nv -> nv, true))
        .withSecondaryToPrimaryMapper((NasVolume nv) -> nv.getSpec() == null || nv.getSpec().getServer() == null
            ? Set.of() : Set.of(new ResourceID(nv.getSpec().getServer())))
        // Counted with list(), never through a per-server index: a volume's server is in its spec.
        .withPrimaryToSecondaryMapper(server -> Set.of())
        .withOnUpdateFilter((next, previous) -> false)
        .withFollowControllerNamespacesChanges(false);
    config = namespaces.isEmpty() ? config.withWatchAllNamespaces() : config.withNamespaces(namespaces);
    volumes = new InformerEventSource<>(config.build(), context);
    return List.of(volumes);
  }

  @Override
  protected KindPlan<NasServerStatus> plan(NasServer server, Context<NasServer> context) {
    String name = server.getMetadata().getName();
    int count = (int) volumes.list(nv -> nv.getSpec() != null && name.equals(nv.getSpec().getServer())).count();
    return NasServerPlanner.plan(server, count, clock.instant());
  }
}
