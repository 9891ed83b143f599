package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A RedisInstance a TrainingJob uses: every worker gets its address, and its password from a Secret the operator keeps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisBinding {

  @Required
  @Size(max = RedisRules.MAX_NAME)
  @Pattern(TrainingJobRules.DNS_LABEL_PATTERN)
  @JsonPropertyDescription("Name of the RedisInstance.")
  private String name;

  @Size(max = 63)
  @Pattern(TrainingJobRules.DNS_LABEL_PATTERN)
  @JsonPropertyDescription("Its namespace; the TrainingJob's own by default. The instance's access.allowedNamespaces must"
      + " allow the job's namespace.")
  private String namespace;

  @Size(max = 40)
  @Pattern("^[A-Z_][A-Z0-9_]*$")
  @JsonPropertyDescription("Prefix of the environment variables: <prefix>_HOST, _PORT, _PASSWORD and _URL (without the"
      + " password). Default REDIS; unique among the job's bindings.")
  private String envPrefix;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getEnvPrefix() {
    return envPrefix;
  }

  public void setEnvPrefix(String envPrefix) {
    this.envPrefix = envPrefix;
  }
}
