package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** The operator's last promotion: who, why, and every server's replication offset at that moment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisFailoverStatus {

  @JsonPropertyDescription("When the failover happened (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The master before, if there was one.")
  private String from;

  @JsonPropertyDescription("The server promoted.")
  private String to;

  @JsonPropertyDescription("Initial (first master), MasterUnreachable (longer than failoverTimeout) or MasterRestarted"
      + " (it came back fenced, without its role).")
  private String reason;

  @JsonPropertyDescription("Replication offset of every server that answered, by pod: the promoted one had the highest"
      + " among those sharing the master's replication history.")
  private Map<String, Long> offsets;

  @JsonPropertyDescription("The master's replication ID after the promotion: the history every server must follow.")
  private String replicationId;

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public Map<String, Long> getOffsets() {
    return offsets;
  }

  public void setOffsets(Map<String, Long> offsets) {
    this.offsets = offsets;
  }

  public String getReplicationId() {
    return replicationId;
  }

  public void setReplicationId(String replicationId) {
    this.replicationId = replicationId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisFailoverStatus other
        && Objects.equals(time, other.time)
        && Objects.equals(from, other.from)
        && Objects.equals(to, other.to)
        && Objects.equals(reason, other.reason)
        && Objects.equals(offsets, other.offsets)
        && Objects.equals(replicationId, other.replicationId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, from, to, reason, offsets, replicationId);
  }
}
