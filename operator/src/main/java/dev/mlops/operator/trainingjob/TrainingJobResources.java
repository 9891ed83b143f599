package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.NcclSpec;
import dev.mlops.operator.api.v1alpha1.RedisBinding;
import dev.mlops.operator.api.v1alpha1.NetworkSpec;
import dev.mlops.operator.api.v1alpha1.PodTemplateOverrides;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.Quantities;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired children of a TrainingJob, as pure functions of the resource and what was observed
 * (the chosen GPU product and the attempt number). No client is touched here: {@code render}, the
 * tests and the reconciler all call these same functions.
 */
public final class TrainingJobResources {

  public static final String KIND_LABEL = "trainingjob";
  public static final String JOB_LABEL = "mlops.dev/trainingjob";
  public static final String ATTEMPT_LABEL = "mlops.dev/attempt";
  public static final String PRODUCT_LABEL = "mlops.dev/gpu-product";
  public static final String COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
  public static final String MULTUS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";
  public static final String WORKER_CONTAINER = "worker";
  public static final String WAIT_CONTAINER = "wait-for-master";
  public static final String GPU_TAINT = "nvidia.com/gpu";
  public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
  public static final int MASTER_PORT = 29500;

  private TrainingJobResources() {}

  /** The Job and the headless Service share the TrainingJob's name: worker i is {@code <name>-i.<name>}. */
  public static String jobName(TrainingJob tj) {
    return tj.getMetadata().getName();
  }

  public static String serviceName(TrainingJob tj) {
    return tj.getMetadata().getName();
  }

  public static String masterAddress(TrainingJob tj) {
    return jobName(tj) + "-0." + serviceName(tj);
  }

  /** torchrun processes per node: one per GPU, or one for a CPU-only job. */
  public static int processesPerNode(TrainingJobSpec spec) {
    return spec.getGpusPerNode() > 0 ? spec.getGpusPerNode() : 1;
  }

  public static Map<String, String> selectorLabels(TrainingJob tj) {
    return Labels.forChild(KIND_LABEL, tj.getMetadata().getName());
  }

  public static Service desiredService(TrainingJob tj) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(JOB_LABEL, tj.getMetadata().getName());
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(serviceName(tj))
        .withNamespace(tj.getMetadata().getNamespace())
        .withLabels(selectorLabels(tj))
        .withOwnerReferences(ownerReference(tj))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(selector)
        .addNewPort().withName("rendezvous").withPort(MASTER_PORT).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /**
   * The Indexed Job of one attempt. Pod retries are off (backoffLimit 0): the first failed worker
   * fails the Job, the Job controller stops the others, and the operator decides on a gang restart.
   */
  public static Job desiredJob(TrainingJob tj, String gpuProduct, int attempt) {
    return desiredJob(tj, gpuProduct, attempt, java.util.Optional.empty());
  }

  /**
   * As above, for a gang admitted on named nodes: the workers are pinned there (required node affinity on the
   * hostname, ANDed into every term), and the Job records the reservation so that admission counts it after a restart.
   */
  public static Job desiredJob(TrainingJob tj, String gpuProduct, int attempt,
      java.util.Optional<AdmissionLedger.Reservation> admitted) {
    TrainingJobSpec spec = tj.getSpec();
    Map<String, String> labels = selectorLabels(tj);
    labels.put(ATTEMPT_LABEL, String.valueOf(attempt));
    Map<String, String> jobLabels = new LinkedHashMap<>(labels);
    if (gpuProduct != null) {
      jobLabels.put(PRODUCT_LABEL, gpuProduct);
    }
    var scheduling = spec.getScheduling();
    boolean kueue = scheduling != null && scheduling.getQueue() != null;
    if (kueue) {
      jobLabels.put(dev.mlops.operator.kueue.Workload.QUEUE_LABEL, scheduling.getQueue());
    }
    Map<String, String> podLabels = new LinkedHashMap<>();
    PodTemplateOverrides template = spec.getPodTemplate();
    if (template != null && template.getLabels() != null) {
      podLabels.putAll(template.getLabels());
    }
    podLabels.putAll(labels);
    if (spec.getRedis() != null) {
      // What a RedisInstance's NetworkPolicy admits (access.networkPolicy).
      spec.getRedis().forEach(b -> podLabels.put(dev.mlops.operator.redis.RedisResources.clientLabel(redisNamespace(tj, b),
          b.getName()), "true"));
    }
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    if (template != null && template.getAnnotations() != null) {
      podAnnotations.putAll(template.getAnnotations());
    }
    NetworkSpec network = spec.getNetwork();
    if (network != null && network.getMultusNetworks() != null && !network.getMultusNetworks().isEmpty()) {
      podAnnotations.put(MULTUS_ANNOTATION, String.join(",", network.getMultusNetworks()));
    }
    if (kueue && scheduling.getTopology() != null) {
      if (scheduling.getTopology().getRequired() != null) {
        podAnnotations.put(dev.mlops.operator.kueue.Workload.REQUIRED_TOPOLOGY, scheduling.getTopology().getRequired());
      } else if (scheduling.getTopology().getPreferred() != null) {
        podAnnotations.put(dev.mlops.operator.kueue.Workload.PREFERRED_TOPOLOGY, scheduling.getTopology().getPreferred());
      }
    }
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(tj))
        .withNamespace(tj.getMetadata().getNamespace())
        .withLabels(jobLabels)
        .withAnnotations(jobAnnotations(spec, admitted))
        .withOwnerReferences(ownerReference(tj))
        .endMetadata()
        .withNewSpec()
        // Created suspended for Kueue, as its webhook would make it; from then on spec.suspend is Kueue's.
        .withSuspend(kueue ? Boolean.TRUE : null)
        .withCompletionMode("Indexed")
        .withCompletions(spec.getNodes())
        .withParallelism(spec.getNodes())
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata().withLabels(podLabels).withAnnotations(podAnnotations.isEmpty() ? null : podAnnotations)
        .endMetadata()
        .withSpec(podSpec(tj, gpuProduct, attempt, admitted.map(AdmissionLedger.Reservation::nodes).orElse(List.of())))
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Map<String, String> jobAnnotations(TrainingJobSpec spec,
      java.util.Optional<AdmissionLedger.Reservation> admitted) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(SpecFingerprint.ANNOTATION, SpecFingerprint.of(spec));
    admitted.ifPresent(r -> annotations.put(AdmissionLedger.ANNOTATION, r.annotation()));
    return annotations;
  }

  static PodSpec podSpec(TrainingJob tj, String gpuProduct, int attempt) {
    return podSpec(tj, gpuProduct, attempt, List.of());
  }

  static PodSpec podSpec(TrainingJob tj, String gpuProduct, int attempt, List<String> nodes) {
    TrainingJobSpec spec = tj.getSpec();
    PodTemplateOverrides template = spec.getPodTemplate() == null ? new PodTemplateOverrides() : spec.getPodTemplate();
    boolean hostNetwork = spec.getNetwork() != null && Boolean.TRUE.equals(spec.getNetwork().getHostNetwork());
    List<EnvVar> env = workerEnv(tj, attempt);
    var builder = new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withSubdomain(serviceName(tj))
        .withHostNetwork(hostNetwork ? Boolean.TRUE : null)
        .withDnsPolicy(hostNetwork ? "ClusterFirstWithHostNet" : null)
        .withNodeSelector(template.getNodeSelector())
        .withServiceAccountName(template.getServiceAccountName())
        .withImagePullSecrets(template.getImagePullSecrets())
        .withPriorityClassName(TrainingJobValidator.priorityClassName(spec))
        .withSchedulerName(template.getSchedulerName())
        .withTolerations(tolerations(spec))
        .withAffinity(affinity(tj, gpuProduct, nodes))
        .withInitContainers(waitForMaster(spec, env))
        .withContainers(worker(tj, env))
        .addNewVolume().withName("dshm").withNewEmptyDir().withMedium("Memory")
        .withSizeLimit(spec.getShmSize() == null ? null : new Quantity(Quantities.text(spec.getShmSize())))
        .endEmptyDir().endVolume();
    List<String> claims = nasVolumes(spec);
    for (int i = 0; i < claims.size(); i++) {
      builder.addNewVolume().withName("nas-" + i).withNewPersistentVolumeClaim().withClaimName(claims.get(i))
          .endPersistentVolumeClaim().endVolume();
    }
    return builder.build();
  }

  /** The NasVolumes the workers mount, each once, in the order of spec.volumes then spec.checkpoint (its claim's name). */
  public static String redisPrefix(RedisBinding binding) {
    return binding.getEnvPrefix() == null ? "REDIS" : binding.getEnvPrefix();
  }

  public static String redisNamespace(TrainingJob tj, RedisBinding binding) {
    return binding.getNamespace() == null ? tj.getMetadata().getNamespace() : binding.getNamespace();
  }

  /** The variables a binding sets in every worker. */
  public static List<String> redisEnvNames(RedisBinding binding) {
    String prefix = redisPrefix(binding);
    return List.of(prefix + "_HOST", prefix + "_PORT", prefix + "_PASSWORD", prefix + "_URL");
  }

  /** The Secret in the job's namespace holding the binding's password: {@code <job>-<prefix in lower case>}. */
  public static String redisSecretName(TrainingJob tj, RedisBinding binding) {
    return redisSecretName(tj.getMetadata().getName(), binding);
  }

  static String redisSecretName(String job, RedisBinding binding) {
    String suffix = redisPrefix(binding).toLowerCase(java.util.Locale.ROOT).replace('_', '-').replaceAll("^-+|-+$", "");
    return job + "-" + (suffix.isEmpty() ? "redis" : suffix);
  }

  /** The job's copy of a bound instance's password, owned by the job (collected with it). */
  public static io.fabric8.kubernetes.api.model.Secret redisSecret(TrainingJob tj, String name, String password) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(tj.getMetadata().getNamespace()).withLabels(selectorLabels(tj))
        .withOwnerReferences(ownerReference(tj)).endMetadata().withType("Opaque")
        .withStringData(Map.of(dev.mlops.operator.redis.RedisResources.PASSWORD_KEY, password)).build();
  }

  public static List<String> nasVolumes(TrainingJobSpec spec) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    if (spec.getVolumes() != null) {
      spec.getVolumes().forEach(v -> names.add(v.getNasVolume()));
    }
    if (spec.getCheckpoint() != null) {
      names.add(spec.getCheckpoint().getNasVolume());
    }
    return List.copyOf(names);
  }

  /** The checkpoint directory inside its volume: spec.checkpoint.subPath, or the TrainingJob's name (same in every attempt). */
  public static String checkpointSubPath(TrainingJob tj) {
    String subPath = tj.getSpec().getCheckpoint().getSubPath();
    return subPath == null || subPath.isEmpty() ? tj.getMetadata().getName() : subPath;
  }

  private static List<io.fabric8.kubernetes.api.model.VolumeMount> nasMounts(TrainingJob tj) {
    TrainingJobSpec spec = tj.getSpec();
    List<String> claims = nasVolumes(spec);
    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
    if (spec.getVolumes() != null) {
      for (var v : spec.getVolumes()) {
        mounts.add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("nas-" + claims.indexOf(v.getNasVolume()))
            .withMountPath(v.getMountPath()).withSubPath(v.getSubPath())
            .withReadOnly(Boolean.TRUE.equals(v.getReadOnly()) ? Boolean.TRUE : null).build());
      }
    }
    if (spec.getCheckpoint() != null) {
      mounts.add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
          .withName("nas-" + claims.indexOf(spec.getCheckpoint().getNasVolume()))
          .withMountPath(spec.getCheckpoint().mountPathOrDefault()).withSubPath(checkpointSubPath(tj)).build());
    }
    return mounts;
  }

  /** The variables torchrun and NCCL read, the same in every worker but for the rank. */
  public static List<EnvVar> workerEnv(TrainingJob tj, int attempt) {
    TrainingJobSpec spec = tj.getSpec();
    int nproc = processesPerNode(spec);
    String master = masterAddress(tj);
    String nodes = String.valueOf(spec.getNodes());
    List<EnvVar> env = new ArrayList<>();
    env.add(value("PET_NNODES", nodes));
    env.add(value("PET_NPROC_PER_NODE", String.valueOf(nproc)));
    env.add(rank("PET_NODE_RANK"));
    env.add(value("PET_MASTER_ADDR", master));
    env.add(value("PET_MASTER_PORT", String.valueOf(MASTER_PORT)));
    env.add(value("MASTER_ADDR", master));
    env.add(value("MASTER_PORT", String.valueOf(MASTER_PORT)));
    env.add(value("WORLD_SIZE", String.valueOf(spec.getNodes() * nproc)));
    env.add(rank("NODE_RANK"));
    env.add(value("NPROC_PER_NODE", String.valueOf(nproc)));
    env.add(value("MLOPS_ATTEMPT", String.valueOf(attempt)));
    if (spec.getCheckpoint() != null) {
      env.add(value("CHECKPOINT_DIR", spec.getCheckpoint().mountPathOrDefault()));
    }
    if (spec.getRedis() != null) {
      for (RedisBinding b : spec.getRedis()) {
        String prefix = redisPrefix(b);
        String host = b.getName() + "." + redisNamespace(tj, b) + ".svc";
        int port = dev.mlops.operator.redis.RedisConnector.PORT;
        env.add(value(prefix + "_HOST", host));
        env.add(value(prefix + "_PORT", String.valueOf(port)));
        // Optional: without auth on the instance the operator makes no Secret and the variable is unset.
        env.add(new EnvVarBuilder().withName(prefix + "_PASSWORD").withNewValueFrom()
            .withNewSecretKeyRef(dev.mlops.operator.redis.RedisResources.PASSWORD_KEY, redisSecretName(tj, b), true)
            .endValueFrom().build());
        env.add(value(prefix + "_URL", "redis://" + host + ":" + port));
      }
    }
    NcclSpec nccl = spec.getNccl();
    if (nccl != null) {
      addIfSet(env, "NCCL_SOCKET_IFNAME", nccl.getSocketIfname());
      addIfSet(env, "NCCL_IB_HCA", nccl.getIbHca());
      addIfSet(env, "NCCL_IB_DISABLE", nccl.getIbDisable() == null ? null : (nccl.getIbDisable() ? "1" : "0"));
      addIfSet(env, "NCCL_DEBUG", nccl.getDebug());
      addIfSet(env, "NCCL_NET_GDR_LEVEL", nccl.getNetGdrLevel());
      if (nccl.getEnv() != null) {
        nccl.getEnv().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> env.add(value(e.getKey(), e.getValue())));
      }
    }
    if (spec.getEnv() != null) {
      env.addAll(spec.getEnv());
    }
    return env;
  }

  private static Container worker(TrainingJob tj, List<EnvVar> env) {
    TrainingJobSpec spec = tj.getSpec();
    var builder = new ContainerBuilder()
        .withName(WORKER_CONTAINER)
        .withImage(spec.getImage())
        .withCommand(spec.getCommand())
        .withArgs(spec.getArgs())
        .withWorkingDir(spec.getWorkingDir())
        .withEnv(env)
        .withResources(resources(spec))
        .addNewPort().withName("rendezvous").withContainerPort(MASTER_PORT).withProtocol("TCP").endPort()
        .addNewVolumeMount().withName("dshm").withMountPath("/dev/shm").endVolumeMount()
        .addAllToVolumeMounts(nasMounts(tj));
    if (spec.getNetwork() != null && spec.getNetwork().getRdma() != null) {
      builder.withNewSecurityContext().withNewCapabilities().addToAdd("IPC_LOCK").endCapabilities().endSecurityContext();
    }
    return builder.build();
  }

  /**
   * Waits until worker 0's name resolves through the headless Service, so no worker starts torchrun
   * before the rendezvous host exists. Runs in the training image (no extra image to pull) and tries
   * getent, nslookup and Python, whichever the image has; gives up after ten minutes.
   */
  private static Container waitForMaster(TrainingJobSpec spec, List<EnvVar> env) {
    String script = "i=0; until getent hosts \"$MASTER_ADDR\" >/dev/null 2>&1"
        + " || nslookup \"$MASTER_ADDR\" >/dev/null 2>&1"
        + " || python3 -c 'import os,socket; socket.gethostbyname(os.environ[\"MASTER_ADDR\"])' >/dev/null 2>&1;"
        + " do i=$((i+1)); if [ \"$i\" -ge 300 ]; then echo \"$MASTER_ADDR did not resolve in 600s\" >&2; exit 1; fi;"
        + " sleep 2; done";
    return new ContainerBuilder()
        .withName(WAIT_CONTAINER)
        .withImage(spec.getImage())
        .withCommand("sh", "-c", script)
        .withEnv(env.stream().filter(e -> e.getName().equals("MASTER_ADDR")).toList())
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("32Mi"))
            .addToLimits("memory", new Quantity("64Mi"))
            .build())
        .build();
  }

  private static ResourceRequirements resources(TrainingJobSpec spec) {
    ResourceRequirements user = spec.getResources();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    Map<String, Quantity> requests = new LinkedHashMap<>();
    if (user != null && user.getLimits() != null) {
      limits.putAll(user.getLimits());
    }
    if (user != null && user.getRequests() != null) {
      requests.putAll(user.getRequests());
    }
    if (spec.getGpusPerNode() > 0) {
      limits.put(TrainingJobValidator.gpuResourceName(spec), new Quantity(String.valueOf(spec.getGpusPerNode())));
    }
    if (spec.getNetwork() != null && spec.getNetwork().getRdma() != null) {
      var rdma = spec.getNetwork().getRdma();
      int count = rdma.getCount() == null ? 1 : rdma.getCount();
      limits.put(rdma.getResourceName(), new Quantity(String.valueOf(count)));
    }
    return new ResourceRequirementsBuilder()
        .withLimits(limits.isEmpty() ? null : limits)
        .withRequests(requests.isEmpty() ? null : requests)
        .build();
  }

  private static List<Toleration> tolerations(TrainingJobSpec spec) {
    List<Toleration> tolerations = tolerationsOf(spec);
    return tolerations.isEmpty() ? null : tolerations;
  }

  /** Every toleration of a worker: the operator's GPU toleration and the podTemplate's. */
  static List<Toleration> tolerationsOf(TrainingJobSpec spec) {
    List<Toleration> tolerations = new ArrayList<>();
    if (spec.getGpusPerNode() > 0) {
      tolerations.add(new TolerationBuilder().withKey(GPU_TAINT).withOperator("Exists").withEffect("NoSchedule").build());
    }
    if (spec.getPodTemplate() != null && spec.getPodTemplate().getTolerations() != null) {
      tolerations.addAll(spec.getPodTemplate().getTolerations());
    }
    return tolerations;
  }

  /**
   * The user's affinity plus: required node affinity on the one GPU product (added to every node
   * selector term, since terms are ORed) and required anti-affinity so no two workers share a node.
   */
  static Affinity affinity(TrainingJob tj, String gpuProduct) {
    return affinity(tj, gpuProduct, List.of());
  }

  static Affinity affinity(TrainingJob tj, String gpuProduct, List<String> nodes) {
    TrainingJobSpec spec = tj.getSpec();
    Affinity user = spec.getPodTemplate() == null ? null : spec.getPodTemplate().getAffinity();
    Affinity affinity = user == null ? new Affinity()
        : Serialization.unmarshal(Serialization.asJson(user), Affinity.class);
    if (gpuProduct != null) {
      NodeSelectorRequirement onProduct = new NodeSelectorRequirementBuilder()
          .withKey(GpuProductSelector.PRODUCT_LABEL).withOperator("In").withValues(gpuProduct).build();
      var nodeAffinity = affinity.getNodeAffinity() == null
          ? new io.fabric8.kubernetes.api.model.NodeAffinity() : affinity.getNodeAffinity();
      NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
      List<NodeSelectorTerm> terms = required == null || required.getNodeSelectorTerms() == null
          || required.getNodeSelectorTerms().isEmpty()
          ? List.of(new NodeSelectorTerm()) : required.getNodeSelectorTerms();
      List<NodeSelectorTerm> merged = new ArrayList<>();
      for (NodeSelectorTerm term : terms) {
        NodeSelectorTerm onIt = new NodeSelectorTermBuilder(term).addToMatchExpressions(onProduct).build();
        if (nodes.isEmpty()) {
          merged.add(onIt);
        }
        // Admitted nodes by name (a node's hostname label may differ from its name): one term per node, since a
        // metadata.name field requirement takes exactly one value.
        for (String node : nodes) {
          merged.add(new NodeSelectorTermBuilder(onIt).addNewMatchField().withKey("metadata.name").withOperator("In")
              .withValues(node).endMatchField().build());
        }
      }
      nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(merged));
      affinity.setNodeAffinity(nodeAffinity);
    }
    PodAffinityTerm onePerNode = new PodAffinityTermBuilder()
        .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels(JOB_LABEL, tj.getMetadata().getName()).build())
        .withTopologyKey(HOSTNAME_KEY)
        .build();
    var antiAffinity = affinity.getPodAntiAffinity() == null
        ? new io.fabric8.kubernetes.api.model.PodAntiAffinity() : affinity.getPodAntiAffinity();
    List<PodAffinityTerm> required = new ArrayList<>();
    if (antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      required.addAll(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
    }
    required.add(onePerNode);
    antiAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
    affinity.setPodAntiAffinity(antiAffinity);
    return new AffinityBuilder(affinity).build();
  }

  static OwnerReference ownerReference(TrainingJob tj) {
    return new OwnerReferenceBuilder()
        .withApiVersion(tj.getApiVersion())
        .withKind(tj.getKind())
        .withName(tj.getMetadata().getName())
        .withUid(tj.getMetadata().getUid())
        .withController(true)
        // No blockOwnerDeletion: where the OwnerReferencesPermissionEnforcement admission plugin runs
        // it would need update on trainingjobs/finalizers, a permission the operator otherwise lacks.
        .build();
  }

  private static EnvVar value(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private static EnvVar rank(String name) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.annotations['" + COMPLETION_INDEX_ANNOTATION + "']").endFieldRef().endValueFrom()
        .build();
  }

  private static void addIfSet(List<EnvVar> env, String name, String value) {
    if (value != null) {
      env.add(value(name, value));
    }
  }
}
