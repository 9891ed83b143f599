package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A template's memoization: the key its outputs are cached under, for how long, in which ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Memoize extends ArgoObject {

  private String key;
  private String maxAge;
  private Cache cache;

  /** {@code {configMap: {name}}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Cache extends ArgoObject {

    private ConfigMapRef configMap;

    public ConfigMapRef getConfigMap() {
      return configMap;
    }

    public void setConfigMap(ConfigMapRef configMap) {
      this.configMap = configMap;
    }
  }

  /** The cache ConfigMap by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ConfigMapRef extends ArgoObject {

    private String name;
    private String key;

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(String maxAge) {
    this.maxAge = maxAge;
  }

  public Cache getCache() {
    return cache;
  }

  public void setCache(Cache cache) {
    this.cache = cache;
  }
}
