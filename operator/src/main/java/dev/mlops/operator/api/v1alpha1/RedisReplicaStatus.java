package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One replica as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisReplicaStatus {

  @JsonPropertyDescription("The replica's pod name.")
  private String pod;

  @JsonPropertyDescription("Its link to the current master is up.")
  private Boolean linkUp;

  @JsonPropertyDescription("Replication offset of the master minus the replica's: bytes of writes it does not have yet.")
  private Long lagBytes;

  @JsonPropertyDescription("Its replication offset (master_repl_offset); absent when it did not answer.")
  private Long offset;

  public RedisReplicaStatus() {}

  public RedisReplicaStatus(String pod, Boolean linkUp, Long lagBytes, Long offset) {
    this.pod = pod;
    this.linkUp = linkUp;
    this.lagBytes = lagBytes;
    this.offset = offset;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public Boolean getLinkUp() {
    return linkUp;
  }

  public void setLinkUp(Boolean linkUp) {
    this.linkUp = linkUp;
  }

  public Long getLagBytes() {
    return lagBytes;
  }

  public void setLagBytes(Long lagBytes) {
    this.lagBytes = lagBytes;
  }

  public Long getOffset() {
    return offset;
  }

  public void setOffset(Long offset) {
    this.offset = offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisReplicaStatus other
        && Objects.equals(pod, other.pod)
        && Objects.equals(linkUp, other.linkUp)
        && Objects.equals(lagBytes, other.lagBytes)
        && Objects.equals(offset, other.offset);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pod, linkUp, lagBytes, offset);
  }
}
