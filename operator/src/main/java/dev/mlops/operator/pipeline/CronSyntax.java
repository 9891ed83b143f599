package dev.mlops.operator.pipeline;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Cron expressions as Argo's CronWorkflow controller parses them (robfig/cron's standard parser:
 * five fields, names of months and weekdays, and the {@code @daily}-style descriptors), and IANA
 * time zones, so a bad schedule is said on the Pipeline instead of in Argo's log.
 */
public final class CronSyntax {

  private CronSyntax() {}

  private record Field(String name, int min, int max, List<String> names) {}

  private static final List<Field> FIELDS = List.of(
      new Field("minute", 0, 59, List.of()),
      new Field("hour", 0, 23, List.of()),
      new Field("day of month", 1, 31, List.of()),
      new Field("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
      new Field("day of week", 0, 6, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")));

  private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
      "@midnight", "@hourly");

  /** Why {@code cron} is not a schedule Argo accepts, or empty. */
  public static Optional<String> problem(String cron) {
    String text = cron.trim();
    if (text.startsWith("@")) {
      if (DESCRIPTORS.contains(text)) {
        return Optional.empty();
      }
      if (text.startsWith("@every ")) {
        return text.substring(7).trim().matches("([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+") ? Optional.empty()
            : Optional.of("'" + cron + "': @every needs a duration such as 90m");
      }
      return Optional.of("'" + cron + "' is not a cron descriptor (" + String.join(", ", DESCRIPTORS) + ", @every <duration>)");
    }
    String[] parts = text.split("\\s+");
    if (parts.length != FIELDS.size()) {
      return Optional.of("'" + cron + "' has " + parts.length + " fields; a cron has 5 (minute hour day-of-month month"
          + " day-of-week)");
    }
    for (int i = 0; i < parts.length; i++) {
      Optional<String> problem = field(FIELDS.get(i), parts[i]);
      if (problem.isPresent()) {
        return Optional.of("'" + cron + "': " + problem.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> field(Field field, String text) {
    for (String item : text.split(",", -1)) {
      String range = item;
      if (item.contains("/")) {
        String[] step = item.split("/", -1);
        if (step.length != 2 || !step[1].matches("[0-9]{1,3}") || Integer.parseInt(step[1]) == 0) {
          return Optional.of("the " + field.name() + " '" + text + "' has a bad step");
        }
        range = step[0];
      }
      if (range.equals("*") || range.equals("?") && field.name().startsWith("day")) {
        continue;
      }
      String[] bounds = range.split("-", -1);
      if (bounds.length > 2) {
        return Optional.of("the " + field.name() + " '" + text + "' is not a value, range or list");
      }
      int low = -1;
      for (String bound : bounds) {
        int value = value(field, bound);
        if (value < 0) {
          return Optional.of("the " + field.name() + " '" + bound + "' is not " + field.min() + "-" + field.max()
              + (field.names().isEmpty() ? "" : " or a name (" + field.names().get(0) + "...)"));
        }
        if (value < low) {
          return Optional.of("the " + field.name() + " range '" + range + "' ends before it starts");
        }
        low = value;
      }
    }
    return Optional.empty();
  }

  private static int value(Field field, String text) {
    int named = field.names().indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + field.min();
    }
    if (!text.matches("[0-9]{1,2}")) {
      return -1;
    }
    int value = Integer.parseInt(text);
    return value >= field.min() && value <= field.max() ? value : -1;
  }

  /** Why {@code zone} is not an IANA time zone, or empty. */
  public static Optional<String> zoneProblem(String zone) {
    if (!zone.contains("/") && !zone.equals("UTC")) {
      return Optional.of("'" + zone + "' is not an IANA time zone such as Asia/Seoul or UTC");
    }
    try {
      ZoneId.of(zone);
      return Optional.empty();
    } catch (DateTimeException e) {
      return Optional.of("'" + zone + "' is not an IANA time zone such as Asia/Seoul or UTC");
    }
  }
}
