package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.YamlDocs;
import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.argo.Workflow;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

  record Run(int exit, String out, String err) {
    List<String> docs() {
      return YamlDocs.documents(out);
    }

    String kinds() {
      return String.join(",", docs().stream()
          .map(d -> Serialization.unmarshal(d, GenericKubernetesResource.class).getKind()).toList());
    }
  }

  static Path examples() {
    return Path.of(System.getProperty("mlops.repoRoot", "..")).resolve("examples").toAbsolutePath().normalize();
  }

  static Run render(String... args) {
    List<String> full = new ArrayList<>(List.of("render"));
    full.addAll(List.of(args));
    Cli.Output output = Cli.execute(full);
    return new Run(output.exit(), output.out(), output.err());
  }

  @Test
  void rendersServiceJobAndTheStatusTheOperatorWouldWrite() {
    Run run = render("-f", examples().resolve("trainingjob-llama-ft.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.kinds()).isEqualTo("Service,Job,TrainingJob");
    Job job = Serialization.unmarshal(run.docs().get(1), Job.class);
    assertThat(job.getSpec().getParallelism()).isEqualTo(4);
    TrainingJob tj = Serialization.unmarshal(run.docs().get(2), TrainingJob.class);
    assertThat(tj.getStatus().getPhase()).isEqualTo("Starting");
    assertThat(tj.getStatus().getGpuProduct()).isEqualTo("NVIDIA-A100-SXM4-80GB");
    assertThat(tj.getStatus().getGpus()).isEqualTo(32);
  }

  @Test
  void unplaceableJobRendersOnlyItsStatusAndStillExitsZero() {
    Run run = render("-f", examples().resolve("trainingjob-unplaceable.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.kinds()).isEqualTo("TrainingJob");
    TrainingJob tj = Serialization.unmarshal(run.docs().get(0), TrainingJob.class);
    assertThat(tj.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(tj.getStatus().getConditions()).anyMatch(c -> "InsufficientGpuNodes".equals(c.getReason())
        && c.getMessage().contains("Needs 16 nodes of NVIDIA-A100-SXM4-80GB"));
  }

  /** Two gangs that cannot both fit: the second renders Queued with its place, and no Job; pods in --cluster count. */
  @Test
  void aGangThatDoesNotFitWhatTheClusterLeavesFreeRendersQueuedWithItsPlace(@TempDir Path dir) throws IOException {
    Run run = render("-f", examples().resolve("trainingjob-contention.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString(),
        "--cluster", examples().resolve("cluster-priorityclasses.yaml").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.kinds()).isEqualTo("Service,Job,TrainingJob,TrainingJob");
    Job job = Serialization.unmarshal(run.docs().get(1), Job.class);
    assertThat(job.getMetadata().getAnnotations().get("mlops.dev/admitted-nodes"))
        .isEqualTo("nvidia.com/gpu=8:a100-80-0,a100-80-1,a100-80-2");
    assertThat(job.getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("research-high");
    TrainingJob queued = Serialization.unmarshal(run.docs().get(3), TrainingJob.class);
    assertThat(queued.getStatus().getPhase()).isEqualTo("Queued");
    assertThat(queued.getStatus().getQueue().getPosition()).isEqualTo(1);
    assertThat(queued.getStatus().getConditions()).anyMatch(c -> "Admitted".equals(c.getType())
        && "InsufficientFreeGpus".equals(c.getReason()) && c.getMessage().startsWith(
            "Needs 3 × 8 nvidia.com/gpu on NVIDIA-A100-SXM4-80GB: 1 of 4 nodes of NVIDIA-A100-SXM4-80GB has 8 free"));

    // A notebook holding 2 GPUs of one of the nodes (a pod of the cluster dump): now even the first gang waits.
    Path busy = Files.writeString(dir.resolve("pods.yaml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: notebook, namespace: data}
        spec:
          nodeName: a100-80-0
          containers: [{name: lab, image: jupyter, resources: {limits: {nvidia.com/gpu: "2"}}}]
        status: {phase: Running}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: finished, namespace: data}
        spec:
          nodeName: a100-80-1
          containers: [{name: lab, image: jupyter, resources: {limits: {nvidia.com/gpu: "8"}}}]
        status: {phase: Succeeded}
        """);
    Run crowded = render("-f", examples().resolve("trainingjob-contention.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString(), "--cluster", busy.toString());
    assertThat(crowded.exit()).as(crowded.err()).isZero();
    Job first = Serialization.unmarshal(crowded.docs().get(1), Job.class);
    assertThat(first.getMetadata().getAnnotations().get("mlops.dev/admitted-nodes"))
        .isEqualTo("nvidia.com/gpu=8:a100-80-1,a100-80-2,a100-80-3");
    assertThat(crowded.err()).contains("PriorityClass research-high taken to exist with value 0");
  }

  /** A job for Kueue renders its Job suspended with Kueue's label and topology annotation, and waits for Kueue. */
  @Test
  void aJobInAKueueQueueRendersItsJobSuspendedForKueue() {
    Run run = render("-f", examples().resolve("trainingjob-kueue.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.kinds()).isEqualTo("Service,Job,TrainingJob");
    Job job = Serialization.unmarshal(run.docs().get(1), Job.class);
    assertThat(job.getSpec().getSuspend()).isTrue();
    assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu");
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("kueue.x-k8s.io/podset-preferred-topology", "cloud.provider.com/topology-rack");
    assertThat(job.getMetadata().getAnnotations()).doesNotContainKey("mlops.dev/admitted-nodes");
    TrainingJob tj = Serialization.unmarshal(run.docs().get(2), TrainingJob.class);
    assertThat(tj.getStatus().getPhase()).isEqualTo("Queued");
    assertThat(tj.getStatus().getReason()).isEqualTo("WaitingForKueue");
  }

  @Test
  void invalidSpecExitsTwoWithOneLineNamingTheField(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: bad, namespace: ml-team}
        spec:
          image: pytorch
          nodes: 0
          gpusPerNode: 8
        """);
    Run run = render("-f", bad.toString());
    assertThat(run.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString().contains("spec.nodes").contains("ml-team/bad");
  }

  @Test
  void everyTrainingJobExampleRenders() throws IOException {
    try (var files = Files.list(examples())) {
      List<Path> trainingJobs = files.filter(p -> p.getFileName().toString().startsWith("trainingjob-")).toList();
      assertThat(trainingJobs).hasSizeGreaterThanOrEqualTo(4);
      for (Path file : trainingJobs) {
        Run run = render("-f", file.toString(), "--cluster", examples().resolve("cluster-nodes.yaml").toString());
        assertThat(run.exit()).as(file + ": " + run.err()).isZero();
        assertThat(run.kinds()).as(file.toString()).endsWith("TrainingJob");
      }
    }
  }

  @Test
  void deviceCheckEnvironmentIsWhatRenderGivesAWorker() throws IOException {
    // device-check/run.sh starts torchrun with worker-env.json; it must be the env the operator
    // renders today, or the GPU check proves nothing about the current code.
    Path deviceCheck = examples().resolveSibling("device-check");
    Run run = render("-f", deviceCheck.resolve("ddp-check.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(run.exit()).isZero();
    Job job = Serialization.unmarshal(run.docs().get(1), Job.class);
    var rendered = new java.util.LinkedHashMap<String, Object>();
    for (var env : job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      rendered.put(env.getName(), env.getValue() != null ? env.getValue()
          : java.util.Map.of("fieldRef", env.getValueFrom().getFieldRef().getFieldPath()));
    }
    var committed = Serialization.jsonMapper().readValue(
        Files.readString(deviceCheck.resolve("worker-env.json")), java.util.LinkedHashMap.class);
    assertThat(committed).isEqualTo(rendered);
  }

  // ---- NasServer, NasVolume and TrainingJobs that mount them --------------------------------------

  static Path nasCluster(Path dir, boolean allowed, boolean boundVolumes) throws IOException {
    StringBuilder yaml = new StringBuilder(Files.readString(examples().resolve("cluster-nodes.yaml")));
    yaml.append("\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml-team\n");
    if (allowed) {
      yaml.append("  labels: {mlops.dev/nas: \"true\"}\n");
    }
    if (boundVolumes) {
      for (String name : List.of("imagenet", "checkpoints")) {
        yaml.append("---\napiVersion: mlops.dev/v1alpha1\nkind: NasVolume\nmetadata: {name: ").append(name)
            .append(", namespace: ml-team}\nspec: {server: flash-nas, path: ").append(name).append(", capacity: 1Ti, readOnly: ")
            .append(!name.equals("checkpoints")).append("}\nstatus: {phase: Bound}\n");
      }
    }
    return Files.writeString(dir.resolve("cluster.yaml"), yaml.toString());
  }

  @Test
  void aNasVolumeRendersItsPvAndClaimBoundToEachOther(@TempDir Path dir) throws IOException {
    Run run = render("-f", examples().resolve("nasserver-flash.yaml").toString(),
        "-f", examples().resolve("nasvolume-datasets.yaml").toString(), "--cluster", nasCluster(dir, true, false).toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.kinds()).isEqualTo("NasServer,NasServer,PersistentVolume,PersistentVolumeClaim,NasVolume,"
        + "PersistentVolume,PersistentVolumeClaim,NasVolume,PersistentVolume,PersistentVolumeClaim,NasVolume");
    NasServer server = Serialization.unmarshal(run.docs().get(0), NasServer.class);
    assertThat(server.getStatus().getVolumes()).isEqualTo(3);
    assertThat(server.getStatus().getProfile()).isEqualTo("all-flash");
    PersistentVolume pv = Serialization.unmarshal(run.docs().get(2), PersistentVolume.class);
    assertThat(pv.getSpec().getNfs().getPath()).isEqualTo("/export/ml/datasets/imagenet");
    assertThat(pv.getSpec().getMountOptions()).contains("nconnect=16");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("imagenet");
    PersistentVolumeClaim pvc = Serialization.unmarshal(run.docs().get(3), PersistentVolumeClaim.class);
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
    NasVolume nv = Serialization.unmarshal(run.docs().get(4), NasVolume.class);
    assertThat(nv.getStatus().getPhase()).as("Kubernetes binds the claim after it is created").isEqualTo("Pending");
  }

  @Test
  void aNamespaceTheServerRefusesRendersNoPv(@TempDir Path dir) throws IOException {
    Run run = render("-f", examples().resolve("nasserver-flash.yaml").toString(),
        "-f", examples().resolve("nasvolume-datasets.yaml").toString(), "--cluster", nasCluster(dir, false, false).toString());
    assertThat(run.exit()).isZero();
    assertThat(run.kinds()).isEqualTo("NasServer,NasServer,NasVolume,NasVolume,NasVolume");
    NasVolume nv = Serialization.unmarshal(run.docs().get(2), NasVolume.class);
    assertThat(nv.getStatus().getConditions()).anyMatch(c -> "NamespaceNotAllowed".equals(c.getReason()));
  }

  @Test
  void aTrainingJobRendersItsMountsOnceItsVolumesAreBound(@TempDir Path dir) throws IOException {
    Run waiting = render("-f", examples().resolve("trainingjob-with-volumes.yaml").toString(),
        "--cluster", nasCluster(dir, true, false).toString());
    assertThat(waiting.exit()).isZero();
    assertThat(waiting.kinds()).isEqualTo("TrainingJob");
    assertThat(waiting.err()).contains("render: warning: ").contains("waits for its NasVolumes").contains("--cluster");
    TrainingJob pending = Serialization.unmarshal(waiting.docs().get(0), TrainingJob.class);
    assertThat(pending.getStatus().getConditions()).anyMatch(c -> "VolumesReady".equals(c.getType())
        && c.getMessage().contains("NasVolume imagenet does not exist"));

    Run bound = render("-f", examples().resolve("trainingjob-with-volumes.yaml").toString(),
        "--cluster", nasCluster(dir, true, true).toString());
    assertThat(bound.exit()).as(bound.err()).isZero();
    assertThat(bound.kinds()).isEqualTo("Service,Job,TrainingJob");
    Job job = Serialization.unmarshal(bound.docs().get(1), Job.class);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("imagenet", "checkpoints");
    assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(m -> m.getMountPath() + ":" + m.getSubPath())
        .contains("/data/imagenet:null", "/data/labels:labels/v2", "/checkpoints:resnet-imagenet");
    assertThat(pod.getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("CHECKPOINT_DIR")
        && e.getValue().equals("/checkpoints"));
  }

  @Test
  void anInvalidNasVolumeIsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: mlops.dev/v1alpha1
        kind: NasVolume
        metadata: {name: escape, namespace: ml-team}
        spec: {server: flash-nas, path: ../../etc, capacity: 1Ti}
        """);
    Run run = render("-f", bad.toString());
    assertThat(run.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString().contains("ml-team/escape")
        .contains("spec.path must not contain '..'").contains("\"../../etc\"");
  }

  @Test
  void aRedisInstanceRendersItsServersServicesAndASecretWithAPlaceholderForThePassword() {
    Run run = render("-f", examples().resolve("redisinstance-feature-cache.yaml").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.kinds()).isEqualTo("Secret,Secret,ConfigMap,Service,Service,Service,PodDisruptionBudget,NetworkPolicy,"
        + "StatefulSet,RedisInstance");
    assertThat(Serialization.unmarshal(run.docs().get(1), io.fabric8.kubernetes.api.model.Secret.class).getStringData())
        .as("the operator's own ACL user's Secret").containsEntry("password",
            dev.mlops.operator.redis.RedisRender.PASSWORD_PLACEHOLDER);
    io.fabric8.kubernetes.api.model.Secret secret = Serialization.unmarshal(run.docs().get(0),
        io.fabric8.kubernetes.api.model.Secret.class);
    assertThat(secret.getMetadata().getName()).isEqualTo("feature-cache-auth");
    assertThat(secret.getStringData()).containsEntry("password",
        dev.mlops.operator.redis.RedisRender.PASSWORD_PLACEHOLDER);
    assertThat(secret.getMetadata().getOwnerReferences()).as("deletionPolicy Retain: the Secret outlives the instance")
        .isEmpty();
    io.fabric8.kubernetes.api.model.ConfigMap conf = Serialization.unmarshal(run.docs().get(2),
        io.fabric8.kubernetes.api.model.ConfigMap.class);
    assertThat(conf.getData().get("redis.conf")).contains("maxmemory 6442450944", "maxmemory-policy allkeys-lru",
        "appendonly yes", "replicaof 127.0.0.1 1", "timeout 300").doesNotContain("requirepass");
    var sts = Serialization.unmarshal(run.docs().get(8), io.fabric8.kubernetes.api.model.apps.StatefulSet.class);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName()).isEqualTo("local-ssd");
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName())
        .containsExactly("redis", "exporter");
    dev.mlops.operator.api.v1alpha1.RedisInstance ri = Serialization.unmarshal(run.docs().get(9),
        dev.mlops.operator.api.v1alpha1.RedisInstance.class);
    assertThat(ri.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(ri.getStatus().getEndpoint()).isEqualTo("feature-cache.platform.svc:6379");
    assertThat(ri.getStatus().getReadEndpoint()).isEqualTo("feature-cache-replicas.platform.svc:6379");
    assertThat(ri.getStatus().getSecretName()).isEqualTo("feature-cache-auth");
  }

  @Test
  void aRedisInstanceWithABadConfigValueIsExitTwoWithOneLineAndNoCrashLoopingServer(@TempDir Path dir)
      throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: cache, namespace: platform}
        spec:
          resources: {limits: {memory: 1Gi}}
          maxMemory: 2Gi
        """);
    Run run = render("-f", bad.toString());
    assertThat(run.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString().contains("platform/cache")
        .contains("spec.maxMemory must be at most spec.resources.limits.memory (1Gi), got 2Gi");
    Path existing = Files.writeString(dir.resolve("existing.yaml"), """
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: cache, namespace: platform}
        spec:
          resources: {limits: {memory: 1Gi}}
          auth: {existingSecret: team-password}
          config: {timeout: five}
        """);
    Run refused = render("-f", existing.toString());
    assertThat(refused.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(refused.err().strip().lines()).singleElement().asString()
        .contains("spec.config.timeout must be a whole number, got \"five\": redis-server would refuse to start");
  }

  @Test
  void aTrainingJobBindingARedisInstanceRendersOnceTheClusterHasItReady(@TempDir Path dir) throws IOException {
    Run waiting = render("-f", examples().resolve("trainingjob-with-redis.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString());
    assertThat(waiting.exit()).isZero();
    assertThat(waiting.kinds()).isEqualTo("TrainingJob");
    assertThat(waiting.err()).contains("waits for its RedisInstances").contains("RedisInstance platform/feature-cache does"
        + " not exist");

    String nodes = Files.readString(examples().resolve("cluster-nodes.yaml"));
    Path cluster = Files.writeString(dir.resolve("cluster.yaml"), nodes + """
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: ml-team, labels: {team: ml}}
        ---
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: feature-cache, namespace: platform}
        spec:
          resources: {limits: {memory: 8Gi}}
          access: {allowedNamespaces: {matchLabels: {team: ml}}}
        status:
          phase: Ready
          conditions:
            - {type: Ready, status: "True", reason: MasterServing, message: ok, lastTransitionTime: "2026-12-01T00:00:00Z"}
        """);
    Run bound = render("-f", examples().resolve("trainingjob-with-redis.yaml").toString(), "--cluster", cluster.toString());
    assertThat(bound.exit()).as(bound.err()).isZero();
    assertThat(bound.kinds()).isEqualTo("Secret,Service,Job,TrainingJob");
    io.fabric8.kubernetes.api.model.Secret copy = Serialization.unmarshal(bound.docs().get(0),
        io.fabric8.kubernetes.api.model.Secret.class);
    assertThat(copy.getMetadata().getName()).isEqualTo("feature-train-redis");
    assertThat(copy.getMetadata().getNamespace()).isEqualTo("ml-team");
    assertThat(copy.getStringData()).containsEntry("password", dev.mlops.operator.redis.RedisRender.PASSWORD_PLACEHOLDER);
    Job job = Serialization.unmarshal(bound.docs().get(2), Job.class);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName() + "=" + (e.getValue() != null ? e.getValue()
            : e.getValueFrom().getSecretKeyRef() != null ? e.getValueFrom().getSecretKeyRef().getName() : "(field)"))
        .contains("REDIS_HOST=feature-cache.platform.svc", "REDIS_PORT=6379", "REDIS_PASSWORD=feature-train-redis",
            "REDIS_URL=redis://feature-cache.platform.svc:6379");

    // The same instance, a namespace it does not allow: refused, and no copy of the password.
    Path refusing = Files.writeString(dir.resolve("refusing.yaml"), Files.readString(cluster)
        .replace("labels: {team: ml}", "labels: {team: web}"));
    Run refused = render("-f", examples().resolve("trainingjob-with-redis.yaml").toString(), "--cluster",
        refusing.toString());
    assertThat(refused.exit()).isZero();
    assertThat(refused.kinds()).isEqualTo("TrainingJob");
    assertThat(refused.err()).contains("does not allow namespace ml-team");
  }
  @Test
  void aPipelineAndItsRunRenderTheArgoObjectsAndTheRunCarriesEveryParam() {
    Run run = render("-f", examples().resolve("pipeline-daily-train.yaml").toString(),
        "-f", examples().resolve("pipelinerun-daily-train.yaml").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.kinds()).isEqualTo("WorkflowTemplate,CronWorkflow,ConfigMap,Pipeline,Workflow,PipelineRun");
    Workflow wf = Serialization.unmarshal(run.docs().get(4), Workflow.class);
    assertThat(wf.getMetadata().getName()).isEqualTo("daily-train-20261128");
    assertThat(wf.getSpec().getWorkflowTemplateRef().getName()).isEqualTo("daily-train");
    assertThat(wf.getSpec().getArguments().getParameters()).extracting(p -> p.getName() + "=" + p.getValue())
        .containsExactly("date=2026-11-28", "epochs=5", "lr=0.001", "promote=true", "shards=[\"a\",\"b\"]", "region=kr");
    Pipeline pipeline = Serialization.unmarshal(run.docs().get(3), Pipeline.class);
    assertThat(pipeline.getStatus().getPhase()).isEqualTo("Ready");
    assertThat(pipeline.getStatus().getWorkflowTemplate()).isEqualTo("daily-train");
    PipelineRun pr = Serialization.unmarshal(run.docs().get(5), PipelineRun.class);
    assertThat(pr.getStatus().getWorkflow()).isEqualTo("daily-train-20261128");
    assertThat(pr.getStatus().getProgress()).isEqualTo("0/5");
  }

  @Test
  void aRunResolvesItsPipelineInTheClusterFile(@TempDir Path dir) throws IOException {
    Path cluster = Files.writeString(dir.resolve("cluster.yaml"),
        Files.readString(examples().resolve("pipeline-daily-train.yaml")));
    Run run = render("-f", examples().resolve("pipelinerun-daily-train.yaml").toString(), "--cluster", cluster.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.kinds()).isEqualTo("Workflow,PipelineRun");
  }

  @Test
  void aRunWithAParamOfTheWrongTypeIsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("run.yaml"), """
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: daily-train-bad, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-28", epochs: five}}
        """);
    Run run = render("-f", examples().resolve("pipeline-daily-train.yaml").toString(), "-f", bad.toString());
    assertThat(run.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString().contains("ml-team/daily-train-bad")
        .contains("epochs").contains("'five' is not an int");
  }

  @Test
  void clusterIsRepeatableAndSkipsKindsItDoesNotReadWithoutPrintingTheirData(@TempDir Path dir) throws IOException {
    Path dump = Files.writeString(dir.resolve("dump.yaml"), """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Secret
            metadata: {name: regcred, namespace: ml-team}
            data: {password: c2VjcmV0LXZhbHVlLTQy}
          - apiVersion: mlops.dev/v1alpha1
            kind: NasVolume
            metadata: {name: imagenet, namespace: ml-team}
            spec: {server: flash-nas, path: datasets/imagenet, capacity: 10Ti, readOnly: true}
            status: {phase: Bound, persistentVolumeClaimName: imagenet}
          - apiVersion: mlops.dev/v1alpha1
            kind: NasVolume
            metadata: {name: checkpoints, namespace: ml-team}
            spec: {server: flash-nas, path: teams/ml-team/checkpoints, capacity: 2Ti, readOnly: false}
            status: {phase: Bound, persistentVolumeClaimName: checkpoints}
        """);
    Run run = render("-f", examples().resolve("trainingjob-with-volumes.yaml").toString(),
        "--cluster", examples().resolve("cluster-nodes.yaml").toString(), "--cluster", dump.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.kinds()).isEqualTo("Service,Job,TrainingJob");
    assertThat(run.err().strip().lines()).singleElement().asString()
        .startsWith("render: warning: skipped 1 object(s) of --cluster that render does not read")
        .contains("v1 Secret regcred");
    assertThat(run.out() + run.err()).doesNotContain("c2VjcmV0LXZhbHVlLTQy").doesNotContain("secret-value-42");
  }

  @Test
  void assumeReadyShowsTheWorkerPodOfAJobWhoseVolumesAndRedisAreNotGivenAndSaysSo() {
    for (String example : List.of("trainingjob-with-volumes.yaml", "trainingjob-with-redis.yaml")) {
      Run waiting = render("-f", examples().resolve(example).toString(),
          "--cluster", examples().resolve("cluster-nodes.yaml").toString());
      assertThat(waiting.exit()).isZero();
      assertThat(waiting.kinds()).as(example).doesNotContain("Job,");
      assertThat(waiting.err()).as(example).contains("or add --assume-ready");

      Run assumed = render("-f", examples().resolve(example).toString(),
          "--cluster", examples().resolve("cluster-nodes.yaml").toString(), "--assume-ready");
      assertThat(assumed.exit()).as(assumed.err()).isZero();
      assertThat(assumed.kinds()).as(example).contains("Service,Job");
      assertThat(assumed.err()).as(example).contains("--assume-ready: ").containsAnyOf("taken as Bound", "taken as Ready");
      Job job = Serialization.unmarshal(assumed.docs().get(List.of(assumed.kinds().split(",")).indexOf("Job")), Job.class);
      assertThat(job.getSpec().getTemplate().getSpec().getContainers()).isNotEmpty();
    }
  }

  @Test
  void everyBadDocumentIsOneLineUpToTwenty(@TempDir Path dir) throws IOException {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 23; i++) {
      yaml.append("""
          apiVersion: mlops.dev/v1alpha1
          kind: TrainingJob
          metadata: {name: job-%d}
          spec: {image: "nvcr.io/nvidia/pytorch:24.05-py3", nodes: 0, gpusPerNode: 8}
          ---
          """.formatted(i));
    }
    Path two = Files.writeString(dir.resolve("two.yaml"), """
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: first}
        spec: {image: "nvcr.io/nvidia/pytorch:24.05-py3", nodes: 0, gpusPerNode: 8}
        ---
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: second}
        spec: {image: "nvcr.io/nvidia/pytorch:24.05-py3", nodes: 2, gpusPerNode: 99}
        """);
    Run both = render("-f", two.toString());
    assertThat(both.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(both.out()).isEmpty();
    assertThat(both.err().strip().lines().toList()).hasSize(2).satisfiesExactly(
        first -> assertThat(first).contains("document 1").contains("spec.nodes"),
        second -> assertThat(second).contains("document 2").contains("spec.gpusPerNode"));

    Run many = render("-f", Files.writeString(dir.resolve("many.yaml"), yaml.toString()).toString());
    assertThat(many.exit()).isEqualTo(RenderCommand.INVALID);
    List<String> lines = many.err().strip().lines().toList();
    assertThat(lines).hasSize(21);
    assertThat(lines.get(20)).isEqualTo("render: ... and 3 more bad document(s)");
  }

  @Test
  void everyExampleRendersTogetherAndThePipelinesVolumesAreThere() throws IOException {
    List<String> args = new ArrayList<>();
    try (var files = Files.list(examples())) {
      files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> {
        args.add("-f");
        args.add(f.toString());
      });
    }
    Run run = render(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.kinds()).contains("WorkflowTemplate").contains("StatefulSet").contains("PersistentVolume");
    assertThat(run.err()).as("the examples mount only NasVolumes the examples create").doesNotContain("spec.volumes) is in");
  }

  @Test
  void aPipelineMountingANasVolumeNobodyCreatesIsRenderedWithAWarning() {
    Run run = render("-f", examples().resolve("pipeline-daily-train.yaml").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.err()).contains("NasVolume ml-team/imagenet (spec.volumes) is in neither the files nor --cluster")
        .contains("NasVolume ml-team/checkpoints (spec.volumes)");
    Run withVolumes = render("-f", examples().resolve("pipeline-daily-train.yaml").toString(),
        "-f", examples().resolve("nasserver-flash.yaml").toString(),
        "-f", examples().resolve("nasvolume-datasets.yaml").toString());
    assertThat(withVolumes.err()).doesNotContain("(spec.volumes) is in neither");
  }

  @Test
  void aBadNodeGivenWithFIsRefusedLikeClusterInput(@TempDir Path dir) throws IOException {
    Path node = Files.writeString(dir.resolve("node.yaml"), """
        apiVersion: v1
        kind: Node
        metadata: {name: n1, labels: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}}
        status: {allocatable: {nvidia.com/gpu: eight}}
        """);
    Run run = render("-f", examples().resolve("trainingjob-cpu-smoke.yaml").toString(), "-f", node.toString());
    assertThat(run.exit()).isEqualTo(RenderCommand.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip().lines()).singleElement().asString().contains("node.yaml, document 1")
        .contains("nvidia.com/gpu");
  }
}
