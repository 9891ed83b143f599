package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import dev.mlops.operator.api.v1alpha1.NasVolumeSpec;
import dev.mlops.operator.api.v1alpha1.NfsExport;
import dev.mlops.operator.nas.NasVolumeResources;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The PV and PVC a NasVolume becomes, bound by the real PV binder (kube-controller-manager) on a plane
 * with a default StorageClass: the claim keeps {@code storageClassName: ""} and binds to exactly its
 * volume, where a claim naming no class is given the default one; a deleted claim leaves its volume
 * Released, never deleted (reclaim policy Retain: the data is not touched).
 */
class NasVolumeBindingE2E {

  @Test
  void theClaimBindsToItsVolumeDespiteADefaultStorageClass() throws Exception {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    try (KubernetesClient client = TestPlane.clientWithCrds()) {
      assertThat(client.storage().v1().storageClasses().withName("standard").get().getMetadata().getAnnotations())
          .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
      String ns = "nas-" + UUID.randomUUID().toString().substring(0, 8);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      NasServerSpec server = new NasServerSpec();
      NfsExport nfs = new NfsExport();
      nfs.setServer("10.10.0.5");
      nfs.setExportRoot("/export/ml");
      server.setNfs(nfs);
      NasVolumeSpec volume = new NasVolumeSpec();
      volume.setServer("flash-nas");
      volume.setPath("datasets/imagenet");
      volume.setCapacity("10Ti");
      PersistentVolume pv = NasVolumeResources.desiredPersistentVolume(ns, "imagenet", volume, server);
      try {
        client.resource(pv).create();
        client.resource(NasVolumeResources.desiredClaim(ns, "imagenet", volume)).create();
        // A claim that names no class, for contrast: the DefaultStorageClass admission plugin fills it in.
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("unclassed").withNamespace(ns)
            .endMetadata().withNewSpec().withAccessModes("ReadOnlyMany").withNewResources()
            .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources().endSpec()
            .build()).create();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
            "Bound".equals(phase(client.persistentVolumeClaims().inNamespace(ns).withName("imagenet").get())));
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName("imagenet").get();
        PersistentVolume bound = client.persistentVolumes().withName(pv.getMetadata().getName()).get();
        assertThat(claim.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
        assertThat(claim.getSpec().getStorageClassName()).isEmpty();
        assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(bound.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
        PersistentVolumeClaim unclassed = client.persistentVolumeClaims().inNamespace(ns).withName("unclassed").get();
        assertThat(unclassed.getSpec().getStorageClassName()).isEqualTo("standard");
        assertThat(phase(unclassed)).isEqualTo("Pending");

        client.persistentVolumeClaims().inNamespace(ns).withName("imagenet").delete();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
          PersistentVolume after = client.persistentVolumes().withName(pv.getMetadata().getName()).get();
          return after != null && after.getStatus() != null && "Released".equals(after.getStatus().getPhase());
        });
      } finally {
        client.persistentVolumes().withName(pv.getMetadata().getName()).delete();
        client.namespaces().withName(ns).delete();
      }
    }
  }

  private static String phase(PersistentVolumeClaim claim) {
    return claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
  }
}
