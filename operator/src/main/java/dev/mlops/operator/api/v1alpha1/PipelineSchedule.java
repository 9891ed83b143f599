package dev.mlops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** A cron schedule of a Pipeline (Flyte's LaunchPlan with a schedule and fixed inputs). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineSchedule {

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("Five-field cron (minute hour day-of-month month day-of-week), or @daily, @hourly, ...")
  private String cron;

  @Size(max = 64)
  @JsonPropertyDescription("IANA time zone the cron is read in, e.g. Asia/Seoul; the controller's (UTC) by default.")
  private String timezone;

  @Size(max = 64)
  @JsonPropertyDescription("Params of the scheduled runs (others take their defaults); may use {{schedule.date}}"
      + " (YYYY-MM-DD) and {{schedule.time}} (RFC 3339), in the schedule's time zone.")
  private Map<String, String> params;

  @JsonPropertyDescription("Pause this schedule.")
  private Boolean suspend;

  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  public String getTimezone() {
    return timezone;
  }

  public void setTimezone(String timezone) {
    this.timezone = timezone;
  }

  public Map<String, String> getParams() {
    return params;
  }

  public void setParams(Map<String, String> params) {
    this.params = params;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}
