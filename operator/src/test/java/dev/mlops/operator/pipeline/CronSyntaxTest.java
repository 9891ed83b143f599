package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cron expressions as Argo's CronWorkflow controller reads them, and IANA time zones. */
class CronSyntaxTest {

  @ParameterizedTest
  @ValueSource(strings = {"0 3 * * *", "*/15 * * * *", "50 8 * * 1-5", "0 0 1,15 * ?", "0 9 * JAN-MAR MON", "@daily",
      "@every 90m", "0 0 * * 0"})
  void acceptsWhatArgoAccepts(String cron) {
    assertThat(CronSyntax.problem(cron)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 3 * *", "60 * * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 7", "*/0 * * * *", "5-1 * * * *",
      "@fortnightly", "@every soon", "0 0 * FOO *"})
  void refusesWhatArgoRefuses(String cron) {
    assertThat(CronSyntax.problem(cron)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Asia/Seoul", "America/New_York", "UTC", "Europe/London"})
  void knowsTimeZones(String zone) {
    assertThat(CronSyntax.zoneProblem(zone)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"KST", "Asia/Sejong", "+09:00", "GMT+9"})
  void refusesWhatIsNotAnIanaZone(String zone) {
    assertThat(CronSyntax.zoneProblem(zone)).isPresent();
  }
}
