package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.nas.NasVolumeResources;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NasServer and NasVolume on the real test plane, the operator acting with exactly the chart's RBAC:
 * the CRDs' CEL rules refuse what they should, kube-controller-manager's PV binder binds each claim to
 * its volume (with a default StorageClass present), a namespace the server does not allow gets no PV,
 * a deletion with {@code deletionPolicy: Delete} waits while a pod uses the claim, and a TrainingJob
 * waits for its volumes, then its workers mount them on KWOK nodes.
 */
class NasControlPlaneE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static KubernetesClient client;
  private static ChartRbacOperator operator;
  private String namespace;
  private final String server = "nas-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS, values -> { },
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @AfterEach
  void cleanUp() {
    if (namespace != null) {
      String ns = namespace;
      client.resources(TrainingJob.class).inNamespace(ns).delete();
      client.pods().inNamespace(ns).withGracePeriod(0).delete();
      client.resources(NasVolume.class).inNamespace(ns).delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> client.resources(NasVolume.class).inNamespace(ns).list()
          .getItems().isEmpty() && client.resources(TrainingJob.class).inNamespace(ns).list().getItems().isEmpty());
      client.persistentVolumes().withLabel(NasVolumeResources.VOLUME_NAMESPACE_LABEL, ns).delete();
      client.namespaces().withName(ns).delete();
    }
    client.resources(NasServer.class).withName(server).delete();
  }

  private String namespace(boolean allowed) {
    String ns = "e2e-nas-" + UUID.randomUUID().toString().substring(0, 8);
    namespace = ns;
    var builder = new NamespaceBuilder().withNewMetadata().withName(ns);
    if (allowed) {
      builder = builder.addToLabels("mlops.dev/nas", "true");
    }
    client.namespaces().resource(builder.endMetadata().build()).create();
    return ns;
  }

  private void createServer() {
    client.resource(Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: NasServer
        metadata: {name: %s}
        spec:
          nfs: {server: 10.10.0.5, exportRoot: /export/ml}
          profile: all-flash
          allowedNamespaces: {matchLabels: {mlops.dev/nas: "true"}}
        """.formatted(server), NasServer.class)).create();
  }

  private NasVolume volume(String ns, String name, String path, boolean readOnly, String policy) {
    NasVolume nv = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: NasVolume
        metadata: {name: %s}
        spec: {server: %s, path: %s, capacity: 10Ti, readOnly: %s, deletionPolicy: %s}
        """.formatted(name, server, path, readOnly, policy), NasVolume.class);
    nv.getMetadata().setNamespace(ns);
    return client.resource(nv).create();
  }

  private NasVolume awaitVolume(String ns, String name, Predicate<NasVolume> reached) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      NasVolume nv = client.resources(NasVolume.class).inNamespace(ns).withName(name).get();
      return nv != null && nv.getStatus() != null && reached.test(nv);
    });
    return client.resources(NasVolume.class).inNamespace(ns).withName(name).get();
  }

  private static Predicate<NasVolume> readyReason(String reason) {
    return nv -> Conditions.find(nv.getStatus().getConditions(), "Ready").map(c -> reason.equals(c.getReason())).orElse(false);
  }

  @Test
  void theApiServerRefusesPathsOutsideTheExport() {
    String ns = namespace(true);
    assertThatThrownBy(() -> volume(ns, "escape", "../other-team", true, "Retain"))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.path must not contain '..'");
    assertThatThrownBy(() -> volume(ns, "absolute", "/etc", true, "Retain"))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.path must be relative");
  }

  @Test
  void theRealPvBinderBindsTheClaimToItsVolume() {
    String ns = namespace(true);
    createServer();
    volume(ns, "imagenet", "datasets/imagenet", true, "Retain");

    NasVolume bound = awaitVolume(ns, "imagenet", nv -> "Bound".equals(nv.getStatus().getPhase()));
    String pvName = NasVolumeResources.persistentVolumeName(ns, "imagenet");
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName("imagenet").get();
    PersistentVolume pv = client.persistentVolumes().withName(pvName).get();
    assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(claim.getSpec().getStorageClassName()).as("not the plane's default class").isEmpty();
    assertThat(pv.getSpec().getClaimRef().getUid()).as("bound by kube-controller-manager")
        .isEqualTo(claim.getMetadata().getUid());
    assertThat(pv.getSpec().getMountOptions()).contains("nconnect=16", "noatime");
    assertThat(bound.getStatus().getPersistentVolumeName()).isEqualTo(pvName);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      NasServer s = client.resources(NasServer.class).withName(server).get();
      return s.getStatus() != null && Integer.valueOf(1).equals(s.getStatus().getVolumes());
    });
  }

  @Test
  void aNamespaceTheServerDoesNotAllowGetsNoPv() {
    String ns = namespace(false);
    createServer();
    volume(ns, "imagenet", "datasets/imagenet", true, "Retain");
    NasVolume refused = awaitVolume(ns, "imagenet", readyReason("NamespaceNotAllowed"));
    assertThat(refused.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(client.persistentVolumes().withName(NasVolumeResources.persistentVolumeName(ns, "imagenet")).get()).isNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
        .anyMatch(e -> "NamespaceNotAllowed".equals(e.getReason()) && "Warning".equals(e.getType())));
  }

  @Test
  void deleteWaitsWhileAPodUsesTheClaimAndNeverTouchesTheDataPolicy() {
    String ns = namespace(true);
    createServer();
    volume(ns, "scratch", "scratch/e2e", false, "Delete");
    awaitVolume(ns, "scratch", nv -> "Bound".equals(nv.getStatus().getPhase()));
    Pod user = client.resource(new PodBuilder().withNewMetadata().withName("notebook").withNamespace(ns).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
        .addNewToleration().withOperator("Exists").endToleration()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("scratch").endPersistentVolumeClaim()
        .endVolume().endSpec().build()).create();
    assertThat(user).isNotNull();

    client.resources(NasVolume.class).inNamespace(ns).withName("scratch").delete();
    NasVolume waiting = awaitVolume(ns, "scratch", nv -> Conditions.isTrue(nv.getStatus().getConditions(), "Deleting"));
    assertThat(Conditions.find(waiting.getStatus().getConditions(), "Deleting").orElseThrow().getMessage())
        .contains("notebook");
    String pvName = NasVolumeResources.persistentVolumeName(ns, "scratch");
    assertThat(client.persistentVolumes().withName(pvName).get().getSpec().getPersistentVolumeReclaimPolicy())
        .isEqualTo("Retain");

    client.pods().inNamespace(ns).withName("notebook").withGracePeriod(0).delete();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
        client.resources(NasVolume.class).inNamespace(ns).withName("scratch").get() == null
            && client.persistentVolumeClaims().inNamespace(ns).withName("scratch").get() == null
            && client.persistentVolumes().withName(pvName).get() == null);
  }

  @Test
  void aTrainingJobWaitsForItsVolumesThenMountsThem() {
    String ns = namespace(true);
    createServer();
    TrainingJob tj = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: resnet}
        spec:
          image: nvcr.io/nvidia/pytorch:24.05-py3
          nodes: 2
          gpusPerNode: 8
          volumes: [{nasVolume: imagenet, mountPath: /data/imagenet, readOnly: true}]
          checkpoint: {nasVolume: checkpoints}
          podTemplate:
            labels: {testcluster.mlops.dev/hold: "true"}
        """, TrainingJob.class);
    tj.getMetadata().setNamespace(ns);
    client.resource(tj).create();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      TrainingJob t = client.resources(TrainingJob.class).inNamespace(ns).withName("resnet").get();
      return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), "VolumesReady")
          .map(c -> "False".equals(c.getStatus()) && c.getMessage().contains("NasVolume imagenet does not exist")).orElse(false);
    });
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();

    volume(ns, "imagenet", "datasets/imagenet", true, "Retain");
    volume(ns, "checkpoints", "teams/e2e/checkpoints", false, "Retain");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> "Running".equals(
        client.resources(TrainingJob.class).inNamespace(ns).withName("resnet").get().getStatus().getPhase()));
    List<Pod> workers = client.pods().inNamespace(ns).withLabel("mlops.dev/trainingjob", "resnet").list().getItems();
    assertThat(workers).hasSize(2).allSatisfy(p -> {
      assertThat(p.getSpec().getNodeName()).as("scheduled with its claims bound").isNotBlank();
      assertThat(p.getSpec().getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
          && "checkpoints".equals(v.getPersistentVolumeClaim().getClaimName()));
      assertThat(p.getSpec().getContainers().get(0).getEnv())
          .anyMatch(e -> "CHECKPOINT_DIR".equals(e.getName()) && "/checkpoints".equals(e.getValue()));
    });
  }
}
