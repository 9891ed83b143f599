package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuSpec {

  public static final String DEFAULT_RESOURCE_NAME = "nvidia.com/gpu";

  @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
  @JsonPropertyDescription("Value of the node label nvidia.com/gpu.product every worker must run on."
      + " Empty: the operator picks one product with enough nodes and records it in status.gpuProduct.")
  private String product;

  @Size(max = 16)
  @JsonPropertyDescription("Products to try first, in order, when product is empty.")
  private List<String> preferredProducts;

  @Default(DEFAULT_RESOURCE_NAME)
  @Pattern("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription("Extended resource that counts GPUs on the nodes.")
  private String resourceName;

  public String getProduct() {
    return product;
  }

  public void setProduct(String product) {
    this.product = product;
  }

  public List<String> getPreferredProducts() {
    return preferredProducts;
  }

  public void setPreferredProducts(List<String> preferredProducts) {
    this.preferredProducts = preferredProducts;
  }

  public String getResourceName() {
    return resourceName;
  }

  public void setResourceName(String resourceName) {
    this.resourceName = resourceName;
  }
}
