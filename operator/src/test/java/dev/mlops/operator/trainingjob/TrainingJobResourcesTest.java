package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.trainingjob.TrainingJobs.gpuJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.NcclSpec;
import dev.mlops.operator.api.v1alpha1.NetworkSpec;
import dev.mlops.operator.api.v1alpha1.PodTemplateOverrides;
import dev.mlops.operator.api.v1alpha1.RdmaSpec;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrainingJobResourcesTest {

  private static Map<String, EnvVar> env(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  @Test
  void indexedJobWithOneWorkerPerNodeAndNoPodRetries() {
    Job job = TrainingJobResources.desiredJob(gpuJob("llama", 4, 8), "NVIDIA-A100-SXM4-80GB", 1);
    assertThat(job.getMetadata().getName()).isEqualTo("llama");
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getCompletions()).isEqualTo(4);
    assertThat(job.getSpec().getParallelism()).isEqualTo(4);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSubdomain()).isEqualTo("llama");
    assertThat(pod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("8");
    assertThat(pod.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "Exists".equals(t.getOperator()));
    var anti = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    assertThat(anti).singleElement().satisfies(t -> {
      assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(t.getLabelSelector().getMatchLabels()).containsEntry("mlops.dev/trainingjob", "llama");
    });
    var terms = pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    assertThat(terms).singleElement().satisfies(t -> assertThat(t.getMatchExpressions()).singleElement()
        .satisfies(e -> {
          assertThat(e.getKey()).isEqualTo("nvidia.com/gpu.product");
          assertThat(e.getValues()).containsExactly("NVIDIA-A100-SXM4-80GB");
        }));
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("mlops.dev/attempt", "1").doesNotContainKey("app.kubernetes.io/instance");
  }

  @Test
  void torchrunAndNcclEnvironment() {
    TrainingJob tj = gpuJob("llama", 4, 8);
    NcclSpec nccl = new NcclSpec();
    nccl.setSocketIfname("eth0");
    nccl.setIbDisable(true);
    nccl.setDebug("INFO");
    nccl.setEnv(Map.of("NCCL_ALGO", "Ring"));
    tj.getSpec().setNccl(nccl);
    tj.getSpec().setEnv(List.of(new EnvVar("HF_HOME", "/data/hf", null)));
    Map<String, EnvVar> env = env(TrainingJobResources.desiredJob(tj, "P", 3));
    assertThat(env.get("PET_NNODES").getValue()).isEqualTo("4");
    assertThat(env.get("PET_NPROC_PER_NODE").getValue()).isEqualTo("8");
    assertThat(env.get("NPROC_PER_NODE").getValue()).isEqualTo("8");
    assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo("32");
    assertThat(env.get("PET_MASTER_ADDR").getValue()).isEqualTo("llama-0.llama");
    assertThat(env.get("MASTER_ADDR").getValue()).isEqualTo("llama-0.llama");
    assertThat(env.get("PET_MASTER_PORT").getValue()).isEqualTo("29500");
    assertThat(env.get("MASTER_PORT").getValue()).isEqualTo("29500");
    assertThat(env.get("MLOPS_ATTEMPT").getValue()).isEqualTo("3");
    assertThat(env.get("PET_NODE_RANK").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    assertThat(env.get("NODE_RANK").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    assertThat(env.get("NCCL_SOCKET_IFNAME").getValue()).isEqualTo("eth0");
    assertThat(env.get("NCCL_IB_DISABLE").getValue()).isEqualTo("1");
    assertThat(env.get("NCCL_DEBUG").getValue()).isEqualTo("INFO");
    assertThat(env.get("NCCL_ALGO").getValue()).isEqualTo("Ring");
    assertThat(env.get("HF_HOME").getValue()).isEqualTo("/data/hf");
  }

  @Test
  void cpuOnlyJobRunsOneProcessPerNodeWithoutGpuLimitOrProductPin() {
    Job job = TrainingJobResources.desiredJob(gpuJob("smoke", 2, 0), null, 1);
    Map<String, EnvVar> env = env(job);
    assertThat(env.get("PET_NPROC_PER_NODE").getValue()).isEqualTo("1");
    assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo("2");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getResources().getLimits()).isNull();
    assertThat(pod.getAffinity().getNodeAffinity()).isNull();
    assertThat(pod.getTolerations()).isNull();
  }

  @Test
  void shmIsAMemoryBackedEmptyDirOfShmSize() {
    TrainingJob tj = gpuJob("llama", 1, 8);
    tj.getSpec().setShmSize(new IntOrString("64Gi"));
    PodSpec pod = TrainingJobResources.desiredJob(tj, "P", 1).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
      assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("64Gi");
    });
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anyMatch(m -> "/dev/shm".equals(m.getMountPath()));
  }

  @Test
  void rdmaAddsDevicesAndIpcLockAndMultusAnnotation() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    NetworkSpec network = new NetworkSpec();
    network.setMultusNetworks(List.of("default/rdma-net", "ib2"));
    RdmaSpec rdma = new RdmaSpec();
    rdma.setResourceName("rdma/hca");
    rdma.setCount(2);
    network.setRdma(rdma);
    tj.getSpec().setNetwork(network);
    Job job = TrainingJobResources.desiredJob(tj, "P", 1);
    var worker = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(worker.getResources().getLimits().get("rdma/hca").toString()).isEqualTo("2");
    assertThat(worker.getSecurityContext().getCapabilities().getAdd()).containsExactly("IPC_LOCK");
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("k8s.v1.cni.cncf.io/networks", "default/rdma-net,ib2");
  }

  @Test
  void userAffinityIsMergedNotReplaced() {
    TrainingJob tj = gpuJob("llama", 2, 8);
    PodTemplateOverrides template = new PodTemplateOverrides();
    template.setAffinity(new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("rack").withOperator("In").withValues("r1").endMatchExpression()
        .endNodeSelectorTerm()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("rack").withOperator("In").withValues("r2").endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
    tj.getSpec().setPodTemplate(template);
    var terms = TrainingJobResources.desiredJob(tj, "P", 1).getSpec().getTemplate().getSpec().getAffinity()
        .getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    // Terms are ORed, so the product requirement must be in each of them.
    assertThat(terms).hasSize(2).allSatisfy(t -> assertThat(t.getMatchExpressions())
        .extracting(e -> e.getKey()).containsExactly("rack", "nvidia.com/gpu.product"));
    // The user's object is not modified.
    assertThat(template.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions()).hasSize(1);
  }

  @Test
  void headlessServicePublishesNotReadyAddresses() {
    Service svc = TrainingJobResources.desiredService(gpuJob("llama", 2, 8));
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(svc.getSpec().getSelector()).containsExactly(Map.entry("mlops.dev/trainingjob", "llama"));
    assertThat(svc.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());
    assertThat(svc.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/instance");
  }
}
