package dev.mlops.operator.api.v1alpha1;

import java.util.List;

/**
 * The validation rules of the TrainingJob API: CEL expressions for the CRD
 * ({@code x-kubernetes-validations}) and the messages shared with the reconciler's validator, so a
 * user reads the same sentence whether {@code kubectl apply} or the operator rejected the spec.
 */
public final class TrainingJobRules {

  private TrainingJobRules() {}

  /** Variables the operator sets in every worker; a user may not set them in spec.env. */
  public static final List<String> RESERVED_ENV_NAMES = List.of(
      "PET_NNODES", "PET_NPROC_PER_NODE", "PET_NODE_RANK", "PET_MASTER_ADDR", "PET_MASTER_PORT",
      "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "NODE_RANK", "NPROC_PER_NODE", "MLOPS_ATTEMPT");

  /** NCCL variables that have a typed field in spec.nccl. */
  public static final List<String> TYPED_NCCL_ENV_NAMES = List.of(
      "NCCL_SOCKET_IFNAME", "NCCL_IB_HCA", "NCCL_IB_DISABLE", "NCCL_DEBUG", "NCCL_NET_GDR_LEVEL");

  /** A Kubernetes quantity (no backslashes, so it reads the same in Java, CEL and YAML). */
  public static final String QUANTITY_REGEX =
      "^[+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+|[KMGTPE]i|[mkMGTPE])?$";

  public static final int MAX_HOSTNAME = 63;

  // ---- metadata ---------------------------------------------------------------------------
  public static final String NAME_DNS_RULE = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')";
  public static final String NAME_DNS =
      "metadata.name must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter):"
          + " it names the headless Service and the worker hostnames";

  public static final String NAME_LENGTH_RULE =
      "size(self.metadata.name) + 1 + size(string(self.spec.nodes - 1)) <= 63";
  public static final String NAME_LENGTH =
      "metadata.name is too long: worker hostnames are '<metadata.name>-<index>' and must be at most 63"
          + " characters, so with spec.nodes workers the name may have at most 63 - 1 - (digits of"
          + " spec.nodes - 1) characters";

  // ---- immutability once status.startTime is set --------------------------------------------
  private static final String STARTED = "!has(oldSelf.status) || !has(oldSelf.status.startTime) || ";
  private static final String LOCKED = " is immutable once the job has started (status.startTime is set);"
      + " delete and recreate the TrainingJob to change it";

  public static final String IMMUTABLE_IMAGE_RULE = STARTED + "self.spec.image == oldSelf.spec.image";
  public static final String IMMUTABLE_IMAGE = "spec.image" + LOCKED;
  public static final String IMMUTABLE_NODES_RULE = STARTED + "self.spec.nodes == oldSelf.spec.nodes";
  public static final String IMMUTABLE_NODES = "spec.nodes" + LOCKED;
  public static final String IMMUTABLE_GPUS_RULE = STARTED + "self.spec.gpusPerNode == oldSelf.spec.gpusPerNode";
  public static final String IMMUTABLE_GPUS = "spec.gpusPerNode" + LOCKED;
  public static final String IMMUTABLE_COMMAND_RULE = STARTED + "(has(self.spec.command) == has(oldSelf.spec.command)"
      + " && (!has(self.spec.command) || self.spec.command == oldSelf.spec.command))";
  public static final String IMMUTABLE_COMMAND = "spec.command" + LOCKED;
  public static final String IMMUTABLE_ARGS_RULE = STARTED + "(has(self.spec.args) == has(oldSelf.spec.args)"
      + " && (!has(self.spec.args) || self.spec.args == oldSelf.spec.args))";
  public static final String IMMUTABLE_ARGS = "spec.args" + LOCKED;
  public static final String IMMUTABLE_WORKINGDIR_RULE = STARTED + "(has(self.spec.workingDir) == has(oldSelf.spec.workingDir)"
      + " && (!has(self.spec.workingDir) || self.spec.workingDir == oldSelf.spec.workingDir))";
  public static final String IMMUTABLE_WORKINGDIR = "spec.workingDir" + LOCKED;
  public static final String IMMUTABLE_GPU_RULE = STARTED + "(has(self.spec.gpu) == has(oldSelf.spec.gpu)"
      + " && (!has(self.spec.gpu) || self.spec.gpu == oldSelf.spec.gpu))";
  public static final String IMMUTABLE_GPU = "spec.gpu" + LOCKED;
  public static final String IMMUTABLE_RESOURCES_RULE = STARTED + "(has(self.spec.resources) == has(oldSelf.spec.resources)"
      + " && (!has(self.spec.resources) || self.spec.resources == oldSelf.spec.resources))";
  public static final String IMMUTABLE_RESOURCES = "spec.resources" + LOCKED;
  public static final String IMMUTABLE_SHM_RULE = STARTED + "(has(self.spec.shmSize) == has(oldSelf.spec.shmSize)"
      + " && (!has(self.spec.shmSize) || self.spec.shmSize == oldSelf.spec.shmSize))";
  public static final String IMMUTABLE_SHM = "spec.shmSize" + LOCKED;
  public static final String IMMUTABLE_NCCL_RULE = STARTED + "(has(self.spec.nccl) == has(oldSelf.spec.nccl)"
      + " && (!has(self.spec.nccl) || self.spec.nccl == oldSelf.spec.nccl))";
  public static final String IMMUTABLE_NCCL = "spec.nccl" + LOCKED;
  public static final String IMMUTABLE_NETWORK_RULE = STARTED + "(has(self.spec.network) == has(oldSelf.spec.network)"
      + " && (!has(self.spec.network) || self.spec.network == oldSelf.spec.network))";
  public static final String IMMUTABLE_NETWORK = "spec.network" + LOCKED;

  public static final String IMMUTABLE_VOLUMES_RULE = STARTED + "(has(self.spec.volumes) == has(oldSelf.spec.volumes)"
      + " && (!has(self.spec.volumes) || self.spec.volumes == oldSelf.spec.volumes))";
  public static final String IMMUTABLE_VOLUMES = "spec.volumes" + LOCKED;
  public static final String UNIQUE_REDIS_PREFIX_RULE =
      "self.all(a, self.exists_one(b, (has(b.envPrefix) ? b.envPrefix : 'REDIS') == (has(a.envPrefix) ? a.envPrefix : 'REDIS')))";
  public static final String UNIQUE_REDIS_PREFIX = "spec.redis envPrefix values must be unique (REDIS when not given)";
  public static final String IMMUTABLE_REDIS_RULE = STARTED + "(has(self.spec.redis) == has(oldSelf.spec.redis)"
      + " && (!has(self.spec.redis) || self.spec.redis == oldSelf.spec.redis))";
  public static final String IMMUTABLE_REDIS = "spec.redis" + LOCKED;
  public static final String IMMUTABLE_CHECKPOINT_RULE = STARTED + "(has(self.spec.checkpoint) == has(oldSelf.spec.checkpoint)"
      + " && (!has(self.spec.checkpoint) || self.spec.checkpoint == oldSelf.spec.checkpoint))";
  public static final String IMMUTABLE_CHECKPOINT = "spec.checkpoint" + LOCKED;

  // ---- volumes ----------------------------------------------------------------------------
  public static final String DNS_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  public static final String MOUNT_PATH_RULE = "self.startsWith('/') && self != '/' && !self.matches('(^|/)[.][.](/|$)')";
  public static final String MOUNT_PATH = "spec.volumes[].mountPath must be an absolute path other than '/', without '..'";
  /** MOUNT_PATH_RULE's conjuncts in another order: each CRD rule text has one message. */
  public static final String CHECKPOINT_MOUNT_PATH_RULE =
      "self != '/' && self.startsWith('/') && !self.matches('(^|/)[.][.](/|$)')";
  public static final String CHECKPOINT_MOUNT_PATH =
      "spec.checkpoint.mountPath must be an absolute path other than '/', without '..'";
  public static final String SUB_PATH_RULE = "!self.startsWith('/') && !self.matches('(^|/)[.][.](/|$)')";
  public static final String SUB_PATH = "spec.volumes[].subPath must be a relative path without '..'";
  public static final String CHECKPOINT_SUB_PATH_RULE = "!self.matches('(^|/)[.][.](/|$)') && !self.startsWith('/')";
  public static final String CHECKPOINT_SUB_PATH = "spec.checkpoint.subPath must be a relative path without '..'";
  private static final String CHECKPOINT_PATH =
      "(has(self.checkpoint.mountPath) ? self.checkpoint.mountPath : '/checkpoints')";
  public static final String UNIQUE_MOUNT_PATHS_RULE = "!has(self.volumes) || self.volumes.all(v, v.mountPath != '/dev/shm'"
      + " && self.volumes.exists_one(w, w.mountPath == v.mountPath)"
      + " && (!has(self.checkpoint) || v.mountPath != " + CHECKPOINT_PATH + "))";
  public static final String UNIQUE_MOUNT_PATHS = "spec.volumes: each mountPath must be used once, and be neither"
      + " /dev/shm nor the checkpoint's mountPath";
  public static final String CHECKPOINT_NOT_SHM_RULE = "!has(self.checkpoint) || " + CHECKPOINT_PATH + " != '/dev/shm'";
  public static final String CHECKPOINT_NOT_SHM = "spec.checkpoint.mountPath must not be /dev/shm";
  /** Reconciler-only, like RESERVED_ENV (cost). */
  public static final String CHECKPOINT_ENV =
      "spec.env must not set CHECKPOINT_DIR when spec.checkpoint is set: the operator sets it to the checkpoint's mountPath";

  // ---- spec -------------------------------------------------------------------------------
  // Checked by the operator only (Valid=False): a CEL rule would iterate over core/v1 lists and
  // maps whose strings have no maxLength, and the API server refuses to install a CRD whose rules'
  // estimated cost exceeds its budget. The same goes for RESOURCE_QUANTITIES, MULTUS_NAME and
  // NCCL_ENV_PREFIX below.
  public static final String RESERVED_ENV =
      "spec.env must not set PET_*, NCCL_*, MASTER_ADDR, MASTER_PORT, WORLD_SIZE, NODE_RANK, NPROC_PER_NODE"
          + " or MLOPS_ATTEMPT: the operator sets them in every worker (NCCL settings go in spec.nccl)";

  private static final String GPU_RESOURCE_NAME =
      "(has(self.gpu) && has(self.gpu.resourceName) ? self.gpu.resourceName : 'nvidia.com/gpu')";
  public static final String NO_GPU_IN_RESOURCES_RULE = "!has(self.resources)"
      + " || ((!has(self.resources.limits) || !(" + GPU_RESOURCE_NAME + " in self.resources.limits))"
      + " && (!has(self.resources.requests) || !(" + GPU_RESOURCE_NAME + " in self.resources.requests)))";
  public static final String NO_GPU_IN_RESOURCES =
      "spec.resources must not request GPUs: the operator adds spec.gpusPerNode GPUs of spec.gpu.resourceName";

  public static final String RESOURCE_QUANTITIES =
      "spec.resources: every request and limit must be a Kubernetes quantity such as 500m, 32 or 256Gi";

  // One regex over one string: within the API server's cost budget even without a maxLength.
  public static final String SHM_QUANTITY_RULE = "string(self).matches('" + QUANTITY_REGEX + "')";
  public static final String SHM_QUANTITY = "spec.shmSize must be a Kubernetes quantity such as 64Gi";

  public static final String GPU_PRODUCT_WITHOUT_GPUS =
      "spec.gpu.product needs spec.gpusPerNode of at least 1: a CPU-only worker (gpusPerNode 0) gets neither a GPU"
          + " nor the nvidia.com/gpu toleration, so pinned to GPU nodes it could never be scheduled";
  public static final String GPU_PRODUCT_WITHOUT_GPUS_RULE =
      "!has(self.gpu) || !has(self.gpu.product) || size(self.gpu.product) == 0 || self.gpusPerNode >= 1";

  public static final String NCCL_ENV_PREFIX = "spec.nccl.env keys must start with NCCL_";
  // Key lookups, not iteration: constant cost whatever the map holds.
  public static final String NCCL_ENV_TYPED_RULE = "!('NCCL_SOCKET_IFNAME' in self) && !('NCCL_IB_HCA' in self)"
      + " && !('NCCL_IB_DISABLE' in self) && !('NCCL_DEBUG' in self) && !('NCCL_NET_GDR_LEVEL' in self)";
  /**
   * NCCL_SOCKET_IFNAME as NCCL reads it: an optional ^ (exclude) then = (exact match), then a comma-separated list
   * of Linux interface names or prefixes (at most 15 characters, IFNAMSIZ - 1; no space, slash or line break).
   */
  public static final String SOCKET_IFNAME_PATTERN = "^\\^?=?[A-Za-z0-9_.:@-]{1,15}(,[A-Za-z0-9_.:@-]{1,15})*$";
  /** A rule rather than a pattern, so that kubectl's line says what is allowed instead of quoting the regex. */
  public static final String SOCKET_IFNAME_RULE = "self.matches('^\\\\^?=?[A-Za-z0-9_.:@-]{1,15}(,[A-Za-z0-9_.:@-]{1,15})*$')";
  public static final String SOCKET_IFNAME = "spec.nccl.socketIfname must be interface names or prefixes (1-15"
      + " characters, no spaces), comma-separated, optionally led by ^ and/or =, e.g. eth0 or ^docker,lo";

  /** A PriorityClass name is a DNS subdomain (kubectl says so when it refuses one). */
  public static final String PRIORITY_CLASS_NAME_RULE = "size(self) <= 253"
      + " && self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')";
  public static final String PRIORITY_CLASS_NAME = "spec.scheduling.priorityClassName must be a PriorityClass name:"
      + " lowercase letters, digits, '-' and '.', at most 253 characters";
  public static final String PRIORITY_CLASSES_AGREE_RULE = "!has(self.scheduling) || !has(self.scheduling.priorityClassName)"
      + " || !has(self.podTemplate) || !has(self.podTemplate.priorityClassName)"
      + " || self.scheduling.priorityClassName == self.podTemplate.priorityClassName";
  public static final String PRIORITY_CLASSES_AGREE = "spec.scheduling.priorityClassName and"
      + " spec.podTemplate.priorityClassName name different PriorityClasses: set spec.scheduling.priorityClassName only";

  public static final String QUEUE_NAME_RULE = "size(self) <= 63 && self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')";
  public static final String QUEUE_NAME = "spec.scheduling.queue must be a Kueue LocalQueue name: lowercase letters,"
      + " digits and '-', at most 63 characters";
  public static final String TOPOLOGY_NEEDS_QUEUE_RULE = "!has(self.topology) || has(self.queue)";
  public static final String TOPOLOGY_NEEDS_QUEUE = "spec.scheduling.topology needs spec.scheduling.queue: topology-aware"
      + " placement is Kueue's";
  public static final String TOPOLOGY_ONE_RULE = "has(self.required) != has(self.preferred)";
  public static final String TOPOLOGY_ONE = "spec.scheduling.topology needs exactly one of required and preferred";
  /** A node label key: an optional DNS-subdomain prefix and a name (as kubectl checks a label key). */
  private static final String LABEL_KEY =
      "'^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'";
  public static final String TOPOLOGY_LABEL_RULE = "(!has(self.required) || (size(self.required) <= 316"
      + " && self.required.matches(" + LABEL_KEY + "))) && (!has(self.preferred) || (size(self.preferred) <= 316"
      + " && self.preferred.matches(" + LABEL_KEY + ")))";
  public static final String TOPOLOGY_LABEL = "spec.scheduling.topology.required and .preferred must be node label keys,"
      + " e.g. cloud.provider.com/topology-rack";

  public static final String ON_STARTUP_TIMEOUT_RULE = "self in ['Requeue', 'Fail']";
  public static final String ON_STARTUP_TIMEOUT = "spec.scheduling.onStartupTimeout must be Requeue or Fail";

  public static final String NCCL_ENV_TYPED =
      "spec.nccl.env must not set NCCL_SOCKET_IFNAME, NCCL_IB_HCA, NCCL_IB_DISABLE, NCCL_DEBUG or"
          + " NCCL_NET_GDR_LEVEL: use spec.nccl.socketIfname, ibHca, ibDisable, debug and netGdrLevel";

  public static final String HOSTNETWORK_MULTUS_RULE = "!(has(self.hostNetwork) && self.hostNetwork)"
      + " || !has(self.multusNetworks) || size(self.multusNetworks) == 0";
  public static final String HOSTNETWORK_MULTUS =
      "spec.network.multusNetworks cannot be combined with spec.network.hostNetwork: true";

  public static final String MULTUS_NAME =
      "spec.network.multusNetworks entries must be NetworkAttachmentDefinition names, 'name' or 'namespace/name'";

  public static final String EXIT_CODES_RULE = "self.all(c, c >= 1 && c <= 255)";
  public static final String EXIT_CODES =
      "spec.runPolicy.nonRetryableExitCodes must be exit codes between 1 and 255 (0 means success)";

  /** Labels a user may not put on workers: Argo CD's tracking label and the operator's own. */
  public static final List<String> RESERVED_POD_LABELS = List.of(
      "app.kubernetes.io/instance", "mlops.dev/trainingjob", "mlops.dev/attempt", "mlops.dev/gpu-product");
  public static final String POD_LABELS_RULE = "!('app.kubernetes.io/instance' in self)"
      + " && !('mlops.dev/trainingjob' in self) && !('mlops.dev/attempt' in self) && !('mlops.dev/gpu-product' in self)";
  public static final String POD_LABELS =
      "spec.podTemplate.labels must not set app.kubernetes.io/instance (Argo CD would prune the workers)"
          + " or the operator's labels mlops.dev/trainingjob, mlops.dev/attempt, mlops.dev/gpu-product";
}
