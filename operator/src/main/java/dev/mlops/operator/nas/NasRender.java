package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.nas.NasVolumePlanner.CreateClaim;
import dev.mlops.operator.nas.NasVolumePlanner.CreateVolume;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's first reconcile of a NasServer or NasVolume, without a server: what it would
 * create and the status it would write. A new claim is not Bound yet (Kubernetes binds it next), so
 * a rendered NasVolume is Pending, and a TrainingJob that mounts it waits: render it with the
 * NasVolumes of the cluster ({@code --cluster}, as {@code kubectl get nasvolumes -o yaml} prints them).
 */
public final class NasRender {

  private NasRender() {}

  public record Result(List<HasMetadata> objects, List<String> errors) {}

  public static Result server(NasServer server, Collection<NasVolume> volumes, Instant now) {
    if (server.getMetadata().getGeneration() == null) {
      server.getMetadata().setGeneration(1L);
    }
    List<String> errors = NasValidator.validateServer(server.getSpec());
    if (!errors.isEmpty()) {
      return new Result(List.of(), errors);
    }
    String name = server.getMetadata().getName();
    int count = (int) volumes.stream().filter(v -> v.getSpec() != null && name.equals(v.getSpec().getServer())).count();
    server.setStatus(NasServerPlanner.plan(server, count, now).status());
    return new Result(List.of(server), List.of());
  }

  /**
   * @param servers    NasServers by name
   * @param namespaces Namespaces by name; a namespace not among them is assumed allowed by the server
   *                   (render cannot know its labels; the caller says so)
   */
  public static Result volume(NasVolume nv, Map<String, NasServer> servers, Map<String, Namespace> namespaces,
      Instant now) {
    if (nv.getMetadata().getNamespace() == null) {
      nv.getMetadata().setNamespace("default");
    }
    if (nv.getMetadata().getGeneration() == null) {
      nv.getMetadata().setGeneration(1L);
    }
    List<String> errors = NasValidator.validateVolume(nv.getMetadata().getName(), nv.getSpec());
    if (!errors.isEmpty()) {
      return new Result(List.of(), errors);
    }
    Namespace ns = namespaces.get(nv.getMetadata().getNamespace());
    Optional<NasServer> server = Optional.ofNullable(servers.get(nv.getSpec().getServer()));
    Map<String, String> labels = ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    if (ns == null && server.isPresent() && server.get().getSpec() != null) {
      // Unknown labels: render as the server allowed the namespace; on the cluster its labels decide.
      NasServer copy = Serialization.clone(server.get());
      copy.getSpec().setAllowedNamespaces(new io.fabric8.kubernetes.api.model.LabelSelector());
      server = Optional.of(copy);
    }
    var observed = new NasVolumePlanner.Observed(server, Optional.of(labels), Optional.empty(), Optional.empty(),
        List.of(), List.of());
    NasVolumePlanner.Plan plan = NasVolumePlanner.plan(nv, observed, now, NasBenchmarkJob.image());
    List<HasMetadata> objects = new ArrayList<>();
    for (var action : plan.actions()) {
      if (action instanceof CreateVolume create) {
        objects.add(create.volume());
      } else if (action instanceof CreateClaim create) {
        objects.add(create.claim());
      }
    }
    nv.setStatus(plan.status());
    objects.add(nv);
    return new Result(objects, List.of());
  }
}
