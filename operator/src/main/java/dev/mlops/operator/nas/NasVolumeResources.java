package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import dev.mlops.operator.api.v1alpha1.NasVolumeSpec;
import dev.mlops.operator.common.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The desired PersistentVolume and PersistentVolumeClaim of a NasVolume, from its spec and its
 * NasServer's: pure, so {@code render} prints exactly what the controller creates.
 *
 * <ul>
 *   <li>The PV is pre-bound to exactly its claim ({@code claimRef}) and the claim to exactly its PV
 *       ({@code volumeName}); both have {@code storageClassName: ""}, so a cluster's default
 *       StorageClass neither provisions a volume for the claim nor keeps the two apart.</li>
 *   <li>{@code persistentVolumeReclaimPolicy: Retain} always: Kubernetes never scrubs or deletes the
 *       data of a released PV. The NasVolume's {@code deletionPolicy} is about the objects only.</li>
 *   <li>Neither has an ownerReference: with {@code deletionPolicy: Retain} they must outlive the
 *       NasVolume, which a garbage-collected owner would not allow. They are found by their labels.</li>
 * </ul>
 */
public final class NasVolumeResources {

  private NasVolumeResources() {}

  public static final String VOLUME_LABEL = "mlops.dev/nasvolume";
  /** On the cluster-scoped PV: the namespace of the NasVolume it belongs to. */
  public static final String VOLUME_NAMESPACE_LABEL = "mlops.dev/nasvolume-namespace";
  public static final String CSI_DRIVER = "nfs.csi.k8s.io";
  public static final String DRIVER_IN_TREE = "in-tree";
  public static final String DRIVER_CSI = "csi";
  private static final int MAX_NAME = 253;

  /**
   * {@code nas-<namespace>-<name>-<hash>}: unique across namespaces (the hash of {@code namespace/name}
   * keeps {@code a-b/c} and {@code a/b-c} apart), at most 253 characters.
   */
  public static String persistentVolumeName(String namespace, String name) {
    String hash = sha256(namespace + "/" + name).substring(0, 10);
    String base = "nas-" + namespace + "-" + name;
    int room = MAX_NAME - hash.length() - 1;
    if (base.length() > room) {
      base = base.substring(0, room).replaceAll("[-.]+$", "");
    }
    return base + "-" + hash;
  }

  /** ReadOnlyMany unless {@code readOnly: false}. */
  public static boolean readOnly(NasVolumeSpec spec) {
    return spec.getReadOnly() == null || spec.getReadOnly();
  }

  static String accessMode(NasVolumeSpec spec) {
    return readOnly(spec) ? "ReadOnlyMany" : "ReadWriteMany";
  }

  static Map<String, String> labels(String namespace, String name, boolean clusterScoped) {
    Map<String, String> labels = Labels.forChild("nasvolume", name);
    if (clusterScoped) {
      labels.put(VOLUME_NAMESPACE_LABEL, namespace);
    }
    return labels;
  }

  public static PersistentVolume desiredPersistentVolume(String namespace, String name, NasVolumeSpec volume,
      NasServerSpec server) {
    String share = NasPaths.join(server.getNfs().getExportRoot(), volume.getPath());
    var builder = new PersistentVolumeBuilder()
        .withNewMetadata().withName(persistentVolumeName(namespace, name)).withLabels(labels(namespace, name, true))
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(volume.getCapacity())))
        .withAccessModes(accessMode(volume))
        .withPersistentVolumeReclaimPolicy("Retain")
        .withStorageClassName("")
        .withVolumeMode("Filesystem")
        .withMountOptions(NasProfiles.effective(server))
        .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim").withNamespace(namespace)
        .withName(name).endClaimRef();
    if (DRIVER_CSI.equals(server.getDriver())) {
      builder = builder.withNewCsi().withDriver(CSI_DRIVER)
          .withVolumeHandle(server.getNfs().getServer() + "#" + share)
          .withReadOnly(readOnly(volume))
          .withVolumeAttributes(Map.of("server", server.getNfs().getServer(), "share", share)).endCsi();
    } else {
      builder = builder.withNewNfs().withServer(server.getNfs().getServer()).withPath(share)
          .withReadOnly(readOnly(volume)).endNfs();
    }
    return builder.endSpec().build();
  }

  /**
   * How an existing PV's volume source differs from the desired one (server, export path, driver,
   * read-only, access modes, capacity), or empty when it is the same volume. Mount options may differ:
   * they are the one part that is changed in place.
   */
  public static java.util.Optional<String> sourceMismatch(PersistentVolume existing, PersistentVolume desired) {
    var have = existing.getSpec();
    var want = desired.getSpec();
    List<String> diffs = new java.util.ArrayList<>();
    String haveSource = source(have);
    String wantSource = source(want);
    if (!haveSource.equals(wantSource)) {
      diffs.add("source " + haveSource + ", this spec wants " + wantSource);
    }
    if (!java.util.Objects.equals(have.getAccessModes(), want.getAccessModes())) {
      diffs.add("access modes " + have.getAccessModes() + ", this spec wants " + want.getAccessModes());
    }
    var haveSize = have.getCapacity() == null ? null : have.getCapacity().get("storage");
    var wantSize = want.getCapacity().get("storage");
    if (haveSize == null || haveSize.getNumericalAmount().compareTo(wantSize.getNumericalAmount()) != 0) {
      diffs.add("capacity " + (haveSize == null ? "none" : haveSize.toString()) + ", this spec wants " + wantSize);
    }
    return diffs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", diffs));
  }

  private static String source(io.fabric8.kubernetes.api.model.PersistentVolumeSpec spec) {
    if (spec.getNfs() != null) {
      return "nfs " + spec.getNfs().getServer() + ":" + spec.getNfs().getPath()
          + (Boolean.TRUE.equals(spec.getNfs().getReadOnly()) ? " read-only" : " read-write");
    }
    if (spec.getCsi() != null) {
      return "csi " + spec.getCsi().getDriver() + " " + spec.getCsi().getVolumeHandle()
          + (Boolean.TRUE.equals(spec.getCsi().getReadOnly()) ? " read-only" : " read-write");
    }
    return "another kind of volume";
  }

  public static PersistentVolumeClaim desiredClaim(String namespace, String name, NasVolumeSpec volume) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels(namespace, name, false))
        .endMetadata()
        .withNewSpec()
        .withAccessModes(List.of(accessMode(volume)))
        .withStorageClassName("")
        .withVolumeMode("Filesystem")
        .withVolumeName(persistentVolumeName(namespace, name))
        .withNewResources().withRequests(Map.of("storage", new Quantity(volume.getCapacity()))).endResources()
        .endSpec().build();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
