package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class NcclSpec {

  @ValidationRule(value = TrainingJobRules.SOCKET_IFNAME_RULE, message = TrainingJobRules.SOCKET_IFNAME)
  @Size(max = 256)
  @JsonPropertyDescription("NCCL_SOCKET_IFNAME: the interface(s) NCCL bootstraps over, e.g. eth0. Pin it:"
      + " NCCL may otherwise pick an unreachable interface and hang. A comma-separated list of interface names or"
      + " prefixes (each 1-15 characters, no spaces), optionally led by ^ (exclude these) and = (exact names),"
      + " e.g. eth0, ^docker,lo, =ib0.")
  private String socketIfname;

  @JsonPropertyDescription("NCCL_IB_HCA: InfiniBand/RoCE adapters to use, e.g. mlx5.")
  private String ibHca;

  @JsonPropertyDescription("NCCL_IB_DISABLE: true forces TCP sockets instead of InfiniBand/RoCE.")
  private Boolean ibDisable;

  @Pattern("^(VERSION|WARN|INFO|TRACE)$")
  @JsonPropertyDescription("NCCL_DEBUG: VERSION, WARN, INFO or TRACE.")
  private String debug;

  @Pattern("^(LOC|PIX|PXB|PHB|SYS|NVL|[0-9]+)$")
  @JsonPropertyDescription("NCCL_NET_GDR_LEVEL: GPUDirect RDMA distance, LOC, PIX, PXB, PHB, SYS, NVL or a number.")
  private String netGdrLevel;

  @Size(max = 64)
  @ValidationRule(value = TrainingJobRules.NCCL_ENV_TYPED_RULE, message = TrainingJobRules.NCCL_ENV_TYPED)
  @JsonPropertyDescription("Further NCCL_* variables, e.g. {NCCL_ALGO: Ring}.")
  private Map<String, String> env;

  public String getSocketIfname() {
    return socketIfname;
  }

  public void setSocketIfname(String socketIfname) {
    this.socketIfname = socketIfname;
  }

  public String getIbHca() {
    return ibHca;
  }

  public void setIbHca(String ibHca) {
    this.ibHca = ibHca;
  }

  public Boolean getIbDisable() {
    return ibDisable;
  }

  public void setIbDisable(Boolean ibDisable) {
    this.ibDisable = ibDisable;
  }

  public String getDebug() {
    return debug;
  }

  public void setDebug(String debug) {
    this.debug = debug;
  }

  public String getNetGdrLevel() {
    return netGdrLevel;
  }

  public void setNetGdrLevel(String netGdrLevel) {
    this.netGdrLevel = netGdrLevel;
  }

  public Map<String, String> getEnv() {
    return env;
  }

  public void setEnv(Map<String, String> env) {
    this.env = env;
  }
}
