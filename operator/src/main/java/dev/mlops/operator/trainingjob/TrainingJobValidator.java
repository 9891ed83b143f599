package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.api.v1alpha1.TrainingJobRules.*;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.NcclSpec;
import dev.mlops.operator.api.v1alpha1.NetworkSpec;
import dev.mlops.operator.api.v1alpha1.PodTemplateOverrides;
import dev.mlops.operator.api.v1alpha1.RunPolicy;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.common.Quantities;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reconciler's copy of every rule the CRD enforces, plus the checks the API server cannot make
 * (quantity comparisons). Tests run without a real API server, and a CRD may be older than the
 * operator, so the operator never trusts that admission already said no. Messages name the field
 * and, for CEL rules, are the very strings of {@link dev.mlops.operator.api.v1alpha1.TrainingJobRules}.
 */
public final class TrainingJobValidator {

  private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern NO_SPACE = Pattern.compile("^[^\\s]+$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
  private static final Pattern RESOURCE_NAME =
      Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  private static final Pattern MULTUS = Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern NCCL_DEBUG = Pattern.compile("^(VERSION|WARN|INFO|TRACE)$");
  private static final Pattern GDR_LEVEL = Pattern.compile("^(LOC|PIX|PXB|PHB|SYS|NVL|[0-9]+)$");

  private TrainingJobValidator() {}

  /**
   * Every problem with the spec; empty when valid. {@code runningJob} is the Job of the attempt in
   * flight, if any: its fingerprint tells which locked fields changed since the job started.
   */
  public static List<String> validate(TrainingJob tj, Optional<Job> runningJob) {
    List<String> errors = new ArrayList<>();
    String name = tj.getMetadata().getName();
    TrainingJobSpec spec = tj.getSpec();
    if (spec == null) {
      errors.add("spec is required");
      return errors;
    }
    if (name == null || !DNS_1035.matcher(name).matches()) {
      errors.add(NAME_DNS);
    }
    checkImage(spec, errors);
    checkCounts(spec, errors);
    if (name != null && spec.getNodes() != null && spec.getNodes() >= 1
        && name.length() + 1 + String.valueOf(spec.getNodes() - 1).length() > MAX_HOSTNAME) {
      errors.add(NAME_LENGTH);
    }
    if (spec.getWorkingDir() != null && !spec.getWorkingDir().startsWith("/")) {
      errors.add("spec.workingDir must be an absolute path (start with /)");
    }
    checkEnv(spec.getEnv(), errors);
    checkResources(spec, errors);
    checkGpu(spec.getGpu(), errors);
    checkNccl(spec.getNccl(), errors);
    checkNetwork(spec.getNetwork(), errors);
    checkRunPolicy(spec.getRunPolicy(), errors);
    checkPodTemplate(spec.getPodTemplate(), errors);
    runningJob.ifPresent(job -> SpecFingerprint.changedFields(job, tj)
        .forEach(field -> errors.add(lockedMessage(field))));
    return errors;
  }

  private static void checkImage(TrainingJobSpec spec, List<String> errors) {
    if (spec.getImage() == null || spec.getImage().isEmpty()) {
      errors.add("spec.image is required");
    } else if (!NO_SPACE.matcher(spec.getImage()).matches()) {
      errors.add("spec.image must not contain whitespace");
    }
  }

  private static void checkCounts(TrainingJobSpec spec, List<String> errors) {
    if (spec.getNodes() == null) {
      errors.add("spec.nodes is required");
    } else if (spec.getNodes() < 1 || spec.getNodes() > 512) {
      errors.add("spec.nodes must be between 1 and 512 (got " + spec.getNodes() + ")");
    }
    if (spec.getGpusPerNode() == null) {
      errors.add("spec.gpusPerNode is required (0 for a CPU-only job)");
    } else if (spec.getGpusPerNode() < 0 || spec.getGpusPerNode() > 16) {
      errors.add("spec.gpusPerNode must be between 0 and 16 (got " + spec.getGpusPerNode() + ")");
    }
  }

  private static void checkEnv(List<EnvVar> env, List<String> errors) {
    if (env == null) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).getName() == null || env.get(i).getName().isEmpty()) {
        errors.add("spec.env[" + i + "].name is required");
      }
    }
    boolean reserved = env.stream().map(EnvVar::getName).anyMatch(n -> n != null
        && (RESERVED_ENV_NAMES.contains(n) || n.startsWith("PET_") || n.startsWith("NCCL_")));
    if (reserved) {
      errors.add(RESERVED_ENV);
    }
  }

  private static void checkResources(TrainingJobSpec spec, List<String> errors) {
    if (spec.getResources() == null) {
      checkShm(spec, null, errors);
      return;
    }
    String gpuResource = gpuResourceName(spec);
    Map<String, Quantity> limits = spec.getResources().getLimits();
    Map<String, Quantity> requests = spec.getResources().getRequests();
    if ((limits != null && limits.containsKey(gpuResource)) || (requests != null && requests.containsKey(gpuResource))) {
      errors.add(NO_GPU_IN_RESOURCES);
    }
    boolean allQuantities = (limits == null || limits.values().stream().allMatch(q -> Quantities.isValid(q.toString())))
        && (requests == null || requests.values().stream().allMatch(q -> Quantities.isValid(q.toString())));
    if (!allQuantities) {
      errors.add(RESOURCE_QUANTITIES);
    }
    Quantity memoryLimit = limits == null ? null : limits.get("memory");
    checkShm(spec, memoryLimit, errors);
  }

  private static void checkShm(TrainingJobSpec spec, Quantity memoryLimit, List<String> errors) {
    String shm = Quantities.text(spec.getShmSize());
    if (shm == null) {
      return;
    }
    Optional<BigDecimal> shmBytes = Quantities.amount(shm);
    if (shmBytes.isEmpty()) {
      errors.add(SHM_QUANTITY);
      return;
    }
    Optional<BigDecimal> limitBytes = Quantities.amount(memoryLimit);
    if (limitBytes.isPresent() && shmBytes.get().compareTo(limitBytes.get()) > 0) {
      errors.add("spec.shmSize (" + shm + ") must not exceed the memory limit in spec.resources.limits.memory ("
          + memoryLimit + "): /dev/shm is memory-backed and counts against it");
    }
  }

  private static void checkGpu(GpuSpec gpu, List<String> errors) {
    if (gpu == null) {
      return;
    }
    if (gpu.getProduct() != null && !LABEL_VALUE.matcher(gpu.getProduct()).matches()) {
      errors.add("spec.gpu.product must be a node label value such as NVIDIA-A100-SXM4-80GB");
    }
    if (gpu.getResourceName() != null && !RESOURCE_NAME.matcher(gpu.getResourceName()).matches()) {
      errors.add("spec.gpu.resourceName must be an extended resource name such as nvidia.com/gpu");
    }
  }

  private static void checkNccl(NcclSpec nccl, List<String> errors) {
    if (nccl == null) {
      return;
    }
    if (nccl.getDebug() != null && !NCCL_DEBUG.matcher(nccl.getDebug()).matches()) {
      errors.add("spec.nccl.debug must be one of VERSION, WARN, INFO, TRACE");
    }
    if (nccl.getNetGdrLevel() != null && !GDR_LEVEL.matcher(nccl.getNetGdrLevel()).matches()) {
      errors.add("spec.nccl.netGdrLevel must be one of LOC, PIX, PXB, PHB, SYS, NVL or a number");
    }
    if (nccl.getEnv() != null) {
      if (!nccl.getEnv().keySet().stream().allMatch(k -> k.startsWith("NCCL_"))) {
        errors.add(NCCL_ENV_PREFIX);
      }
      if (nccl.getEnv().keySet().stream().anyMatch(TYPED_NCCL_ENV_NAMES::contains)) {
        errors.add(NCCL_ENV_TYPED);
      }
    }
  }

  private static void checkNetwork(NetworkSpec network, List<String> errors) {
    if (network == null) {
      return;
    }
    List<String> multus = network.getMultusNetworks();
    if (Boolean.TRUE.equals(network.getHostNetwork()) && multus != null && !multus.isEmpty()) {
      errors.add(HOSTNETWORK_MULTUS);
    }
    if (multus != null && !multus.stream().allMatch(n -> MULTUS.matcher(n).matches())) {
      errors.add(MULTUS_NAME);
    }
    if (network.getRdma() != null) {
      String resource = network.getRdma().getResourceName();
      if (resource == null || !RESOURCE_NAME.matcher(resource).matches()) {
        errors.add("spec.network.rdma.resourceName is required and must be an extended resource name such as rdma/hca");
      }
      Integer count = network.getRdma().getCount();
      if (count != null && (count < 1 || count > 16)) {
        errors.add("spec.network.rdma.count must be between 1 and 16 (got " + count + ")");
      }
    }
  }

  private static void checkRunPolicy(RunPolicy policy, List<String> errors) {
    if (policy == null) {
      return;
    }
    if (policy.getBackoffLimit() != null && (policy.getBackoffLimit() < 0 || policy.getBackoffLimit() > 100)) {
      errors.add("spec.runPolicy.backoffLimit must be between 0 and 100 (got " + policy.getBackoffLimit() + ")");
    }
    if (policy.getNonRetryableExitCodes() != null
        && !policy.getNonRetryableExitCodes().stream().allMatch(c -> c != null && c >= 1 && c <= 255)) {
      errors.add(EXIT_CODES);
    }
    if (policy.getActiveDeadlineSeconds() != null && policy.getActiveDeadlineSeconds() < 1) {
      errors.add("spec.runPolicy.activeDeadlineSeconds must be at least 1");
    }
    if (policy.getTtlSecondsAfterFinished() != null && policy.getTtlSecondsAfterFinished() < 0) {
      errors.add("spec.runPolicy.ttlSecondsAfterFinished must not be negative");
    }
  }

  private static void checkPodTemplate(PodTemplateOverrides template, List<String> errors) {
    if (template == null || template.getLabels() == null) {
      return;
    }
    if (template.getLabels().keySet().stream().anyMatch(RESERVED_POD_LABELS::contains)) {
      errors.add(POD_LABELS);
    }
  }

  static String gpuResourceName(TrainingJobSpec spec) {
    return spec.getGpu() != null && spec.getGpu().getResourceName() != null
        ? spec.getGpu().getResourceName() : GpuSpec.DEFAULT_RESOURCE_NAME;
  }

  private static String lockedMessage(String field) {
    return switch (field) {
      case "image" -> IMMUTABLE_IMAGE;
      case "command" -> IMMUTABLE_COMMAND;
      case "args" -> IMMUTABLE_ARGS;
      case "workingDir" -> IMMUTABLE_WORKINGDIR;
      case "nodes" -> IMMUTABLE_NODES;
      case "gpusPerNode" -> IMMUTABLE_GPUS;
      case "gpu" -> IMMUTABLE_GPU;
      case "resources" -> IMMUTABLE_RESOURCES;
      case "shmSize" -> IMMUTABLE_SHM;
      case "nccl" -> IMMUTABLE_NCCL;
      case "network" -> IMMUTABLE_NETWORK;
      default -> "spec." + field + " is immutable once the job has started";
    };
  }
}
