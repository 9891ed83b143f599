package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** A one-shot throughput test of a NasVolume: a Job that writes and reads a file with direct I/O. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NasBenchmark {

  @JsonPropertyDescription("Run the benchmark (once per runId). Default false.")
  private Boolean enabled;

  @Min(1)
  @Max(NasRules.MAX_BENCHMARK_MIB)
  @JsonPropertyDescription("Size of the test file in MiB. Default 4096. The volume must be writable (readOnly: false).")
  private Integer sizeMiB;

  @Size(max = 63)
  @JsonPropertyDescription("Change it to run the benchmark again. Default \"1\".")
  private String runId;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getSizeMiB() {
    return sizeMiB;
  }

  public void setSizeMiB(Integer sizeMiB) {
    this.sizeMiB = sizeMiB;
  }

  public String getRunId() {
    return runId;
  }

  public void setRunId(String runId) {
    this.runId = runId;
  }

  public boolean enabled() {
    return Boolean.TRUE.equals(enabled);
  }

  public int sizeMiBOrDefault() {
    return sizeMiB == null ? 4096 : sizeMiB;
  }

  public String runIdOrDefault() {
    return runId == null ? "1" : runId;
  }
}
