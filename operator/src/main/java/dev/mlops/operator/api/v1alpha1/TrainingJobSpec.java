package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = TrainingJobRules.NO_GPU_IN_RESOURCES_RULE, message = TrainingJobRules.NO_GPU_IN_RESOURCES)
@ValidationRule(value = TrainingJobRules.GPU_PRODUCT_WITHOUT_GPUS_RULE, message = TrainingJobRules.GPU_PRODUCT_WITHOUT_GPUS)
@ValidationRule(value = TrainingJobRules.UNIQUE_MOUNT_PATHS_RULE, message = TrainingJobRules.UNIQUE_MOUNT_PATHS)
@ValidationRule(value = TrainingJobRules.CHECKPOINT_NOT_SHM_RULE, message = TrainingJobRules.CHECKPOINT_NOT_SHM)
@ValidationRule(value = TrainingJobRules.PRIORITY_CLASSES_AGREE_RULE, message = TrainingJobRules.PRIORITY_CLASSES_AGREE)
@JsonClassDescription("The desired training run: the container image and command every worker runs, how many nodes and "
    + "GPUs per node, which GPU product, NCCL and network settings, volumes, Redis bindings and the "
    + "run policy (restarts, deadline, TTL, suspend). docs/trainingjob.md lists every field.")
public class TrainingJobSpec {

  @Required
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription("Container image of every worker, e.g. nvcr.io/nvidia/pytorch:24.05-py3.")
  private String image;

  @Size(max = 256)
  @JsonPropertyDescription("Entrypoint of the worker container, e.g. [torchrun, train.py]. Defaults to the image's.")
  private List<String> command;

  @Size(max = 1024)
  @JsonPropertyDescription("Arguments of the worker container.")
  private List<String> args;

  @Pattern("^/.*$")
  @JsonPropertyDescription("Absolute working directory of the worker container.")
  private String workingDir;

  @Size(max = 256)
  @JsonPropertyDescription("Extra environment variables of every worker. Names the operator sets are rejected.")
  private List<EnvVar> env;

  @JsonPropertyDescription("CPU and memory of each worker. GPUs are added by the operator from gpusPerNode.")
  private ResourceRequirements resources;

  @Required
  @Min(1)
  @Max(512)
  @JsonPropertyDescription("Number of workers, one per node.")
  private Integer nodes;

  @Required
  @Min(0)
  @Max(16)
  @JsonPropertyDescription("GPUs per worker (= torchrun processes per node). 0 runs one CPU process per node.")
  private Integer gpusPerNode;

  @JsonPropertyDescription("Which GPU product the workers run on. All workers always share one product.")
  private GpuSpec gpu;

  @JsonPropertyDescription("NCCL settings passed to every worker as NCCL_* variables.")
  private NcclSpec nccl;

  @JsonPropertyDescription("Pod networking: host network, Multus networks, RDMA devices.")
  private NetworkSpec network;

  @ValidationRule(value = TrainingJobRules.SHM_QUANTITY_RULE, message = TrainingJobRules.SHM_QUANTITY)
  @JsonPropertyDescription("Quantity in bytes, e.g. 64Gi (written like a container's memory limit): the size of the"
      + " memory-backed /dev/shm every worker gets (an emptyDir with medium Memory, which NCCL and DataLoader workers"
      + " use). At most the memory limit. Unset: bounded only by the worker's memory limit. Immutable once started.")
  private IntOrString shmSize;

  @JsonPropertyDescription("Restarts, deadline, clean-up and suspension.")
  private RunPolicy runPolicy;

  @JsonPropertyDescription("Startup of each attempt: how long its workers may take to all run, and what happens"
      + " when they do not (docs/trainingjob.md#startup).")
  private SchedulingSpec scheduling;

  @JsonPropertyDescription("Pod-level settings copied into every worker pod.")
  private PodTemplateOverrides podTemplate;

  @Size(max = 16)
  @JsonPropertyDescription("NasVolumes mounted into every worker (datasets). The job waits in Pending with"
      + " VolumesReady=False until each is Bound.")
  private List<NasVolumeMount> volumes;

  @Size(max = 8)
  @ValidationRule(value = TrainingJobRules.UNIQUE_REDIS_PREFIX_RULE, message = TrainingJobRules.UNIQUE_REDIS_PREFIX)
  @JsonPropertyDescription("RedisInstances every worker uses: <envPrefix>_HOST, _PORT, _PASSWORD (from a Secret in the"
      + " job's namespace the operator keeps in sync) and _URL. The job waits with RedisReady=False until each is Ready.")
  private List<RedisBinding> redis;

  @JsonPropertyDescription("A NasVolume for checkpoints, mounted read-write at the same path in every attempt"
      + " (CHECKPOINT_DIR), so a restarted gang resumes from it.")
  private CheckpointSpec checkpoint;

  public List<NasVolumeMount> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<NasVolumeMount> volumes) {
    this.volumes = volumes;
  }

  public CheckpointSpec getCheckpoint() {
    return checkpoint;
  }

  public void setCheckpoint(CheckpointSpec checkpoint) {
    this.checkpoint = checkpoint;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public String getWorkingDir() {
    return workingDir;
  }

  public void setWorkingDir(String workingDir) {
    this.workingDir = workingDir;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Integer getNodes() {
    return nodes;
  }

  public void setNodes(Integer nodes) {
    this.nodes = nodes;
  }

  public Integer getGpusPerNode() {
    return gpusPerNode;
  }

  public void setGpusPerNode(Integer gpusPerNode) {
    this.gpusPerNode = gpusPerNode;
  }

  public GpuSpec getGpu() {
    return gpu;
  }

  public void setGpu(GpuSpec gpu) {
    this.gpu = gpu;
  }

  public NcclSpec getNccl() {
    return nccl;
  }

  public void setNccl(NcclSpec nccl) {
    this.nccl = nccl;
  }

  public NetworkSpec getNetwork() {
    return network;
  }

  public void setNetwork(NetworkSpec network) {
    this.network = network;
  }

  public IntOrString getShmSize() {
    return shmSize;
  }

  public void setShmSize(IntOrString shmSize) {
    this.shmSize = shmSize;
  }

  public SchedulingSpec getScheduling() {
    return scheduling;
  }

  public void setScheduling(SchedulingSpec scheduling) {
    this.scheduling = scheduling;
  }

  public RunPolicy getRunPolicy() {
    return runPolicy;
  }

  public void setRunPolicy(RunPolicy runPolicy) {
    this.runPolicy = runPolicy;
  }

  public PodTemplateOverrides getPodTemplate() {
    return podTemplate;
  }

  public void setPodTemplate(PodTemplateOverrides podTemplate) {
    this.podTemplate = podTemplate;
  }

  public List<RedisBinding> getRedis() {
    return redis;
  }

  public void setRedis(List<RedisBinding> redis) {
    this.redis = redis;
  }
}
