package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator saw of the instance, from the API server and from the servers themselves (INFO). */
@JsonClassDescription("What the operator observed from the servers' INFO, written by the operator only: the phase, the "
    + "master and replicas, memory, persistence, failovers, the password in use and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisInstanceStatus {

  @JsonPropertyDescription("Pending (not serving yet), Ready, Degraded (serving with a problem, or its master is lost"
      + " and a failover is due; the conditions say which) or Invalid (the spec is invalid).")
  private String phase;

  @JsonPropertyDescription("Why the instance is in its phase, in one CamelCase word (kubectl get's Reason column): e.g. "
      + "InvalidSpec, Creating, PodsUnschedulable, PodsNotStarted, ElectingMaster, MasterServing. The Ready "
      + "condition's message says more.")
  private String reason;

  @JsonPropertyDescription("host:port of the master, through the Service <name>.")
  private String endpoint;

  @JsonPropertyDescription("host:port of the replicas, through the Service <name>-replicas (replication mode).")
  private String readEndpoint;

  @JsonPropertyDescription("The Secret whose key 'password' is the password.")
  private String secretName;

  @JsonPropertyDescription("The pod that is master: the Service <name> selects it.")
  private String master;

  @JsonPropertyDescription("The master's replication ID (master_replid) as last seen.")
  private String masterReplicationId;

  @JsonPropertyDescription("The master's replication offset as last seen (written at most every 30 s while only it moves).")
  private Long masterOffset;

  @JsonPropertyDescription("Since when the master has been unreachable (replication mode): a failover follows after"
      + " failoverTimeout.")
  private String masterLostSince;

  @JsonPropertyDescription("One entry per replica server: its pod, whether it is linked to the master and how far behind "
      + "it is.")
  private List<RedisReplicaStatus> replicas;

  @JsonPropertyDescription("Memory the master uses for data, in bytes (used_memory from INFO memory).")
  private Long usedMemoryBytes;

  @JsonPropertyDescription("The maxmemory the servers run with, in bytes (from INFO memory).")
  private Long maxMemoryBytes;

  @JsonPropertyDescription("The master's last RDB save (and AOF write, with aof) succeeded.")
  private Boolean lastSaveOk;

  @JsonPropertyDescription("When the master last saved an RDB snapshot (from INFO persistence; RFC 3339).")
  private String lastSaveTime;

  @JsonPropertyDescription("The last failover the operator made: from which pod to which, when and why.")
  private RedisFailoverStatus lastFailover;

  @JsonPropertyDescription("The password the servers use now (the Secret and its resourceVersion) and the state of a "
      + "rotation in progress.")
  private RedisAuthStatus auth;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes; older than metadata.generation "
      + "while the operator has not yet acted on an edit.")
  private Long observedGeneration;

  @JsonPropertyDescription("Valid, Ready and Degraded.")
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getReadEndpoint() {
    return readEndpoint;
  }

  public void setReadEndpoint(String readEndpoint) {
    this.readEndpoint = readEndpoint;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getMaster() {
    return master;
  }

  public void setMaster(String master) {
    this.master = master;
  }

  public String getMasterReplicationId() {
    return masterReplicationId;
  }

  public void setMasterReplicationId(String masterReplicationId) {
    this.masterReplicationId = masterReplicationId;
  }

  public Long getMasterOffset() {
    return masterOffset;
  }

  public void setMasterOffset(Long masterOffset) {
    this.masterOffset = masterOffset;
  }

  public String getMasterLostSince() {
    return masterLostSince;
  }

  public void setMasterLostSince(String masterLostSince) {
    this.masterLostSince = masterLostSince;
  }

  public List<RedisReplicaStatus> getReplicas() {
    return replicas;
  }

  public void setReplicas(List<RedisReplicaStatus> replicas) {
    this.replicas = replicas;
  }

  public Long getUsedMemoryBytes() {
    return usedMemoryBytes;
  }

  public void setUsedMemoryBytes(Long usedMemoryBytes) {
    this.usedMemoryBytes = usedMemoryBytes;
  }

  public Long getMaxMemoryBytes() {
    return maxMemoryBytes;
  }

  public void setMaxMemoryBytes(Long maxMemoryBytes) {
    this.maxMemoryBytes = maxMemoryBytes;
  }

  public Boolean getLastSaveOk() {
    return lastSaveOk;
  }

  public void setLastSaveOk(Boolean lastSaveOk) {
    this.lastSaveOk = lastSaveOk;
  }

  public String getLastSaveTime() {
    return lastSaveTime;
  }

  public void setLastSaveTime(String lastSaveTime) {
    this.lastSaveTime = lastSaveTime;
  }

  public RedisAuthStatus getAuth() {
    return auth;
  }

  public void setAuth(RedisAuthStatus auth) {
    this.auth = auth;
  }

  public RedisFailoverStatus getLastFailover() {
    return lastFailover;
  }

  public void setLastFailover(RedisFailoverStatus lastFailover) {
    this.lastFailover = lastFailover;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisInstanceStatus other && Objects.equals(reason, other.reason)
        && Objects.equals(phase, other.phase)
        && Objects.equals(endpoint, other.endpoint)
        && Objects.equals(readEndpoint, other.readEndpoint)
        && Objects.equals(secretName, other.secretName)
        && Objects.equals(master, other.master)
        && Objects.equals(masterReplicationId, other.masterReplicationId)
        && Objects.equals(masterOffset, other.masterOffset)
        && Objects.equals(masterLostSince, other.masterLostSince)
        && Objects.equals(replicas, other.replicas)
        && Objects.equals(usedMemoryBytes, other.usedMemoryBytes)
        && Objects.equals(maxMemoryBytes, other.maxMemoryBytes)
        && Objects.equals(lastSaveOk, other.lastSaveOk)
        && Objects.equals(lastSaveTime, other.lastSaveTime)
        && Objects.equals(lastFailover, other.lastFailover)
        && Objects.equals(auth, other.auth)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, phase, endpoint, readEndpoint, secretName, master, masterReplicationId, masterOffset,
        masterLostSince, replicas, usedMemoryBytes, maxMemoryBytes, lastSaveOk, lastSaveTime, lastFailover, auth,
        observedGeneration, conditions);
  }
}
