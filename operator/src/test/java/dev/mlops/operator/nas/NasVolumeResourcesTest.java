package dev.mlops.operator.nas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import dev.mlops.operator.api.v1alpha1.NasVolumeSpec;
import dev.mlops.operator.api.v1alpha1.NfsExport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a NasVolume becomes: a PV pre-bound to exactly its claim, and that claim, with the server's mount options. */
class NasVolumeResourcesTest {

  static NasServerSpec server(String driver, String profile, List<String> options) {
    NasServerSpec s = new NasServerSpec();
    NfsExport nfs = new NfsExport();
    nfs.setServer("10.10.0.5");
    nfs.setExportRoot("/export/ml");
    s.setNfs(nfs);
    s.setDriver(driver);
    s.setProfile(profile);
    s.setMountOptions(options);
    return s;
  }

  static NasVolumeSpec volume(Boolean readOnly) {
    NasVolumeSpec v = new NasVolumeSpec();
    v.setServer("flash-nas");
    v.setPath("datasets/imagenet");
    v.setCapacity("10Ti");
    v.setReadOnly(readOnly);
    return v;
  }

  @Test
  void theInTreeVolumeIsPreBoundToItsClaimWithTheProfilesOptions() {
    var pv = NasVolumeResources.desiredPersistentVolume("ml-team", "imagenet", volume(null), server(null, null, null));
    assertThat(pv.getSpec().getNfs().getServer()).isEqualTo("10.10.0.5");
    assertThat(pv.getSpec().getNfs().getPath()).isEqualTo("/export/ml/datasets/imagenet");
    assertThat(pv.getSpec().getNfs().getReadOnly()).isTrue();
    assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadOnlyMany");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getStorageClassName()).isEmpty();
    assertThat(pv.getSpec().getMountOptions()).containsExactly("nfsvers=4.1", "nconnect=16", "rsize=1048576",
        "wsize=1048576", "hard", "timeo=600", "retrans=2", "noatime");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("ml-team");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("imagenet");
    assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("10Ti");
    assertThat(pv.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(pv.getMetadata().getLabels()).containsEntry("mlops.dev/nasvolume", "imagenet")
        .containsEntry("mlops.dev/nasvolume-namespace", "ml-team")
        .containsEntry("app.kubernetes.io/managed-by", "mlops-operator");

    var pvc = NasVolumeResources.desiredClaim("ml-team", "imagenet", volume(null));
    assertThat(pvc.getMetadata().getName()).isEqualTo("imagenet");
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
    assertThat(pvc.getSpec().getStorageClassName()).isEmpty();
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadOnlyMany");
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Ti");
    assertThat(pvc.getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void aWritableCsiVolumeOnTheHddProfile() {
    var pv = NasVolumeResources.desiredPersistentVolume("ml-team", "ckpt", volume(false), server("csi", "hdd", null));
    assertThat(pv.getSpec().getNfs()).isNull();
    assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo("nfs.csi.k8s.io");
    assertThat(pv.getSpec().getCsi().getVolumeAttributes()).containsEntry("server", "10.10.0.5")
        .containsEntry("share", "/export/ml/datasets/imagenet");
    assertThat(pv.getSpec().getCsi().getReadOnly()).isFalse();
    assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(pv.getSpec().getMountOptions()).doesNotContain("nconnect=16", "noatime").contains("hard");
  }

  @Test
  void givenMountOptionsReplaceTheProfile() {
    var pv = NasVolumeResources.desiredPersistentVolume("a", "b", volume(true),
        server(null, "all-flash", List.of("nfsvers=3", "hard")));
    assertThat(pv.getSpec().getMountOptions()).containsExactly("nfsvers=3", "hard");
  }

  @Test
  void volumeNamesAreUniqueAcrossNamespacesAndBounded() {
    String ab = NasVolumeResources.persistentVolumeName("a-b", "c");
    String bc = NasVolumeResources.persistentVolumeName("a", "b-c");
    assertThat(ab).startsWith("nas-a-b-c-").isNotEqualTo(bc);
    assertThat(NasVolumeResources.persistentVolumeName("a-b", "c")).isEqualTo(ab);
    String longest = NasVolumeResources.persistentVolumeName("n".repeat(63), "v".repeat(253));
    assertThat(longest).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }
}
