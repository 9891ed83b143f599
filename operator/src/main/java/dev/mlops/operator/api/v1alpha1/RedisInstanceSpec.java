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
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;

/** What the team asks of its Redis: mode, size, memory policy, persistence, auth, who may bind it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = RedisRules.REPLICAS_STANDALONE_RULE, message = RedisRules.REPLICAS_STANDALONE)
@ValidationRule(value = RedisRules.REPLICAS_REPLICATION_RULE, message = RedisRules.REPLICAS_REPLICATION)
@ValidationRule(value = RedisRules.MEMORY_LIMIT_RULE, message = RedisRules.MEMORY_LIMIT)
@ValidationRule(value = RedisRules.MAX_MEMORY_ONE_RULE, message = RedisRules.MAX_MEMORY_ONE)
@JsonClassDescription("The Redis server(s) to run: mode (standalone or replication), version, memory, persistence, "
    + "password and rotation, which namespaces may bind to it, and the exporter. docs/redis.md lists "
    + "every field.")
public class RedisInstanceSpec {

  @ValidationRule(value = RedisRules.MODE_RULE, message = RedisRules.MODE)
  @JsonPropertyDescription("standalone (one server; default) or replication (one master and spec.replicas replicas that"
      + " follow it; the operator fails over to the most up-to-date replica). Immutable.")
  private String mode;

  @Min(0)
  @Max(RedisRules.MAX_REPLICAS)
  @JsonPropertyDescription("Replication mode: replicas besides the master (default 2).")
  private Integer replicas;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("The Redis image (redis:7.2 by default); its entrypoint is replaced by the operator's start"
      + " script, which needs sh.")
  private String image;

  @Required
  @JsonPropertyDescription("Resources of the redis container; limits.memory is required (maxmemory is derived from it).")
  private ResourceRequirements resources;

  @ValidationRule(value = RedisRules.MAX_MEMORY_RATIO_RULE, message = RedisRules.MAX_MEMORY_RATIO)
  @JsonPropertyDescription("maxmemory as a share of limits.memory (default 0.75: the rest is for fork-on-save and"
      + " buffers).")
  private Double maxMemoryRatio;

  @Pattern(TrainingJobRules.QUANTITY_REGEX)
  @JsonPropertyDescription("maxmemory explicitly, e.g. 6Gi; at most limits.memory. Exclusive with maxMemoryRatio.")
  private String maxMemory;

  @ValidationRule(value = RedisRules.EVICTION_RULE, message = RedisRules.EVICTION)
  @JsonPropertyDescription("maxmemory-policy; default noeviction (writes fail once full, nothing is dropped).")
  private String evictionPolicy;

  @JsonPropertyDescription("none (memory only; default), rdb (snapshots) or aof (append-only file, fsync every second),"
      + " on a PersistentVolumeClaim per server.")
  private RedisPersistence persistence;

  @JsonPropertyDescription("Password auth (on by default): a generated Secret <name>-auth, or existingSecret.")
  private RedisAuth auth;

  @Size(max = 32)
  @ValidationRule(value = RedisRules.CONFIG_KEYS_RULE, message = RedisRules.CONFIG_KEYS)
  @ValidationRule(value = RedisRules.CONFIG_OWNED_RULE, message = RedisRules.CONFIG_OWNED,
      messageExpression = RedisRules.CONFIG_OWNED_MESSAGE_EXPRESSION)
  @JsonPropertyDescription("Extra redis.conf settings, from an allow-list (timeout, maxclients, appendfsync, save,"
      + " min-replicas-to-write, ...).")
  private Map<String, String> config;

  @JsonPropertyDescription("The Prometheus redis_exporter sidecar (port 9121).")
  private RedisExporter exporter;

  @JsonPropertyDescription("Which namespaces may bind this instance, and whether a NetworkPolicy admits only them.")
  private RedisAccess access;

  @ValidationRule(value = RedisRules.DELETION_POLICY_RULE, message = RedisRules.DELETION_POLICY)
  @JsonPropertyDescription("Retain (default) or Delete: whether the servers' PersistentVolumeClaims and the generated"
      + " Secret are deleted with the RedisInstance.")
  private String deletionPolicy;

  @Pattern(RedisRules.DURATION_PATTERN)
  @JsonPropertyDescription("Replication mode: how long the master may be unreachable before the operator promotes the"
      + " replica with the highest replication offset, e.g. 30s (default).")
  private String failoverTimeout;

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Double getMaxMemoryRatio() {
    return maxMemoryRatio;
  }

  public void setMaxMemoryRatio(Double maxMemoryRatio) {
    this.maxMemoryRatio = maxMemoryRatio;
  }

  public String getMaxMemory() {
    return maxMemory;
  }

  public void setMaxMemory(String maxMemory) {
    this.maxMemory = maxMemory;
  }

  public String getEvictionPolicy() {
    return evictionPolicy;
  }

  public void setEvictionPolicy(String evictionPolicy) {
    this.evictionPolicy = evictionPolicy;
  }

  public RedisPersistence getPersistence() {
    return persistence;
  }

  public void setPersistence(RedisPersistence persistence) {
    this.persistence = persistence;
  }

  public RedisAuth getAuth() {
    return auth;
  }

  public void setAuth(RedisAuth auth) {
    this.auth = auth;
  }

  public Map<String, String> getConfig() {
    return config;
  }

  public void setConfig(Map<String, String> config) {
    this.config = config;
  }

  public RedisExporter getExporter() {
    return exporter;
  }

  public void setExporter(RedisExporter exporter) {
    this.exporter = exporter;
  }

  public RedisAccess getAccess() {
    return access;
  }

  public void setAccess(RedisAccess access) {
    this.access = access;
  }

  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(String deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public String getFailoverTimeout() {
    return failoverTimeout;
  }

  public void setFailoverTimeout(String failoverTimeout) {
    this.failoverTimeout = failoverTimeout;
  }
}
