package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a NasServer's approved exports live: the NFS server and the export root under which volumes are paths. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NfsExport {

  @JsonPropertyDescription("Host name or IP address of the NFS server, e.g. 10.10.0.5.")
  private String server;

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
}
