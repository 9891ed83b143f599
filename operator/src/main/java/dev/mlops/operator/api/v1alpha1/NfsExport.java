package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Where a NasServer's approved exports live: the NFS server and the export root under which volumes are paths. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NfsExport {

  @Required
  @Size(max = 253)
  @Pattern(NasRules.HOST_PATTERN)
  @JsonPropertyDescription("Host name or IP address of the NFS server, e.g. 10.10.0.5.")
  private String server;

  @Required
  @Size(max = 1024)
  @ValidationRule(value = NasRules.EXPORT_ROOT_ABSOLUTE_RULE, message = NasRules.EXPORT_ROOT_ABSOLUTE)
  @ValidationRule(value = NasRules.EXPORT_ROOT_DOTS_RULE, message = NasRules.EXPORT_ROOT_DOTS)
  @JsonPropertyDescription("Absolute path of the approved export; every NasVolume's path is relative to it.")
  private String exportRoot;

  public String getServer() {
    return server;
  }

  public void setServer(String server) {
    this.server = server;
  }

  public String getExportRoot() {
    return exportRoot;
  }

  public void setExportRoot(String exportRoot) {
    this.exportRoot = exportRoot;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NfsExport other && Objects.equals(server, other.server) && Objects.equals(exportRoot, other.exportRoot);
  }

  @Override
  public int hashCode() {
    return Objects.hash(server, exportRoot);
  }
}
