package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.NasVolumeStatus;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.PruningItemStore;
import dev.mlops.operator.kind.KindPlan;
import dev.mlops.operator.kind.KindReconciler;
import dev.mlops.operator.nas.NasVolumePlanner.Action;
import dev.mlops.operator.nas.NasVolumePlanner.CreateBenchmark;
import dev.mlops.operator.nas.NasVolumePlanner.CreateClaim;
import dev.mlops.operator.nas.NasVolumePlanner.CreateVolume;
import dev.mlops.operator.nas.NasVolumePlanner.DeleteBenchmark;
import dev.mlops.operator.nas.NasVolumePlanner.DeleteClaim;
import dev.mlops.operator.nas.NasVolumePlanner.DeleteVolume;
import dev.mlops.operator.nas.NasVolumePlanner.SetMountOptions;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * NasVolume on the shared loop: a PV and a claim bound to each other, a benchmark Job when asked,
 * and a finalizer that deletes the PV and claim (with {@code deletionPolicy: Delete}) only once no
 * pod uses the claim. Planned by {@link NasVolumePlanner}.
 */
@ControllerConfiguration(name = NasVolumeReconciler.NAME)
public class NasVolumeReconciler extends KindReconciler<NasVolume, NasVolumeStatus> implements Cleaner<NasVolume> {

  public static final String NAME = "nasvolume";

  private final NasMetrics metrics;
  private final String benchmarkImage;
  private InformerEventSource<PersistentVolume, NasVolume> volumes;
  private InformerEventSource<PersistentVolumeClaim, NasVolume> claims;
  private InformerEventSource<Job, NasVolume> jobs;
  private InformerEventSource<Pod, NasVolume> pods;

  public NasVolumeReconciler(KubernetesClient client, Clock clock, NasMetrics metrics, String benchmarkImage) {
    super(client, clock, NasVolumeResources.VOLUME_LABEL, null);
    this.metrics = metrics;
    this.benchmarkImage = benchmarkImage;
  }

  @Override
  public List<EventSource<?, NasVolume>> prepareEventSources(EventSourceContext<NasVolume> context) {
    UnaryOperator<PersistentVolume> keepVolume = v -> v;
    volumes = childInformer(PersistentVolume.class, NasVolume.class, "nasvolume-pvs", keepVolume, context,
        NasVolumeResources.VOLUME_NAMESPACE_LABEL);
    claims = childInformer(PersistentVolumeClaim.class, NasVolume.class, "nasvolume-pvcs", c -> c, context);
    jobs = childInformer(Job.class, NasVolume.class, "nasvolume-jobs", j -> j, context);
    pods = childInformer(Pod.class, NasVolume.class, "nasvolume-pods", p -> p, context);
    metrics.observe(() -> context.getPrimaryCache().list().toList());
    // A NasServer wakes the volumes on it (its options, its allowed namespaces, its existence).
    var servers = new InformerEventSource<>(InformerEventSourceConfiguration.from(NasServer.class, NasVolume.class)
        .withName("nasvolume-servers").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withItemStore(new PruningItemStore<NasServer>(s -> s, true))
        .withSecondaryToPrimaryMapper(server -> context.getPrimaryCache()
            .list(nv -> nv.getSpec() != null && server.getMetadata().getName().equals(nv.getSpec().getServer()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((NasVolume nv) -> nv.getSpec() == null || nv.getSpec().getServer() == null
            ? Set.of() : Set.of(new ResourceID(nv.getSpec().getServer())))
        .build(), context);
    // A namespace's labels decide whether a NasServer allows it: a label change wakes its volumes.
    var namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, NasVolume.class)
        .withName("nasvolume-namespaces").withWatchAllNamespaces().withFollowControllerNamespacesChanges(false)
        .withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new PruningItemStore<Namespace>(Labels::namespaceLabelsOnly, true))
        .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache()
            .list(nv -> ns.getMetadata().getName().equals(nv.getMetadata().getNamespace()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((NasVolume nv) -> Set.of(new ResourceID(nv.getMetadata().getNamespace())))
        .withOnUpdateFilter((next, previous) -> !Objects.equals(next.getMetadata().getLabels(),
            previous.getMetadata().getLabels()))
        .build(), context);
    return List.of(volumes, claims, jobs, pods, servers, namespaces);
  }

  /**
   * The volume's own PV and claim by their names among what carries its label (a copied claim with the
   * same labels is never taken for, or deleted as, its own); and, while its claim is not in the cache,
   * whether a claim of that name exists that the operator did not make (one GET, read from the server).
   */
  private NasVolumePlanner.Observed observe(NasVolume nv, Context<NasVolume> context) {
    String name = nv.getMetadata().getName();
    String pvName = NasVolumeResources.persistentVolumeName(nv.getMetadata().getNamespace(), name);
    Optional<PersistentVolume> pv = context.getSecondaryResources(PersistentVolume.class).stream()
        .filter(v -> pvName.equals(v.getMetadata().getName())).findFirst();
    Optional<PersistentVolumeClaim> claim = context.getSecondaryResources(PersistentVolumeClaim.class).stream()
        .filter(c -> name.equals(c.getMetadata().getName())).findFirst();
    boolean foreignClaim = false;
    if (claim.isEmpty() && nv.getMetadata().getDeletionTimestamp() == null) {
      PersistentVolumeClaim existing = context.getClient().persistentVolumeClaims()
          .inNamespace(nv.getMetadata().getNamespace()).withName(name).get();
      // Ours but not cached yet (just created) is not foreign: it carries the volume's label.
      foreignClaim = existing != null && (existing.getMetadata().getLabels() == null
          || !name.equals(existing.getMetadata().getLabels().get(NasVolumeResources.VOLUME_LABEL)));
    }
    return new NasVolumePlanner.Observed(context.getSecondaryResource(NasServer.class),
        context.getSecondaryResource(Namespace.class).map(ns -> ns.getMetadata().getLabels() == null
            ? java.util.Map.<String, String>of() : ns.getMetadata().getLabels()),
        pv, claim, List.copyOf(context.getSecondaryResources(Job.class)),
        List.copyOf(context.getSecondaryResources(Pod.class)), foreignClaim);
  }

  @Override
  protected KindPlan<NasVolumeStatus> plan(NasVolume nv, Context<NasVolume> context) {
    return kindPlan(NasVolumePlanner.plan(nv, observe(nv, context), clock.instant(), benchmarkImage));
  }

  @Override
  public DeleteControl cleanup(NasVolume nv, Context<NasVolume> context) {
    List<String> users = List.of();
    if (nv.getSpec() != null && "Delete".equals(nv.getSpec().getDeletionPolicy())) {
      users = podsUsingClaim(context.getClient(), nv.getMetadata().getNamespace(), nv.getMetadata().getName());
    }
    NasVolumePlanner.Plan plan = NasVolumePlanner.cleanup(nv, observe(nv, context), users, clock.instant());
    return finishCleanup(nv, context, kindPlan(plan), plan.finalizerMayGo());
  }

  /**
   * Pods of the namespace, not finished, whose volumes name the claim: read from the API server at
   * the moment of deciding (only while a deletion with deletionPolicy Delete waits), not cached.
   */
  static List<String> podsUsingClaim(KubernetesClient client, String namespace, String claim) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(p -> p.getStatus() == null || !"Succeeded".equals(p.getStatus().getPhase())
            && !"Failed".equals(p.getStatus().getPhase()))
        .filter(p -> p.getSpec() != null && p.getSpec().getVolumes() != null && p.getSpec().getVolumes().stream()
            .anyMatch(v -> v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName())))
        .map(p -> p.getMetadata().getName()).sorted().toList();
  }

  private KindPlan<NasVolumeStatus> kindPlan(NasVolumePlanner.Plan plan) {
    return new KindPlan<>(plan.status(), plan.actions().stream().map(this::childAction).toList(),
        plan.events().stream().map(e -> new KindPlan.KindEvent(e.type(), e.reason(), e.message())).toList(),
        plan.requeueAfter());
  }

  private KindPlan.ChildAction childAction(Action action) {
    if (action instanceof CreateVolume create) {
      return w -> w.createIfAbsent("PersistentVolume", create.volume(), volumes);
    } else if (action instanceof CreateClaim create) {
      return w -> w.createIfAbsent("PersistentVolumeClaim", create.claim(), claims);
    } else if (action instanceof SetMountOptions set) {
      return w -> w.edit(set.volume(), volumes, pv -> {
        pv.getSpec().setMountOptions(set.mountOptions());
        return pv;
      });
    } else if (action instanceof CreateBenchmark create) {
      return w -> w.createIfAbsent("benchmark Job", create.job(), jobs);
    } else if (action instanceof DeleteBenchmark delete) {
      return w -> w.delete(delete.job(), DeletionPropagation.BACKGROUND);
    } else if (action instanceof DeleteClaim delete) {
      return w -> w.delete(delete.claim(), null);
    } else if (action instanceof DeleteVolume delete) {
      return w -> w.delete(delete.volume(), null);
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  @Override
  public void refreshMetrics() {
    metrics.refresh();
  }

  /** The PVs this controller caches (tests). */
  Optional<PersistentVolume> cachedVolume(String name) {
    return volumes.list(v -> v.getMetadata().getName().equals(name)).findFirst();
  }
}
