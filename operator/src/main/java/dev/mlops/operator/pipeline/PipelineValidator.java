package dev.mlops.operator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.operator.api.v1alpha1.PipelineContainer;
import dev.mlops.operator.api.v1alpha1.PipelineParam;
import dev.mlops.operator.api.v1alpha1.PipelineRules;
import dev.mlops.operator.api.v1alpha1.PipelineSchedule;
import dev.mlops.operator.api.v1alpha1.PipelineSpec;
import dev.mlops.operator.api.v1alpha1.PipelineTask;
import dev.mlops.operator.api.v1alpha1.TaskOutput;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobRules;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.pipeline.PipelineReferences.Found;
import dev.mlops.operator.pipeline.PipelineReferences.Item;
import dev.mlops.operator.pipeline.PipelineReferences.Output;
import dev.mlops.operator.pipeline.PipelineReferences.Param;
import dev.mlops.operator.pipeline.PipelineReferences.Reference;
import dev.mlops.operator.pipeline.PipelineReferences.RunStatus;
import dev.mlops.operator.pipeline.PipelineReferences.ScheduleDate;
import dev.mlops.operator.pipeline.PipelineReferences.ScheduleTime;
import dev.mlops.operator.manifest.StructuralSchema;
import dev.mlops.operator.manifest.YamlTree;
import dev.mlops.operator.trainingjob.TrainingJobKind;
import dev.mlops.operator.trainingjob.TrainingJobValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Everything about a Pipeline's spec that must hold before anything runs, each problem naming its
 * field and value: names, dependencies (unknown, cycles), references (unknown params, tasks and
 * outputs, an output of a task that does not run first, {{item}} outside a map), param defaults
 * against their types, the trainingJob tasks' specs, cron and time zones, schedule params.
 */
public final class PipelineValidator {

  private PipelineValidator() {}

  /** Whole numbers as Longs, the way the manifest reader (and its schema check) has them. */
  private static final com.fasterxml.jackson.databind.ObjectMapper AS_READ = Serialization.jsonMapper().copy()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);

  public static List<String> validate(String name, PipelineSpec spec) {
    List<String> errors = new ArrayList<>();
    if (name == null || !name.matches("^[a-z]([-a-z0-9]*[a-z0-9])?$") || name.length() > PipelineRules.MAX_PIPELINE_NAME) {
      errors.add(PipelineRules.PIPELINE_NAME + " (got '" + name + "')");
    }
    if (spec == null) {
      errors.add("spec is required");
      return errors;
    }
    Map<String, PipelineParam> params = params(spec, errors);
    List<PipelineTask> tasks = spec.getTasks() == null ? List.of() : spec.getTasks();
    if (tasks.isEmpty()) {
      errors.add("spec.tasks: a pipeline needs at least one task");
    }
    Map<String, PipelineTask> byName = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      PipelineTask task = tasks.get(i);
      if (task.getName() == null) {
        errors.add("spec.tasks[" + i + "].name is required");
      } else if (byName.putIfAbsent(task.getName(), task) != null) {
        errors.add("spec.tasks[" + i + "].name: duplicate task name '" + task.getName() + "'");
      }
    }
    for (int i = 0; i < tasks.size(); i++) {
      PipelineTask task = tasks.get(i);
      for (String dep : task.getDependsOn() == null ? List.<String>of() : task.getDependsOn()) {
        if (!byName.containsKey(dep)) {
          errors.add("spec.tasks[" + i + "].dependsOn: unknown task '" + dep + "'" + known(byName.keySet()));
        } else if (dep.equals(task.getName())) {
          errors.add("spec.tasks[" + i + "].dependsOn: task '" + dep + "' depends on itself");
        }
      }
    }
    Optional<List<String>> cycle = cycle(byName);
    cycle.ifPresent(c -> errors.add("spec.tasks: dependency cycle " + (c.size() <= 12 ? String.join(" -> ", c)
        + " (each depends on the next)" : String.join(" -> ", c.subList(0, 5)) + " -> ... -> "
        + String.join(" -> ", c.subList(c.size() - 3, c.size())) + " (each depends on the next; " + (c.size() - 1) + " tasks)")));
    Upstream upstream = new Upstream(byName);
    for (int i = 0; i < tasks.size(); i++) {
      task(spec, i, tasks.get(i), params, byName, upstream, cycle.isEmpty(), errors);
    }
    if (spec.getOnExit() != null && spec.getOnExit().getContainer() != null) {
      references(spec.getOnExit().getContainer(), "spec.onExit.container", (field, found) -> {
        Reference r = found.reference();
        if (r instanceof Param p) {
          checkParam(field, found, p, params, errors);
        } else if (r instanceof Output || r instanceof Item || r instanceof ScheduleDate || r instanceof ScheduleTime
            || r == null) {
          errors.add(field + ": " + found.text() + " cannot be used in the exit handler (it has params, {{run.name}} and"
              + " {{run.status}})");
        }
      });
    }
    schedules(spec, params, errors);
    volumesAndRedis(spec, errors);
    return errors;
  }

  private static Map<String, PipelineParam> params(PipelineSpec spec, List<String> errors) {
    Map<String, PipelineParam> params = new LinkedHashMap<>();
    List<PipelineParam> list = spec.getParams() == null ? List.of() : spec.getParams();
    for (int i = 0; i < list.size(); i++) {
      PipelineParam param = list.get(i);
      String field = "spec.params[" + i + "]";
      if (param.getName() == null || !param.getName().matches(PipelineRules.IDENTIFIER_PATTERN)) {
        errors.add(field + ".name must be an identifier (letters, digits, _; not starting with a digit), got '"
            + param.getName() + "'");
        continue;
      }
      if (params.putIfAbsent(param.getName(), param) != null) {
        errors.add(field + ".name: duplicate param '" + param.getName() + "'");
        continue;
      }
      String type = PipelineParams.type(param);
      if (!List.of(PipelineParams.STRING, PipelineParams.INT, PipelineParams.FLOAT, PipelineParams.BOOL,
          PipelineParams.JSON).contains(type)) {
        errors.add(PipelineRules.PARAM_TYPE + " (got " + field + ".type '" + type + "')");
        continue;
      }
      if (param.getEnumValues() != null) {
        PipelineParam untyped = new PipelineParam();
        untyped.setType(type);
        for (int j = 0; j < param.getEnumValues().size(); j++) {
          String value = param.getEnumValues().get(j);
          PipelineParams.problem(untyped, value).ifPresent(p -> errors.add(field + ".enum: " + p));
        }
      }
      if (param.getDefaultValue() != null) {
        PipelineParams.problem(param, param.getDefaultValue())
            .ifPresent(p -> errors.add(field + ".default of param " + param.getName() + ": " + p));
      }
    }
    return params;
  }

  private static void task(PipelineSpec spec, int i, PipelineTask task, Map<String, PipelineParam> params,
      Map<String, PipelineTask> tasks, Upstream upstream, boolean acyclic, List<String> errors) {
    String field = "spec.tasks[" + i + "]";
    String name = task.getName();
    if (name != null && (!name.matches("^[a-z]([-a-z0-9]*[a-z0-9])?$") || name.length() > 40)) {
      errors.add(field + ".name must be a DNS-1035 label of at most 40 characters, got '" + name + "'");
    }
    boolean training = task.getTrainingJob() != null;
    if ((task.getContainer() == null) == !training) {
      errors.add(PipelineRules.ONE_KIND + " (got " + (training ? "both" : "neither") + " in " + field + ")");
      return;
    }
    if (task.getRetries() != null && task.getRetries().getPolicy() != null
        && !List.of("Always", "OnFailure", "OnError", "OnTransientError").contains(task.getRetries().getPolicy())) {
      errors.add(PipelineRules.RETRY_POLICY + " (got " + field + ".retries.policy '" + task.getRetries().getPolicy() + "')");
    }
    Set<String> outputs = new HashSet<>();
    if (task.getOutputs() != null) {
      for (int j = 0; j < task.getOutputs().size(); j++) {
        TaskOutput output = task.getOutputs().get(j);
        if (output.getName() != null && !outputs.add(output.getName())) {
          errors.add(field + ".outputs[" + j + "].name: duplicate output '" + output.getName() + "'");
        }
        if (output.getPath() == null || !output.getPath().startsWith("/")) {
          errors.add(PipelineRules.OUTPUT_PATH + " (got " + field + ".outputs[" + j + "].path '" + output.getPath() + "')");
        }
      }
    }
    if (training) {
      for (String[] unsupported : new String[][] {{"map", task.getMap() == null ? null : "x"},
          {"retries", task.getRetries() == null ? null : "x"}, {"cache", task.getCache() == null ? null : "x"},
          {"outputs", task.getOutputs() == null || task.getOutputs().isEmpty() ? null : "x"}}) {
        if (unsupported[1] != null) {
          errors.add(field + "." + unsupported[0] + " is not supported on a trainingJob task" + ("retries".equals(
              unsupported[0]) ? ": a TrainingJob restarts its workers itself (trainingJob.spec.runPolicy)" : ""));
        }
      }
      trainingSpec(spec, field, task.getTrainingJob().getSpec(), errors);
    }
    Predicate<String> ancestors = other -> upstream.reaches(name, other);
    BiConsumer<String, Found> check = (where, found) -> reference(where, found, task, params, tasks, ancestors, acyclic,
        errors);
    if (task.getContainer() != null) {
      references(task.getContainer(), field + ".container", check);
    } else if (task.getTrainingJob().getSpec() != null) {
      JsonNode tree = Serialization.jsonMapper().valueToTree(task.getTrainingJob().getSpec());
      strings(tree, field + ".trainingJob.spec", (where, text) -> PipelineReferences.find(text)
          .forEach(f -> check.accept(where, f)));
    }
    if (task.getWhen() != null) {
      if (task.getWhen().isBlank()) {
        errors.add(field + ".when is empty");
      }
      PipelineReferences.find(task.getWhen()).forEach(f -> check.accept(field + ".when", f));
    }
    if (task.getMap() != null) {
      var map = task.getMap();
      int given = (map.getFromParam() == null ? 0 : 1) + (map.getItems() == null ? 0 : 1) + (map.getFromOutput() == null ? 0 : 1);
      if (given != 1) {
        errors.add(PipelineRules.MAP_ONE + " (got " + given + " in " + field + ".map)");
      } else if (map.getFromParam() != null) {
        PipelineParam param = params.get(map.getFromParam());
        if (param == null) {
          errors.add(field + ".map.fromParam: unknown param '" + map.getFromParam() + "'" + known(params.keySet()));
        } else if (!PipelineParams.JSON.equals(PipelineParams.type(param))) {
          errors.add(field + ".map.fromParam: param '" + map.getFromParam() + "' must be of type json (a list), it is "
              + PipelineParams.type(param));
        } else if (param.getDefaultValue() != null && PipelineParams.parseJson(param.getDefaultValue()).isPresent()
            && !PipelineParams.isJsonList(param.getDefaultValue())) {
          errors.add(field + ".map.fromParam: the default of param '" + map.getFromParam() + "' must be a JSON list,"
              + " got '" + param.getDefaultValue() + "'");
        }
      } else if (map.getFromOutput() != null) {
        String[] parts = map.getFromOutput().split("\\.", -1);
        if (parts.length != 2) {
          errors.add(field + ".map.fromOutput must be <task>.<output>, got '" + map.getFromOutput() + "'");
        } else {
          outputReference(field + ".map.fromOutput", "'" + map.getFromOutput() + "'", new Output(parts[0], parts[1]), task,
              tasks, ancestors, acyclic, errors);
        }
      } else if (map.getItems().isEmpty()) {
        errors.add(field + ".map.items is empty: the task would run zero times");
      }
    }
  }

  /**
   * A trainingJob task's spec as the API server and the TrainingJob controller will check it: the
   * TrainingJob CRD's schema (types, unknown fields, patterns), then its rules, references read as
   * plain text.
   */
  private static void trainingSpec(PipelineSpec pipeline, String field, JsonNode spec, List<String> errors) {
    String where = field + ".trainingJob.spec";
    if (spec == null || !spec.isObject()) {
      errors.add(where + " is required: a TrainingJob's spec (an object)");
      return;
    }
    Object tree = AS_READ.convertValue(Map.of("spec", spec), Object.class);
    List<StructuralSchema.Violation> violations = TrainingJobKind.RESOURCE.schema().validate(tree, new YamlTree.SourceLines());
    for (StructuralSchema.Violation v : violations) {
      errors.add(field + ".trainingJob." + v.path() + ": " + v.message());
    }
    if (!violations.isEmpty()) {
      return;
    }
    TrainingJobSpec typed = PipelineCompiler.trainingSpec(pipeline, PipelineCompiler.typed(spec));
    String text = PipelineReferences.replace(Serialization.asJson(typed), r -> "x");
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName("x").withNamespace("x").build());
    tj.setSpec(Serialization.unmarshal(text, TrainingJobSpec.class));
    for (String problem : TrainingJobValidator.validate(tj, Optional.empty())) {
      errors.add(problem.startsWith("spec.") ? field + ".trainingJob." + problem : where + ": " + problem);
    }
  }

  /**
   * spec.volumes and spec.redis, by the TrainingJob rules for the same fields (same paths, same
   * sentences): every task mounts and binds them as a TrainingJob's workers would.
   */
  private static void volumesAndRedis(PipelineSpec spec, List<String> errors) {
    if (spec.getVolumes() == null && spec.getRedis() == null) {
      return;
    }
    TrainingJobSpec only = new TrainingJobSpec();
    only.setImage("x");
    only.setNodes(1);
    only.setGpusPerNode(0);
    only.setVolumes(spec.getVolumes());
    only.setRedis(spec.getRedis());
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName("x").withNamespace("x").build());
    tj.setSpec(only);
    TrainingJobValidator.validate(tj, Optional.empty()).stream()
        .filter(e -> e.startsWith("spec.volumes") || e.startsWith("spec.redis") || e.startsWith(TrainingJobRules.MOUNT_PATH)
            || e.startsWith(TrainingJobRules.SUB_PATH))
        .forEach(errors::add);
  }

  private static void reference(String field, Found found, PipelineTask task, Map<String, PipelineParam> params,
      Map<String, PipelineTask> tasks, Predicate<String> ancestors, boolean acyclic, List<String> errors) {
    Reference r = found.reference();
    if (r instanceof Param p) {
      checkParam(field, found, p, params, errors);
    } else if (r instanceof Output o) {
      outputReference(field, found.text(), o, task, tasks, ancestors, acyclic, errors);
    } else if (r instanceof Item) {
      if (task.getMap() == null) {
        errors.add(field + ": {{item}} is only defined in a task with map");
      }
    } else if (r instanceof RunStatus) {
      errors.add(field + ": {{run.status}} is only defined in onExit");
    } else if (r instanceof ScheduleDate || r instanceof ScheduleTime) {
      errors.add(field + ": " + found.text() + " is only defined in spec.schedules[].params");
    } else if (r == null) {
      errors.add(field + ": unknown reference " + found.text() + " (use {{params.<name>}}, {{tasks.<task>.outputs.<name>}},"
          + " {{item}} or {{run.name}})");
    }
  }

  private static void checkParam(String field, Found found, Param p, Map<String, PipelineParam> params, List<String> errors) {
    if (!params.containsKey(p.name())) {
      errors.add(field + ": " + found.text() + " names no param" + known(params.keySet()));
    }
  }

  private static void outputReference(String field, String text, Output o, PipelineTask task, Map<String, PipelineTask> tasks,
      Predicate<String> ancestors, boolean acyclic, List<String> errors) {
    PipelineTask source = tasks.get(o.task());
    if (source == null) {
      errors.add(field + ": " + text + " names unknown task '" + o.task() + "'" + known(tasks.keySet()));
    } else if (source.getOutputs() == null || source.getOutputs().stream().noneMatch(x -> o.output().equals(x.getName()))) {
      List<String> names = source.getOutputs() == null ? List.of()
          : source.getOutputs().stream().map(TaskOutput::getName).toList();
      errors.add(field + ": " + text + ": task '" + o.task() + "' has no output '" + o.output() + "'"
          + (names.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", names) + ")"));
    } else if (acyclic && !ancestors.test(o.task())) {
      errors.add(field + ": " + text + ": task '" + task.getName() + "' must depend on '" + o.task()
          + "' (directly or through dependsOn) to read its output");
    }
  }

  private static void schedules(PipelineSpec spec, Map<String, PipelineParam> params, List<String> errors) {
    List<PipelineSchedule> schedules = spec.getSchedules() == null ? List.of() : spec.getSchedules();
    for (int i = 0; i < schedules.size(); i++) {
      PipelineSchedule s = schedules.get(i);
      String field = "spec.schedules[" + i + "]";
      if (s.getCron() == null || s.getCron().isBlank()) {
        errors.add(field + ".cron is required");
      } else {
        CronSyntax.problem(s.getCron()).ifPresent(p -> errors.add(field + ".cron: " + p));
      }
      if (s.getTimezone() != null) {
        CronSyntax.zoneProblem(s.getTimezone()).ifPresent(p -> errors.add(field + ".timezone: " + p));
      }
      Map<String, String> given = s.getParams() == null ? Map.of() : s.getParams();
      for (Map.Entry<String, String> e : given.entrySet()) {
        PipelineParam param = params.get(e.getKey());
        String where = field + ".params." + e.getKey();
        if (param == null) {
          errors.add(where + ": the pipeline has no param " + e.getKey() + known(params.keySet()));
          continue;
        }
        List<Found> refs = PipelineReferences.find(e.getValue());
        for (Found f : refs) {
          if (!(f.reference() instanceof ScheduleDate || f.reference() instanceof ScheduleTime)) {
            errors.add(where + ": " + f.text() + " cannot be used in a schedule (it has {{schedule.date}} and"
                + " {{schedule.time}})");
          }
        }
        if (refs.isEmpty()) {
          PipelineParams.problem(param, e.getValue()).ifPresent(p -> errors.add(where + ": " + p));
        } else if (!PipelineParams.STRING.equals(PipelineParams.type(param))) {
          errors.add(where + ": schedule variables give text; param " + e.getKey() + " is " + PipelineParams.type(param));
        }
      }
      for (PipelineParam param : params.values()) {
        if (param.getDefaultValue() == null && !given.containsKey(param.getName())) {
          errors.add(field + ".params: param " + param.getName() + " has no default, so the schedule must give it");
        }
      }
    }
    String policy = spec.getConcurrencyPolicy();
    if (policy != null && !List.of("Allow", "Forbid", "Replace").contains(policy)) {
      errors.add(PipelineRules.CONCURRENCY + " (got '" + policy + "')");
    }
  }

  /** Each text field of a container that may hold references, named by its path. */
  static void references(PipelineContainer c, String field, BiConsumer<String, Found> check) {
    BiConsumer<String, String> scan = (where, text) -> PipelineReferences.find(text).forEach(f -> check.accept(where, f));
    scan.accept(field + ".image", c.getImage());
    scan.accept(field + ".workingDir", c.getWorkingDir());
    each(c.getCommand(), field + ".command", scan);
    each(c.getArgs(), field + ".args", scan);
    if (c.getEnv() != null) {
      for (int i = 0; i < c.getEnv().size(); i++) {
        scan.accept(field + ".env[" + i + "].value", c.getEnv().get(i).getValue());
      }
    }
  }

  private static void each(List<String> list, String field, BiConsumer<String, String> scan) {
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        scan.accept(field + "[" + i + "]", list.get(i));
      }
    }
  }

  /** Every string of a JSON tree with its path. */
  static void strings(JsonNode node, String field, BiConsumer<String, String> visit) {
    if (node.isTextual()) {
      visit.accept(field, node.asText());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        strings(node.get(i), field + "[" + i + "]", visit);
      }
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> strings(e.getValue(), field + "." + e.getKey(), visit));
    }
  }

  /** A cycle of dependsOn, as task names from and back to one task, or empty. */
  static Optional<List<String>> cycle(Map<String, PipelineTask> tasks) {
    Map<String, Integer> state = new HashMap<>();
    for (String start : tasks.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      // Iterative depth-first search (a 1,000-task chain would overflow a recursive one's stack).
      Deque<String> path = new ArrayDeque<>();
      Deque<java.util.Iterator<String>> next = new ArrayDeque<>();
      path.push(start);
      next.push(deps(tasks, start).iterator());
      state.put(start, 1);
      while (!path.isEmpty()) {
        if (!next.peek().hasNext()) {
          state.put(path.pop(), 2);
          next.pop();
          continue;
        }
        String dep = next.peek().next();
        Integer s = state.get(dep);
        if (s == null) {
          state.put(dep, 1);
          path.push(dep);
          next.push(deps(tasks, dep).iterator());
        } else if (s == 1) {
          List<String> cycle = new ArrayList<>();
          List<String> stack = new ArrayList<>(path);
          java.util.Collections.reverse(stack);
          cycle.addAll(stack.subList(stack.indexOf(dep), stack.size()));
          cycle.add(dep);
          return Optional.of(cycle);
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> deps(Map<String, PipelineTask> tasks, String name) {
    PipelineTask task = tasks.get(name);
    return task == null || task.getDependsOn() == null ? List.of()
        : task.getDependsOn().stream().filter(tasks::containsKey).filter(d -> !d.equals(name)).toList();
  }

  /**
   * Which tasks a task depends on, directly or through others (the graph has no cycle when asked).
   * Asked once per output reference: a direct dependency (the usual case) is answered at once, any
   * other by a search up from the task, so a DAG of thousands of tasks is not charged for every
   * task's full ancestry (quadratic in time and memory).
   */
  static final class Upstream {
    private final Map<String, PipelineTask> tasks;

    Upstream(Map<String, PipelineTask> tasks) {
      this.tasks = tasks;
    }

    boolean reaches(String task, String ancestor) {
      List<String> direct = deps(tasks, task);
      if (direct.contains(ancestor)) {
        return true;
      }
      Set<String> seen = new HashSet<>(direct);
      Deque<String> next = new ArrayDeque<>(direct);
      while (!next.isEmpty()) {
        for (String dep : deps(tasks, next.pop())) {
          if (dep.equals(ancestor)) {
            return true;
          }
          if (seen.add(dep)) {
            next.push(dep);
          }
        }
      }
      return false;
    }
  }

  private static String known(Set<String> names) {
    if (names.isEmpty()) {
      return " (there are none)";
    }
    List<String> list = new ArrayList<>(names);
    return " (known: " + String.join(", ", list.size() > 10 ? list.subList(0, 10) : list) + (list.size() > 10 ? ", ..." : "")
        + ")";
  }
}
