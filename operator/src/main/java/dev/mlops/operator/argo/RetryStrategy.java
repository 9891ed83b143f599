package dev.mlops.operator.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.IntOrString;

/** A template's retries: how many, on what, and how long to wait between them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetryStrategy extends ArgoObject {

  private IntOrString limit;
  private String retryPolicy;
  private Backoff backoff;

  /** The wait before each retry: duration, times factor after each, at most maxDuration in all. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Backoff extends ArgoObject {

    private String duration;
    private IntOrString factor;
    private String maxDuration;

    public String getDuration() {
      return duration;
    }

    public void setDuration(String duration) {
      this.duration = duration;
    }

    public IntOrString getFactor() {
      return factor;
    }

    public void setFactor(IntOrString factor) {
      this.factor = factor;
    }

    public String getMaxDuration() {
      return maxDuration;
    }

    public void setMaxDuration(String maxDuration) {
      this.maxDuration = maxDuration;
    }
  }

  public IntOrString getLimit() {
    return limit;
  }

  public void setLimit(IntOrString limit) {
    this.limit = limit;
  }

  public String getRetryPolicy() {
    return retryPolicy;
  }

  public void setRetryPolicy(String retryPolicy) {
    this.retryPolicy = retryPolicy;
  }

  public Backoff getBackoff() {
    return backoff;
  }

  public void setBackoff(Backoff backoff) {
    this.backoff = backoff;
  }
}
