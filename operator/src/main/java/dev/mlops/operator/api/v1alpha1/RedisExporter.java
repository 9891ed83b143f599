package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The Prometheus redis_exporter sidecar of every server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisExporter {

  @JsonPropertyDescription("Run the sidecar (default false).")
  private Boolean enabled;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("The exporter image (default oliver006/redis_exporter:v1.67.0).")
  private String image;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }
}
