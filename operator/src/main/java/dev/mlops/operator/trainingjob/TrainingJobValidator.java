package dev.mlops.operator.trainingjob;

import static dev.mlops.operator.api.v1alpha1.TrainingJobRules.*;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.NcclSpec;
import dev.mlops.operator.api.v1alpha1.NetworkSpec;
import dev.mlops.operator.api.v1alpha1.PodTemplateOverrides;
import dev.mlops.operator.api.v1alpha1.RunPolicy;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobRules;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.common.KubernetesSyntax;
import dev.mlops.operator.common.Quantities;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

  private static final List<String> STANDARD_RESOURCES = List.of("cpu", "memory", "ephemeral-storage");
  private static final List<String> TOLERATION_OPERATORS = List.of("", "Exists", "Equal");
  private static final List<String> TOLERATION_EFFECTS = List.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");
  /** The API server stores a quantity as an int64 of its smallest unit. */
  private static final BigDecimal MAX_QUANTITY = BigDecimal.valueOf(Long.MAX_VALUE);

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
      errors.add(NAME_DNS + " (got " + KubernetesSyntax.quote(name) + ")");
    }
    checkImage(spec, errors);
    checkCounts(spec, errors);
    if (name != null && spec.getNodes() != null && spec.getNodes() >= 1
        && name.length() + 1 + String.valueOf(spec.getNodes() - 1).length() > MAX_HOSTNAME) {
      int limit = MAX_HOSTNAME - 1 - String.valueOf(spec.getNodes() - 1).length();
      errors.add(NAME_LENGTH + " (got " + name.length() + " characters; with spec.nodes " + spec.getNodes()
          + " the limit is " + limit + ")");
    }
    if (spec.getWorkingDir() != null && !spec.getWorkingDir().startsWith("/")) {
      errors.add("spec.workingDir must be an absolute path (start with /), got " + KubernetesSyntax.quote(spec.getWorkingDir()));
    }
    checkEnv(spec.getEnv(), errors);
    checkResources(spec, errors);
    checkGpu(spec, errors);
    checkNccl(spec.getNccl(), errors);
    checkNetwork(spec.getNetwork(), errors);
    checkRunPolicy(spec.getRunPolicy(), errors);
    checkScheduling(spec.getScheduling(), errors);
    checkPodTemplate(spec.getPodTemplate(), errors);
    checkVolumes(spec, errors);
    runningJob.ifPresent(job -> SpecFingerprint.changedFields(job, tj)
        .forEach(field -> errors.add(lockedMessage(field))));
    return errors;
  }

  private static final java.util.regex.Pattern DOTDOT = java.util.regex.Pattern.compile("(^|/)[.][.](/|$)");

  /** spec.volumes and spec.checkpoint: the CRD's rules, with the values, and CHECKPOINT_DIR reserved. */
  private static void checkVolumes(TrainingJobSpec spec, List<String> errors) {
    List<String> mountPaths = new ArrayList<>();
    if (spec.getVolumes() != null) {
      for (int i = 0; i < spec.getVolumes().size(); i++) {
        var v = spec.getVolumes().get(i);
        String field = "spec.volumes[" + i + "]";
        nasVolumeName(field, v.getNasVolume(), errors);
        if (v.getMountPath() == null) {
          errors.add(field + ".mountPath is required: an absolute path in the worker container");
        } else {
          if (!mountPathOk(v.getMountPath())) {
            errors.add(TrainingJobRules.MOUNT_PATH + " (got " + field + ".mountPath "
                + KubernetesSyntax.quote(v.getMountPath()) + ")");
          }
          mountPaths.add(v.getMountPath());
        }
        if (v.getSubPath() != null && !subPathOk(v.getSubPath())) {
          errors.add(TrainingJobRules.SUB_PATH + " (got " + field + ".subPath " + KubernetesSyntax.quote(v.getSubPath()) + ")");
        }
      }
    }
    var checkpoint = spec.getCheckpoint();
    if (checkpoint != null) {
      nasVolumeName("spec.checkpoint", checkpoint.getNasVolume(), errors);
      if (!mountPathOk(checkpoint.mountPathOrDefault())) {
        errors.add(TrainingJobRules.CHECKPOINT_MOUNT_PATH + " (got " + KubernetesSyntax.quote(checkpoint.getMountPath()) + ")");
      }
      if ("/dev/shm".equals(checkpoint.mountPathOrDefault())) {
        errors.add(TrainingJobRules.CHECKPOINT_NOT_SHM);
      }
    }
    if (spec.getScheduling() != null && spec.getScheduling().getPriorityClassName() != null && spec.getPodTemplate() != null
        && spec.getPodTemplate().getPriorityClassName() != null
        && !spec.getScheduling().getPriorityClassName().equals(spec.getPodTemplate().getPriorityClassName())) {
      errors.add(TrainingJobRules.PRIORITY_CLASSES_AGREE);
    }
    if (checkpoint != null) {
      if (checkpoint.getSubPath() != null && !subPathOk(checkpoint.getSubPath())) {
        errors.add(TrainingJobRules.CHECKPOINT_SUB_PATH + " (got " + KubernetesSyntax.quote(checkpoint.getSubPath()) + ")");
      }
      if (spec.getEnv() != null && spec.getEnv().stream().anyMatch(e -> "CHECKPOINT_DIR".equals(e.getName()))) {
        errors.add(TrainingJobRules.CHECKPOINT_ENV);
      }
    }
    List<String> clashes = mountPaths.stream()
        .filter(p -> p.equals("/dev/shm") || java.util.Collections.frequency(mountPaths, p) > 1
        || (checkpoint != null && p.equals(checkpoint.mountPathOrDefault()))).distinct().toList();
    if (!clashes.isEmpty()) {
      errors.add(TrainingJobRules.UNIQUE_MOUNT_PATHS + " (got " + String.join(", ", clashes) + ")");
    }
    validateRedis(spec, errors);
  }

  private static void validateRedis(TrainingJobSpec spec, List<String> errors) {
    if (spec.getRedis() == null) {
      return;
    }
    List<String> prefixes = spec.getRedis().stream().map(TrainingJobResources::redisPrefix).toList();
    List<String> twice = prefixes.stream().filter(p -> java.util.Collections.frequency(prefixes, p) > 1).distinct().toList();
    if (!twice.isEmpty()) {
      errors.add(TrainingJobRules.UNIQUE_REDIS_PREFIX + " (got " + String.join(", ", twice) + " twice)");
    }
    List<String> copies = spec.getRedis().stream().map(b -> TrainingJobResources.redisSecretName("", b)).toList();
    if (twice.isEmpty() && copies.stream().distinct().count() < copies.size()) {
      errors.add("spec.redis envPrefix values must name distinct Secrets: " + String.join(", ", prefixes)
          + " give the same name in lower case with '-' for '_'");
    }
    for (int i = 0; i < spec.getRedis().size(); i++) {
      var binding = spec.getRedis().get(i);
      String field = "spec.redis[" + i + "]";
      if (binding.getName() == null) {
        errors.add(field + ".name is required: the name of a RedisInstance");
      } else {
        KubernetesSyntax.dns1123Label(binding.getName()).ifPresent(p -> errors.add(field + ".name " + p + ", got "
            + KubernetesSyntax.quote(binding.getName())));
      }
      if (binding.getEnvPrefix() != null && !binding.getEnvPrefix().matches("[A-Z_][A-Z0-9_]*")) {
        errors.add(field + ".envPrefix must be upper-case letters, digits and '_' not starting with a digit, got "
            + KubernetesSyntax.quote(binding.getEnvPrefix()));
      }
      for (String env : TrainingJobResources.redisEnvNames(binding)) {
        if (spec.getEnv() != null && spec.getEnv().stream().anyMatch(e -> env.equals(e.getName()))) {
          errors.add("spec.env must not set " + env + ": " + field + " sets it");
        }
      }
    }
  }

  private static void nasVolumeName(String field, String name, List<String> errors) {
    if (name == null) {
      errors.add(field + ".nasVolume is required: the name of a NasVolume in the TrainingJob's namespace");
    } else {
      KubernetesSyntax.dns1123Label(name).ifPresent(p -> errors.add(field + ".nasVolume " + p + ", got "
          + KubernetesSyntax.quote(name)));
    }
  }

  private static boolean mountPathOk(String path) {
    return path.startsWith("/") && !path.equals("/") && !DOTDOT.matcher(path).find();
  }

  private static boolean subPathOk(String path) {
    return !path.startsWith("/") && !DOTDOT.matcher(path).find();
  }

  private static void checkImage(TrainingJobSpec spec, List<String> errors) {
    if (spec.getImage() == null || spec.getImage().isEmpty()) {
      errors.add("spec.image is required");
    } else if (!NO_SPACE.matcher(spec.getImage()).matches()) {
      errors.add("spec.image must not contain whitespace, got " + KubernetesSyntax.quote(spec.getImage()));
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
      EnvVar var = env.get(i);
      String field = "spec.env[" + i + "]";
      if (var == null) {
        errors.add(field + " must not be null");
        continue;
      }
      String name = var.getName();
      if (name == null || name.isEmpty()) {
        errors.add(field + ".name is required");
      } else {
        KubernetesSyntax.envName(name).ifPresent(why ->
            errors.add(field + ".name " + KubernetesSyntax.quote(name) + " " + why));
        if (RESERVED_ENV_NAMES.contains(name) || name.startsWith("PET_") || name.startsWith("NCCL_")) {
          errors.add(RESERVED_ENV + " (got " + field + ".name " + KubernetesSyntax.quote(name) + ")");
        }
      }
      checkEnvSource(var, field, errors);
    }
  }

  /** As the API server: value and valueFrom exclude each other, and valueFrom names exactly one source. */
  private static void checkEnvSource(EnvVar var, String field, List<String> errors) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return;
    }
    if (var.getValue() != null && !var.getValue().isEmpty()) {
      errors.add(field + " sets both value " + KubernetesSyntax.quote(var.getValue())
          + " and valueFrom; use one of them");
    }
    long sources = Stream.of(from.getFieldRef(), from.getResourceFieldRef(),
        from.getConfigMapKeyRef(), from.getSecretKeyRef()).filter(Objects::nonNull).count();
    if (sources != 1) {
      errors.add(field + ".valueFrom must set exactly one of fieldRef, resourceFieldRef, configMapKeyRef and"
          + " secretKeyRef, got " + sources);
    }
    if (from.getSecretKeyRef() != null
        && (from.getSecretKeyRef().getKey() == null || from.getSecretKeyRef().getKey().isEmpty())) {
      errors.add(field + ".valueFrom.secretKeyRef.key is required");
    }
    if (from.getConfigMapKeyRef() != null
        && (from.getConfigMapKeyRef().getKey() == null || from.getConfigMapKeyRef().getKey().isEmpty())) {
      errors.add(field + ".valueFrom.configMapKeyRef.key is required");
    }
    if (from.getFieldRef() != null
        && (from.getFieldRef().getFieldPath() == null || from.getFieldRef().getFieldPath().isEmpty())) {
      errors.add(field + ".valueFrom.fieldRef.fieldPath is required");
    }
  }

  /**
   * What is legal but almost certainly a mistake: reported as a Warning, the job still runs.
   * Kubernetes keeps the last of duplicate variables, so the earlier ones are silently lost.
   */
  public static List<String> warnings(TrainingJob tj) {
    List<String> warnings = new ArrayList<>();
    List<EnvVar> env = tj.getSpec() == null ? null : tj.getSpec().getEnv();
    if (env == null) {
      return warnings;
    }
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < env.size(); i++) {
      String name = env.get(i) == null ? null : env.get(i).getName();
      if (name == null) {
        continue;
      }
      Integer earlier = first.putIfAbsent(name, i);
      if (earlier != null) {
        warnings.add("spec.env[" + i + "].name " + KubernetesSyntax.quote(name) + " repeats spec.env[" + earlier
            + "]; the worker sees only the last value");
      }
    }
    return warnings;
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
      errors.add(NO_GPU_IN_RESOURCES + " (got " + gpuResource + " in spec.resources."
          + (limits != null && limits.containsKey(gpuResource) ? "limits" : "requests") + ")");
    }
    boolean quantities = checkQuantities("limits", limits, errors) & checkQuantities("requests", requests, errors);
    if (quantities && limits != null && requests != null) {
      // As the API server checks a container: a request above its limit can never be granted.
      for (Map.Entry<String, Quantity> request : requests.entrySet()) {
        Quantity limit = limits.get(request.getKey());
        if (limit != null && Quantities.amount(request.getValue()).get().compareTo(Quantities.amount(limit).get()) > 0) {
          errors.add("spec.resources.requests[" + request.getKey() + "] (" + request.getValue()
              + ") must be less than or equal to spec.resources.limits[" + request.getKey() + "] (" + limit + ")");
        }
      }
    }
    if (quantities) {
      checkExtendedResources(limits == null ? Map.of() : limits, requests == null ? Map.of() : requests, gpuResource,
          errors);
    }
    Quantity memoryLimit = limits == null || !quantities ? null : limits.get("memory");
    checkShm(spec, memoryLimit, errors);
  }

  /**
   * The API server's rules for extended resources (example.com/fpga, a MIG profile) and huge pages,
   * which cannot be overcommitted: whole numbers, a limit whenever there is a request, and a request
   * equal to the limit; huge pages only next to cpu or memory.
   */
  private static void checkExtendedResources(Map<String, Quantity> limits, Map<String, Quantity> requests,
      String gpuResource, List<String> errors) {
    Set<String> names = new TreeSet<>(limits.keySet());
    names.addAll(requests.keySet());
    for (String name : names) {
      if (STANDARD_RESOURCES.contains(name) || name.startsWith("hugepages-") || name.equals(gpuResource)) {
        continue; // the GPU resource has its own message: the operator adds it
      }
      Quantity limit = limits.get(name);
      Quantity request = requests.get(name);
      wholeNumber("limits", name, limit, errors);
      wholeNumber("requests", name, request, errors);
      if (request != null && limit == null) {
        errors.add("spec.resources.limits[" + name + "] is required when spec.resources.requests[" + name + "] ("
            + request + ") is set: extended resources cannot be overcommitted");
      } else if (request != null && Quantities.amount(request).get().compareTo(Quantities.amount(limit).get()) != 0) {
        errors.add("spec.resources.requests[" + name + "] (" + request + ") must equal spec.resources.limits[" + name
            + "] (" + limit + "): extended resources cannot be overcommitted");
      }
    }
    boolean hugePages = names.stream().anyMatch(n -> n.startsWith("hugepages-"));
    if (hugePages && !names.contains("cpu") && !names.contains("memory")) {
      errors.add("spec.resources: huge pages (" + String.join(", ", names.stream().filter(n -> n.startsWith("hugepages-"))
          .toList()) + ") need a cpu or memory request or limit next to them");
    }
  }

  private static void wholeNumber(String which, String name, Quantity q, List<String> errors) {
    if (q != null && Quantities.amount(q).get().stripTrailingZeros().scale() > 0) {
      errors.add("spec.resources." + which + "[" + name + "] (" + q + ") must be a whole number: extended resources"
          + " cannot be split");
    }
  }

  /** A container's resource: a standard one, or an extended resource qualified by a domain (nvidia.com/gpu). */
  private static Optional<String> resourceNameProblem(String name) {
    if (STANDARD_RESOURCES.contains(name) || name.startsWith("hugepages-")) {
      return Optional.empty();
    }
    if (!name.contains("/")) {
      return Optional.of("is neither a standard resource (cpu, memory, ephemeral-storage, hugepages-<size>) nor"
          + " a domain-qualified extended resource such as nvidia.com/gpu");
    }
    return KubernetesSyntax.qualifiedName(name);
  }

  /** Names and amounts of one map of spec.resources; false when any amount is not a quantity. */
  private static boolean checkQuantities(String which, Map<String, Quantity> quantities, List<String> errors) {
    if (quantities == null) {
      return true;
    }
    boolean valid = true;
    for (Map.Entry<String, Quantity> entry : quantities.entrySet()) {
      String field = "spec.resources." + which + "[" + entry.getKey() + "]";
      resourceNameProblem(entry.getKey()).ifPresent(why ->
          errors.add("spec.resources." + which + ": resource name " + KubernetesSyntax.quote(entry.getKey()) + " " + why));
      String text = entry.getValue() == null ? null : entry.getValue().toString();
      if (!Quantities.isValid(text)) {
        errors.add(RESOURCE_QUANTITIES + " (got " + field + " " + KubernetesSyntax.quote(text) + ")");
        valid = false;
      } else if (Quantities.amount(text).get().compareTo(MAX_QUANTITY) > 0) {
        errors.add(field + " " + KubernetesSyntax.quote(text) + " is out of range: a quantity must be at most 2^63-1");
        valid = false;
      }
    }
    return valid;
  }

  private static void checkShm(TrainingJobSpec spec, Quantity memoryLimit, List<String> errors) {
    String shm = Quantities.text(spec.getShmSize());
    if (shm == null) {
      return;
    }
    Optional<BigDecimal> shmBytes = Quantities.amount(shm);
    if (shmBytes.isEmpty()) {
      errors.add(SHM_QUANTITY + " (got " + KubernetesSyntax.quote(shm) + ")");
      return;
    }
    Optional<BigDecimal> limitBytes = Quantities.amount(memoryLimit);
    if (limitBytes.isPresent() && shmBytes.get().compareTo(limitBytes.get()) > 0) {
      errors.add("spec.shmSize (" + shm + ") must not exceed the memory limit in spec.resources.limits.memory ("
          + memoryLimit + "): /dev/shm is memory-backed and counts against it");
    }
  }

  private static void checkGpu(TrainingJobSpec spec, List<String> errors) {
    GpuSpec gpu = spec.getGpu();
    if (gpu == null) {
      return;
    }
    if (gpu.getProduct() != null && !LABEL_VALUE.matcher(gpu.getProduct()).matches()) {
      errors.add("spec.gpu.product must be a node label value such as NVIDIA-A100-SXM4-80GB, got "
          + KubernetesSyntax.quote(gpu.getProduct()));
    }
    if (gpu.getPreferredProducts() != null) {
      for (int i = 0; i < gpu.getPreferredProducts().size(); i++) {
        String product = gpu.getPreferredProducts().get(i);
        if (product == null || !LABEL_VALUE.matcher(product).matches()) {
          errors.add("spec.gpu.preferredProducts[" + i + "] must be a node label value such as NVIDIA-A100-SXM4-80GB,"
              + " got " + KubernetesSyntax.quote(product));
        }
      }
    }
    if (gpu.getResourceName() != null && !RESOURCE_NAME.matcher(gpu.getResourceName()).matches()) {
      errors.add("spec.gpu.resourceName must be an extended resource name such as nvidia.com/gpu, got "
          + KubernetesSyntax.quote(gpu.getResourceName()));
    }
    if (Integer.valueOf(0).equals(spec.getGpusPerNode()) && gpu.getProduct() != null && !gpu.getProduct().isEmpty()) {
      errors.add(GPU_PRODUCT_WITHOUT_GPUS + " (got spec.gpu.product " + KubernetesSyntax.quote(gpu.getProduct()) + ")");
    }
  }

  private static final java.util.regex.Pattern SOCKET_IFNAME =
      java.util.regex.Pattern.compile(dev.mlops.operator.api.v1alpha1.TrainingJobRules.SOCKET_IFNAME_PATTERN);

  private static void checkNccl(NcclSpec nccl, List<String> errors) {
    if (nccl == null) {
      return;
    }
    if (nccl.getDebug() != null && !NCCL_DEBUG.matcher(nccl.getDebug()).matches()) {
      errors.add("spec.nccl.debug must be one of VERSION, WARN, INFO, TRACE, got " + KubernetesSyntax.quote(nccl.getDebug()));
    }
    if (nccl.getSocketIfname() != null && !SOCKET_IFNAME.matcher(nccl.getSocketIfname()).matches()) {
      errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.SOCKET_IFNAME + ", got "
          + KubernetesSyntax.quote(nccl.getSocketIfname()));
    }
    if (nccl.getNetGdrLevel() != null && !GDR_LEVEL.matcher(nccl.getNetGdrLevel()).matches()) {
      errors.add("spec.nccl.netGdrLevel must be one of LOC, PIX, PXB, PHB, SYS, NVL or a number, got "
          + KubernetesSyntax.quote(nccl.getNetGdrLevel()));
    }
    if (nccl.getEnv() != null) {
      for (String key : nccl.getEnv().keySet()) {
        if (!key.startsWith("NCCL_")) {
          errors.add(NCCL_ENV_PREFIX + " (got " + KubernetesSyntax.quote(key) + ")");
        } else {
          KubernetesSyntax.envName(key).ifPresent(why ->
              errors.add("spec.nccl.env[" + key + "]: " + KubernetesSyntax.quote(key) + " is not a valid variable name: " + why));
        }
        if (nccl.getEnv().get(key) == null) {
          errors.add("spec.nccl.env[" + key + "] must have a value (a string)");
        }
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
    if (multus != null) {
      multus.stream().filter(n -> n == null || !MULTUS.matcher(n).matches()).findFirst()
          .ifPresent(n -> errors.add(MULTUS_NAME + " (got " + KubernetesSyntax.quote(n) + ")"));
    }
    if (network.getRdma() != null) {
      String resource = network.getRdma().getResourceName();
      if (resource == null || !RESOURCE_NAME.matcher(resource).matches()) {
        errors.add("spec.network.rdma.resourceName is required and must be an extended resource name such as rdma/hca,"
            + " got " + KubernetesSyntax.quote(resource));
      }
      Integer count = network.getRdma().getCount();
      if (count != null && (count < 1 || count > 16)) {
        errors.add("spec.network.rdma.count must be between 1 and 16 (got " + count + ")");
      }
    }
  }

  private static void checkScheduling(dev.mlops.operator.api.v1alpha1.SchedulingSpec scheduling, List<String> errors) {
    if (scheduling == null) {
      return;
    }
    Integer timeout = scheduling.getStartupTimeoutSeconds();
    if (timeout != null && (timeout < 1 || timeout > 86400)) {
      errors.add("spec.scheduling.startupTimeoutSeconds must be between 1 and 86400 (got " + timeout + ")");
    }
    String on = scheduling.getOnStartupTimeout();
    if (on != null && !java.util.List.of(dev.mlops.operator.api.v1alpha1.SchedulingSpec.REQUEUE,
        dev.mlops.operator.api.v1alpha1.SchedulingSpec.FAIL).contains(on)) {
      errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.ON_STARTUP_TIMEOUT + ", got "
          + dev.mlops.operator.common.KubernetesSyntax.quote(on));
    }
    String queue = scheduling.getQueue();
    if (queue != null && (queue.length() > 63 || !dev.mlops.operator.common.KubernetesSyntax.dns1123Label(queue).isEmpty())) {
      errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.QUEUE_NAME + ", got "
          + dev.mlops.operator.common.KubernetesSyntax.quote(queue));
    }
    var topology = scheduling.getTopology();
    if (topology != null) {
      if (queue == null) {
        errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.TOPOLOGY_NEEDS_QUEUE);
      }
      if ((topology.getRequired() == null) == (topology.getPreferred() == null)) {
        errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.TOPOLOGY_ONE);
      }
      for (String key : java.util.Arrays.asList(topology.getRequired(), topology.getPreferred())) {
        if (key != null && dev.mlops.operator.common.KubernetesSyntax.qualifiedName(key).isPresent()) {
          errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.TOPOLOGY_LABEL + ", got "
              + dev.mlops.operator.common.KubernetesSyntax.quote(key));
        }
      }
    }
    String priority = scheduling.getPriorityClassName();
    if (priority != null && (priority.length() > 253 || !PRIORITY_CLASS.matcher(priority).matches())) {
      errors.add(dev.mlops.operator.api.v1alpha1.TrainingJobRules.PRIORITY_CLASS_NAME + ", got "
          + dev.mlops.operator.common.KubernetesSyntax.quote(priority));
    }
  }

  private static final java.util.regex.Pattern PRIORITY_CLASS =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** The PriorityClass that orders the job and is set on its pods: spec.scheduling's, else the podTemplate's. */
  public static String priorityClassName(TrainingJobSpec spec) {
    if (spec.getScheduling() != null && spec.getScheduling().getPriorityClassName() != null) {
      return spec.getScheduling().getPriorityClassName();
    }
    return spec.getPodTemplate() == null ? null : spec.getPodTemplate().getPriorityClassName();
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
    if (template == null) {
      return;
    }
    if (template.getLabels() != null) {
      template.getLabels().keySet().stream().filter(RESERVED_POD_LABELS::contains).findFirst()
          .ifPresent(key -> errors.add(POD_LABELS + " (got " + KubernetesSyntax.quote(key) + ")"));
      checkLabels("spec.podTemplate.labels", template.getLabels(), true, errors);
    }
    checkLabels("spec.podTemplate.annotations", template.getAnnotations(), false, errors);
    checkLabels("spec.podTemplate.nodeSelector", template.getNodeSelector(), true, errors);
    AffinityRules.check(template.getAffinity(), errors);
    List<Toleration> tolerations = template.getTolerations();
    for (int i = 0; tolerations != null && i < tolerations.size(); i++) {
      checkToleration(tolerations.get(i), "spec.podTemplate.tolerations[" + i + "]", errors);
    }
    for (String name : new String[] {template.getServiceAccountName(), template.getPriorityClassName()}) {
      if (name != null) {
        KubernetesSyntax.dns1123Subdomain(name).ifPresent(why -> errors.add((name.equals(template.getServiceAccountName())
            ? "spec.podTemplate.serviceAccountName " : "spec.podTemplate.priorityClassName ")
            + KubernetesSyntax.quote(name) + " " + why));
      }
    }
  }

  /** Label (or annotation) keys and, for labels and node selectors, values, as the API server checks them. */
  private static void checkLabels(String field, Map<String, String> labels, boolean values, List<String> errors) {
    if (labels == null) {
      return;
    }
    labels.forEach((key, value) -> {
      KubernetesSyntax.qualifiedName(key).ifPresent(why ->
          errors.add(field + ": key " + KubernetesSyntax.quote(key) + " " + why));
      if (value == null) {
        errors.add(field + "[" + key + "] must have a value (a string)");
      } else if (values) {
        KubernetesSyntax.labelValue(value).ifPresent(why ->
            errors.add(field + "[" + key + "]: value " + KubernetesSyntax.quote(value) + " " + why));
      }
    });
  }

  /** The API server's toleration rules (validateTolerations in pkg/apis/core/validation). */
  private static void checkToleration(Toleration t, String field, List<String> errors) {
    if (t == null) {
      errors.add(field + " must not be null");
      return;
    }
    String key = t.getKey() == null ? "" : t.getKey();
    String operator = t.getOperator() == null ? "" : t.getOperator();
    String value = t.getValue() == null ? "" : t.getValue();
    String effect = t.getEffect() == null ? "" : t.getEffect();
    if (!key.isEmpty()) {
      KubernetesSyntax.qualifiedName(key).ifPresent(why -> errors.add(field + ".key " + KubernetesSyntax.quote(key) + " " + why));
    }
    if (!TOLERATION_OPERATORS.contains(operator)) {
      errors.add(field + ".operator " + KubernetesSyntax.quote(operator) + " is not supported: use Exists or Equal");
    } else if (key.isEmpty() && !"Exists".equals(operator)) {
      errors.add(field + ": an empty key needs operator Exists (it matches every taint), got operator "
          + KubernetesSyntax.quote(operator.isEmpty() ? "Equal" : operator));
    } else if ("Exists".equals(operator) && !value.isEmpty()) {
      errors.add(field + ".value must be empty with operator Exists, got " + KubernetesSyntax.quote(value));
    } else if (!"Exists".equals(operator)) {
      KubernetesSyntax.labelValue(value).ifPresent(why ->
          errors.add(field + ".value " + KubernetesSyntax.quote(value) + " " + why));
    }
    if (!TOLERATION_EFFECTS.contains(effect)) {
      errors.add(field + ".effect " + KubernetesSyntax.quote(effect)
          + " is not supported: use NoSchedule, PreferNoSchedule or NoExecute (or leave it empty for all)");
    }
    if (t.getTolerationSeconds() != null && !"NoExecute".equals(effect)) {
      errors.add(field + ".tolerationSeconds applies only to effect NoExecute, got effect " + KubernetesSyntax.quote(effect));
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
      case "volumes" -> IMMUTABLE_VOLUMES;
      case "checkpoint" -> IMMUTABLE_CHECKPOINT;
      case "redis" -> IMMUTABLE_REDIS;
      default -> "spec." + field + " is immutable once the job has started";
    };
  }
}
