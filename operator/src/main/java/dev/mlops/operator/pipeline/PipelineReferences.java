package dev.mlops.operator.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference syntax of Pipelines, ours rather than Argo's so that it reads like the pipeline
 * and can be checked before anything runs: {@code {{params.x}}}, {@code {{tasks.t.outputs.o}}},
 * {@code {{item}}}, {@code {{run.name}}}, {@code {{run.status}}} (exit handler) and, in a schedule's
 * params, {@code {{schedule.date}}} and {@code {{schedule.time}}}. Each is translated to Argo's.
 */
public final class PipelineReferences {

  private PipelineReferences() {}

  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*\\}\\}");
  private static final Pattern PARAM = Pattern.compile("params\\.([a-zA-Z_][a-zA-Z0-9_]*)");
  private static final Pattern OUTPUT =
      Pattern.compile("tasks\\.([a-z]([-a-z0-9]*[a-z0-9])?)\\.outputs\\.([a-zA-Z_][a-zA-Z0-9_]*)");

  /** What a reference names. */
  public sealed interface Reference permits Param, Output, Item, RunName, RunStatus, ScheduleDate, ScheduleTime {}

  public record Param(String name) implements Reference {}

  public record Output(String task, String output) implements Reference {}

  public record Item() implements Reference {}

  public record RunName() implements Reference {}

  public record RunStatus() implements Reference {}

  public record ScheduleDate() implements Reference {}

  public record ScheduleTime() implements Reference {}

  /** One {@code {{...}}} in a text: what it names, or null with the text it had when it names nothing we know. */
  public record Found(String text, Reference reference) {}

  /** Every {@code {{...}}} of {@code text}, in order. */
  public static List<Found> find(String text) {
    List<Found> found = new ArrayList<>();
    if (text == null || !text.contains("{{")) {
      return found;
    }
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      found.add(new Found(m.group(0), parse(m.group(1))));
    }
    return found;
  }

  static Reference parse(String inner) {
    Matcher param = PARAM.matcher(inner);
    if (param.matches()) {
      return new Param(param.group(1));
    }
    Matcher output = OUTPUT.matcher(inner);
    if (output.matches()) {
      return new Output(output.group(1), output.group(3));
    }
    return switch (inner) {
      case "item" -> new Item();
      case "run.name" -> new RunName();
      case "run.status" -> new RunStatus();
      case "schedule.date" -> new ScheduleDate();
      case "schedule.time" -> new ScheduleTime();
      default -> null;
    };
  }

  /** {@code text} with each reference replaced by what {@code translate} makes of it (references are known by then). */
  public static String replace(String text, Function<Reference, String> translate) {
    if (text == null || !text.contains("{{")) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Reference reference = parse(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(reference == null ? m.group(0) : translate.apply(reference)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The input parameter of a task's template that carries a reference into its container. */
  public static String inputName(Reference reference) {
    if (reference instanceof Param p) {
      return "p_" + p.name();
    } else if (reference instanceof Output o) {
      return "o_" + o.task() + "_" + o.output();
    } else if (reference instanceof Item) {
      return "item";
    }
    return null;
  }

  /** The reference as a DAG task's argument or {@code when} has it (Argo's syntax at the DAG level). */
  public static String argoDag(Reference reference) {
    if (reference instanceof Param p) {
      return "{{workflow.parameters." + p.name() + "}}";
    } else if (reference instanceof Output o) {
      return "{{tasks." + o.task() + ".outputs.parameters." + o.output() + "}}";
    } else if (reference instanceof Item) {
      return "{{item}}";
    }
    return global(reference);
  }

  /** The reference inside a task's own template: through its input parameter, or a global variable. */
  public static String argoTemplate(Reference reference) {
    String input = inputName(reference);
    return input != null ? "{{inputs.parameters." + input + "}}" : global(reference);
  }

  /**
   * The reference in a schedule's params (a CronWorkflow's Workflow arguments). Argo's
   * {@code workflow.scheduledTime} is RFC 3339 in UTC whatever the CronWorkflow's time zone, so the
   * schedule's day and time are converted to {@code timezone} (the CronWorkflow's; none: the
   * controller's local time, which its cron uses then) by an Argo expression.
   */
  public static String argoSchedule(Reference reference, String timezone) {
    String zone = timezone == null || timezone.isBlank() ? "Local" : timezone;
    String scheduled = "sprig.toDate('2006-01-02T15:04:05Z07:00', workflow.scheduledTime)";
    if (reference instanceof ScheduleDate) {
      return "{{=sprig.dateInZone('2006-01-02', " + scheduled + ", '" + zone + "')}}";
    } else if (reference instanceof ScheduleTime) {
      return "{{=sprig.dateInZone('2006-01-02T15:04:05Z07:00', " + scheduled + ", '" + zone + "')}}";
    }
    return argoDag(reference);
  }

  private static String global(Reference reference) {
    if (reference instanceof RunName) {
      return "{{workflow.name}}";
    } else if (reference instanceof RunStatus) {
      return "{{workflow.status}}";
    } else if (reference instanceof ScheduleTime || reference instanceof ScheduleDate) {
      // Only a schedule's params may say them (the validator's rule): see argoSchedule.
      return argoSchedule(reference, null);
    }
    throw new IllegalArgumentException("no Argo form for " + reference);
  }
}
