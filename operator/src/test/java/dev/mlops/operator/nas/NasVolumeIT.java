package dev.mlops.operator.nas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.NasBenchmark;
import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.NasVolumeSpec;
import dev.mlops.operator.api.v1alpha1.NfsExport;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.Sandbox;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NasServer and NasVolume end to end on the embedded API server, the operator as it runs in a
 * cluster, and the simulated control plane (whose PV binder binds a pre-bound claim the way
 * kube-controller-manager does; the E2E tier shows the real one).
 */
public class NasVolumeIT {

  static final String NS = "ml-team";
  private Sandbox sandbox;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    sandbox = new Sandbox(NodePool.parseAll(NodePool.DEFAULT),
        new SimulatedCluster.Settings(Duration.ofMillis(100), null, Duration.ofMillis(50)),
        OperatorSettings.defaults().withResyncInterval(Duration.ofMillis(500)).withReconcileThreads(4));
    client = sandbox.client();
    namespace(NS, Map.of("mlops.dev/nas", "true"));
    namespace("other-team", Map.of());
    sandbox.startOperator();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  void namespace(String name, Map<String, String> labels) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
        .createOr(n -> n.update());
  }

  public static NasServer server(String name, String profile) {
    NasServer s = new NasServer();
    s.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NasServerSpec spec = new NasServerSpec();
    NfsExport nfs = new NfsExport();
    nfs.setServer("10.10.0.5");
    nfs.setExportRoot("/export/ml");
    spec.setNfs(nfs);
    spec.setProfile(profile);
    spec.setAllowedNamespaces(new LabelSelectorBuilder().addToMatchLabels("mlops.dev/nas", "true").build());
    s.setSpec(spec);
    return s;
  }

  public static NasVolume volume(String namespace, String name, String path, boolean readOnly) {
    NasVolume v = new NasVolume();
    v.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    NasVolumeSpec spec = new NasVolumeSpec();
    spec.setServer("flash-nas");
    spec.setPath(path);
    spec.setCapacity("10Ti");
    spec.setReadOnly(readOnly);
    v.setSpec(spec);
    return v;
  }

  NasVolume awaitVolume(String namespace, String name, Predicate<NasVolume> condition) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      NasVolume nv = client.resources(NasVolume.class).inNamespace(namespace).withName(name).get();
      return nv != null && nv.getStatus() != null && condition.test(nv);
    });
    return client.resources(NasVolume.class).inNamespace(namespace).withName(name).get();
  }

  static Predicate<NasVolume> phase(String phase) {
    return nv -> phase.equals(nv.getStatus().getPhase());
  }

  List<Event> warnings(String namespace, String about) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && about.equals(e.getInvolvedObject().getName())).toList();
  }

  @Test
  void aVolumeGetsAPvAndAClaimBoundToEachOtherWithTheProfilesOptions() {
    client.resource(server("flash-nas", "all-flash")).create();
    client.resource(volume(NS, "imagenet", "datasets/imagenet", true)).create();

    NasVolume nv = awaitVolume(NS, "imagenet", phase("Bound"));
    String pvName = NasVolumeResources.persistentVolumeName(NS, "imagenet");
    assertThat(nv.getStatus().getPersistentVolumeName()).isEqualTo(pvName);
    assertThat(nv.getStatus().getPersistentVolumeClaimName()).isEqualTo("imagenet");
    assertThat(nv.getStatus().getMountOptions()).containsExactlyElementsOf(NasProfiles.PROFILES.get("all-flash"));
    assertThat(Conditions.isTrue(nv.getStatus().getConditions(), "Ready")).isTrue();
    PersistentVolume pv = client.persistentVolumes().withName(pvName).get();
    assertThat(pv.getSpec().getNfs().getServer()).isEqualTo("10.10.0.5");
    assertThat(pv.getSpec().getNfs().getPath()).isEqualTo("/export/ml/datasets/imagenet");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadOnlyMany");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("imagenet");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(NS);
    PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(NS).withName("imagenet").get();
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pvName);
    assertThat(pvc.getSpec().getStorageClassName()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      NasServer s = client.resources(NasServer.class).withName("flash-nas").get();
      return s.getStatus() != null && Integer.valueOf(1).equals(s.getStatus().getVolumes());
    });
  }

  @Test
  void aNamespaceTheServerDoesNotAllowWaitsWithoutAPvUntilItIsLabelled() {
    client.resource(server("flash-nas", "all-flash")).create();
    client.resource(volume("other-team", "imagenet", "datasets/imagenet", true)).create();

    NasVolume nv = awaitVolume("other-team", "imagenet", n -> Conditions.find(n.getStatus().getConditions(), "Ready")
        .map(c -> "NamespaceNotAllowed".equals(c.getReason())).orElse(false));
    assertThat(nv.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(Conditions.find(nv.getStatus().getConditions(), "Ready").orElseThrow().getMessage())
        .contains("does not allow namespace other-team").contains("mlops.dev/nas=true");
    await().atMost(Duration.ofSeconds(10)).until(() -> !warnings("other-team", "imagenet").isEmpty());
    assertThat(warnings("other-team", "imagenet").get(0).getReason()).isEqualTo("NamespaceNotAllowed");
    assertThat(client.persistentVolumes().withName(NasVolumeResources.persistentVolumeName("other-team", "imagenet")).get())
        .as("no PV for a refused namespace").isNull();
    assertThat(client.persistentVolumeClaims().inNamespace("other-team").withName("imagenet").get()).isNull();

    namespace("other-team", Map.of("mlops.dev/nas", "true"));
    awaitVolume("other-team", "imagenet", phase("Bound"));
  }

  @Test
  void aMissingServerLeavesTheVolumePendingUntilItExists() {
    client.resource(volume(NS, "imagenet", "datasets/imagenet", true)).create();
    NasVolume nv = awaitVolume(NS, "imagenet", n -> Conditions.find(n.getStatus().getConditions(), "Ready")
        .map(c -> "NasServerNotFound".equals(c.getReason())).orElse(false));
    assertThat(nv.getStatus().getPhase()).isEqualTo("Pending");
    await().atMost(Duration.ofSeconds(10)).until(() -> !warnings(NS, "imagenet").isEmpty());
    assertThat(client.persistentVolumes().list().getItems()).isEmpty();

    client.resource(server("flash-nas", "all-flash")).create();
    awaitVolume(NS, "imagenet", phase("Bound"));
  }

  @Test
  void changingTheServersOptionsReachesItsPvsAndASettledVolumeWritesNothing() {
    client.resource(server("flash-nas", "all-flash")).create();
    client.resource(volume(NS, "imagenet", "datasets/imagenet", true)).create();
    awaitVolume(NS, "imagenet", phase("Bound"));

    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    sandbox.operatorRequests().reset();
    NasVolumeReconciler volumes = sandbox.operator().controller(NasVolumeReconciler.class);
    long passes = volumes.reconcileCount();
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    assertThat(volumes.reconcileCount() - passes).as("resync passes").isGreaterThanOrEqualTo(2);
    assertThat(sandbox.operatorRequests().writes()).as("writes while settled: " + sandbox.operatorRequests().snapshot())
        .isZero();

    client.resources(NasServer.class).withName("flash-nas").edit(s -> {
      s.getSpec().setProfile("hdd");
      return s;
    });
    String pvName = NasVolumeResources.persistentVolumeName(NS, "imagenet");
    await().atMost(Duration.ofSeconds(10)).until(() -> NasProfiles.PROFILES.get("hdd")
        .equals(client.persistentVolumes().withName(pvName).get().getSpec().getMountOptions()));
    awaitVolume(NS, "imagenet", n -> NasProfiles.PROFILES.get("hdd").equals(n.getStatus().getMountOptions()));
  }

  @Test
  void deletePolicyDeleteWaitsWhileAPodUsesTheClaimThenRemovesPvAndClaim() {
    client.resource(server("flash-nas", "all-flash")).create();
    NasVolume v = volume(NS, "scratch", "scratch/team", false);
    v.getSpec().setDeletionPolicy("Delete");
    client.resource(v).create();
    awaitVolume(NS, "scratch", phase("Bound"));
    Pod user = new PodBuilder().withNewMetadata().withName("notebook").withNamespace(NS).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("scratch").endPersistentVolumeClaim()
        .endVolume().endSpec().build();
    client.resource(user).create();

    client.resources(NasVolume.class).inNamespace(NS).withName("scratch").delete();
    NasVolume deleting = awaitVolume(NS, "scratch", n -> Conditions.isTrue(n.getStatus().getConditions(), "Deleting"));
    assertThat(Conditions.find(deleting.getStatus().getConditions(), "Deleting").orElseThrow().getMessage())
        .contains("pod notebook still uses it");
    String pvName = NasVolumeResources.persistentVolumeName(NS, "scratch");
    assertThat(client.persistentVolumes().withName(pvName).get()).isNotNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("scratch").get()).isNotNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> warnings(NS, "scratch").stream()
        .anyMatch(e -> "ClaimInUse".equals(e.getReason())));

    client.pods().inNamespace(NS).withName("notebook").withGracePeriod(0).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(NasVolume.class).inNamespace(NS)
        .withName("scratch").get() == null);
    await().atMost(Duration.ofSeconds(10)).until(() -> client.persistentVolumes().withName(pvName).get() == null
        && client.persistentVolumeClaims().inNamespace(NS).withName("scratch").get() == null);
  }

  @Test
  void retainKeepsPvAndClaimWhenTheVolumeIsDeleted() {
    client.resource(server("flash-nas", "all-flash")).create();
    client.resource(volume(NS, "imagenet", "datasets/imagenet", true)).create();
    awaitVolume(NS, "imagenet", phase("Bound"));

    client.resources(NasVolume.class).inNamespace(NS).withName("imagenet").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.resources(NasVolume.class).inNamespace(NS)
        .withName("imagenet").get() == null);
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    assertThat(client.persistentVolumes().withName(NasVolumeResources.persistentVolumeName(NS, "imagenet")).get())
        .isNotNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("imagenet").get()).isNotNull();
  }

  @Test
  void aBenchmarkRunsOncePerRunIdAndReportsItsTerminationMessage() {
    client.resource(server("flash-nas", "all-flash")).create();
    NasVolume v = volume(NS, "scratch", "scratch/bench", false);
    NasBenchmark bench = new NasBenchmark();
    bench.setEnabled(true);
    bench.setSizeMiB(64);
    bench.setRunId("1");
    v.getSpec().setBenchmark(bench);
    client.resource(v).create();

    String jobName = NasBenchmarkJob.jobName("scratch", "1");
    await().atMost(Duration.ofSeconds(30)).until(() -> job(jobName) != null);
    Job job = client.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand().get(2)).contains("oflag=direct").contains("iflag=direct").contains("/dev/termination-log");
    assertThat(container.getEnv()).anyMatch(e -> e.getName().equals("SIZE_MIB") && e.getValue().equals("64"));
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
        .isEqualTo("scratch");
    awaitVolume(NS, "scratch", n -> n.getStatus().getBenchmark() != null
        && "Running".equals(n.getStatus().getBenchmark().getState()));

    finishBenchmarkPod(jobName, 0, "{\"writeMiBps\":2450.5,\"readMiBps\":3120.0}");
    NasVolume done = awaitVolume(NS, "scratch", n -> n.getStatus().getBenchmark() != null
        && "Succeeded".equals(n.getStatus().getBenchmark().getState()));
    assertThat(done.getStatus().getBenchmark().getWriteMiBps()).isEqualTo(2450.5);
    assertThat(done.getStatus().getBenchmark().getReadMiBps()).isEqualTo(3120.0);
    assertThat(done.getStatus().getBenchmark().getRunId()).isEqualTo("1");
    await().atMost(Duration.ofSeconds(10)).until(() -> job(jobName) == null);

    client.resources(NasVolume.class).inNamespace(NS).withName("scratch").edit(n -> {
      n.getSpec().getBenchmark().setRunId("2");
      return n;
    });
    String second = NasBenchmarkJob.jobName("scratch", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> job(second) != null);
    finishBenchmarkPod(second, 1, "write: dd: error writing '/nas/.mlops-benchmark-x': No space left on device");
    NasVolume failed = awaitVolume(NS, "scratch", n -> n.getStatus().getBenchmark() != null
        && "2".equals(n.getStatus().getBenchmark().getRunId()) && "Failed".equals(n.getStatus().getBenchmark().getState()));
    assertThat(failed.getStatus().getBenchmark().getMessage()).contains("No space left on device");
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  @Test
  void aClaimOfTheSameNameTheOperatorDidNotMakeIsLeftAloneAndSaidOnce() {
    client.resource(server("flash-nas", "all-flash")).create();
    client.resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("imagenet").withNamespace(NS).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
        .endSpec().build()).create();
    client.resource(volume(NS, "imagenet", "datasets/imagenet", true)).create();

    awaitVolume(NS, "imagenet", n -> Conditions.find(n.getStatus().getConditions(), "Ready")
        .map(c -> "ClaimConflict".equals(c.getReason())).orElse(false));
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    sandbox.operatorRequests().reset();
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    assertThat(sandbox.operatorRequests().writes()).as("no create retried on every pass: "
        + sandbox.operatorRequests().snapshot()).isZero();
    assertThat(client.persistentVolumes().withName(NasVolumeResources.persistentVolumeName(NS, "imagenet")).get()).isNull();
    PersistentVolumeClaim theirs = client.persistentVolumeClaims().inNamespace(NS).withName("imagenet").get();
    assertThat(theirs.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(theirs.getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void aCopiedClaimWithTheVolumesLabelsIsNeitherTakenForItNorDeletedWithIt() {
    client.resource(server("flash-nas", "all-flash")).create();
    NasVolume v = volume(NS, "scratch", "scratch/copy", false);
    v.getSpec().setDeletionPolicy("Delete");
    client.resource(v).create();
    awaitVolume(NS, "scratch", phase("Bound"));
    PersistentVolumeClaim copy = client.persistentVolumeClaims().inNamespace(NS).withName("scratch").get();
    copy.setMetadata(new ObjectMetaBuilder().withName("scratch-copy").withNamespace(NS)
        .withLabels(copy.getMetadata().getLabels()).build());
    copy.getSpec().setVolumeName(null);
    copy.setStatus(null);
    client.resource(copy).create();

    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    assertThat(client.resources(NasVolume.class).inNamespace(NS).withName("scratch").get().getStatus().getPhase())
        .isEqualTo("Bound");
    client.resources(NasVolume.class).inNamespace(NS).withName("scratch").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(NasVolume.class).inNamespace(NS)
        .withName("scratch").get() == null);
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("scratch").get()).isNull();
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("scratch-copy").get())
        .as("not the volume's claim, so not deleted with it").isNotNull();
  }

  /** What the kubelet does when the container exits: the pod's status carries the termination message. */
  private void finishBenchmarkPod(String jobName, int exitCode, String message) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.pods().inNamespace(NS).withLabel("job-name", jobName).list()
        .getItems().isEmpty());
    Pod pod = client.pods().inNamespace(NS).withLabel("job-name", jobName).list().getItems().get(0);
    // The simulated kubelet may be updating the same pod (it starts it): a 409 is retried.
    await().atMost(Duration.ofSeconds(10)).ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(() -> client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).editStatus(p -> {
          p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
          p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(NasBenchmarkJob.CONTAINER)
              .withNewState().withNewTerminated().withExitCode(exitCode).withMessage(message)
              .withFinishedAt("2026-12-02T08:00:00Z").endTerminated().endState().build()));
          return p;
        }) != null);
  }
}
