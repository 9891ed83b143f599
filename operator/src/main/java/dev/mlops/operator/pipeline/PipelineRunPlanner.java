package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRules;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.PipelineRunStatus;
import dev.mlops.operator.api.v1alpha1.PipelineTask;
import dev.mlops.operator.api.v1alpha1.PipelineTaskStatus;
import dev.mlops.operator.argo.Argo;
import dev.mlops.operator.argo.Arguments;
import dev.mlops.operator.argo.NodeStatus;
import dev.mlops.operator.argo.Parameter;
import dev.mlops.operator.argo.Workflow;
import dev.mlops.operator.argo.WorkflowSpec;
import dev.mlops.operator.argo.WorkflowStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.Owners;
import dev.mlops.operator.common.Times;
import dev.mlops.operator.kind.KindPlan;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A PipelineRun's plan, pure. Before its Workflow exists: wait for Argo and a valid, compiled
 * Pipeline; refuse params of the wrong type (Failed, no Workflow); else create the one Workflow,
 * carrying every param's value. After: mirror the Workflow's phase, times, message and each task's
 * node. A finished run is left as it is: it never runs again.
 */
public final class PipelineRunPlanner {

  private PipelineRunPlanner() {}

  public static final String COND_VALID = PipelinePlanner.COND_VALID;
  public static final String COND_ARGO = PipelinePlanner.COND_ARGO;
  public static final String COND_SUCCEEDED = "Succeeded";
  /** The status entry of the exit handler among the tasks (task names are lowercase, so it cannot clash). */
  public static final String EXIT_TASK = "onExit";
  /** Phases a run never leaves: Argo's ends, and Invalid (a run's spec is immutable, so it cannot be fixed). */
  private static final Set<String> FINISHED = Set.of(Argo.SUCCEEDED, Argo.FAILED, Argo.ERROR, Conditions.INVALID_PHASE);
  private static final Set<String> TASK_DONE = Set.of(Argo.SUCCEEDED, Argo.FAILED, Argo.ERROR, Argo.SKIPPED, Argo.OMITTED);

  public record Observed(ArgoAvailability.Answer argo, Optional<Pipeline> pipeline, Optional<Workflow> workflow) {}

  public record Plan(PipelineRunStatus status, Optional<Workflow> create, List<KindPlan.KindEvent> events,
      boolean recheckArgo) {}

  /** What the API server checks of a run itself (name, pipelineRef), for render and a server that does not. */
  public static List<String> validate(PipelineRun run) {
    List<String> errors = new ArrayList<>();
    String name = run.getMetadata().getName();
    if (name == null || !name.matches("^[a-z]([-a-z0-9]*[a-z0-9])?$") || name.length() > 63) {
      errors.add(PipelineRules.RUN_NAME + " (got '" + name + "')");
    }
    if (run.getSpec() == null || run.getSpec().getPipelineRef() == null || run.getSpec().getPipelineRef().isBlank()) {
      errors.add("spec.pipelineRef is required: the name of a Pipeline of the run's namespace");
    }
    return errors;
  }

  /** Whether {@code wf} is the Workflow this run created: the run (by uid) is its controller. */
  static boolean createdBy(Workflow wf, PipelineRun run) {
    String uid = run.getMetadata().getUid();
    return wf.getMetadata().getOwnerReferences() != null && wf.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && Objects.equals(uid, o.getUid()));
  }

  public static boolean finished(PipelineRun run) {
    return run.getStatus() != null && FINISHED.contains(run.getStatus().getPhase());
  }

  public static Plan plan(PipelineRun run, Observed observed, Instant now) {
    Plan plan = planWithoutReason(run, observed, now);
    if (plan.status() != run.getStatus()) {
      plan.status().setReason(Conditions.leadingReason(plan.status().getConditions(), COND_VALID, COND_ARGO,
          COND_SUCCEEDED));
    }
    return plan;
  }

  private static Plan planWithoutReason(PipelineRun run, Observed observed, Instant now) {
    PipelineRunStatus before = run.getStatus() == null ? new PipelineRunStatus() : run.getStatus();
    if (finished(run)) {
      return new Plan(before, Optional.empty(), List.of(), false);
    }
    PipelineRunStatus status = copy(before);
    Long generation = run.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    String nowText = Times.format(now);
    List<KindPlan.KindEvent> events = new ArrayList<>();
    List<String> invalid = validate(run);
    if (!invalid.isEmpty()) {
      String message = String.join("; ", invalid);
      Conditions.set(status.getConditions(), COND_VALID, Conditions.FALSE, Conditions.INVALID_SPEC, message, generation,
          nowText);
      status.setPhase(Conditions.INVALID_PHASE);
      status.setMessage(message);
      status.setFinishedAt(nowText);
      events.add(new KindPlan.KindEvent("Warning", "InvalidSpec", message));
      return new Plan(status, Optional.empty(), events, false);
    }
    String pipelineName = run.getSpec().getPipelineRef();
    // A Workflow of the run's name that this run did not create (an earlier run of the same name, deleted
    // and applied again, or anyone's) is never mirrored, nor taken for this run's.
    Optional<Workflow> foreign = observed.workflow().filter(wf -> !createdBy(wf, run));
    if (status.getWorkflow() != null) {
      if (!observed.argo().available()) {
        // Argo's CRDs could not be read (a refused or failed look-up): nothing is known of the Workflow, and a
        // Workflow not looked for is not a Workflow deleted.
        return new Plan(before, Optional.empty(), List.of(), true);
      }
      Optional<Workflow> own = observed.workflow().filter(wf -> createdBy(wf, run));
      if (own.isEmpty() && Argo.PENDING.equals(before.getPhase()) && before.getStartedAt() == null) {
        // Never seen: its create may have been refused (a quota, a webhook, a timeout). Asked again; a create
        // that had succeeded is "already exists", which is done.
        return new Plan(before, Optional.of(workflow(run, pipelineName, before.getParams())), List.of(), false);
      }
      mirror(run, status, own, events, generation, nowText);
      return new Plan(status, Optional.empty(), events, false);
    }
    if (foreign.isPresent()) {
      String wf = foreign.get().getMetadata().getName();
      status.setPhase(Argo.PENDING);
      if (foreign.get().getMetadata().getDeletionTimestamp() != null) {
        status.setMessage("Waiting for Workflow " + wf + " of an earlier PipelineRun of this name to be deleted.");
        return new Plan(status, Optional.empty(), events, false);
      }
      waiting(status, before, events, "WorkflowNameTaken", "Workflow " + wf + " exists and was not created by this"
          + " PipelineRun: delete it (or name the run differently); the run starts then", generation, nowText);
      return new Plan(status, Optional.empty(), events, false);
    }
    status.setPhase(Argo.PENDING);
    // What the run itself gets wrong (its Pipeline, its params) is said first, Argo installed or not: a missing
    // dependency is never blamed for a wrong spec.
    ArgoAvailability.Answer argo = observed.argo();
    Conditions.set(status.getConditions(), COND_ARGO, argo.available() ? Conditions.TRUE : Conditions.FALSE,
        argo.reason(), argo.message(), generation, nowText);
    boolean waitForArgo = !argo.available();
    if (observed.pipeline().isEmpty()) {
      String message = "Pipeline " + pipelineName + " (spec.pipelineRef) is not in namespace "
          + run.getMetadata().getNamespace() + ": create it, the run starts then";
      waiting(status, before, events, "PipelineNotFound", message, generation, nowText);
      return new Plan(status, Optional.empty(), events, waitForArgo);
    }
    Pipeline pipeline = observed.pipeline().get();
    List<String> pipelineErrors = PipelineValidator.validate(pipeline.getMetadata().getName(), pipeline.getSpec());
    if (!pipelineErrors.isEmpty()) {
      waiting(status, before, events, "PipelineInvalid", "Pipeline " + pipelineName + " is invalid (fix it and the run"
          + " starts): " + String.join("; ", pipelineErrors), generation, nowText);
      return new Plan(status, Optional.empty(), events, waitForArgo);
    }
    PipelineParams.Resolved params = PipelineParams.resolve(pipeline.getSpec().getParams(), run.getSpec().getParams());
    List<String> problems = new ArrayList<>(params.problems());
    if (problems.isEmpty()) {
      problems.addAll(usable(pipeline, params.values()));
    }
    if (!problems.isEmpty()) {
      String message = "Params do not match Pipeline " + pipelineName + ": " + String.join("; ", problems);
      Conditions.set(status.getConditions(), COND_VALID, Conditions.FALSE, "InvalidParams", message, generation, nowText);
      Conditions.set(status.getConditions(), COND_SUCCEEDED, Conditions.FALSE, "InvalidParams", message, generation,
          nowText);
      status.setPhase(Conditions.INVALID_PHASE);
      status.setMessage(message + ". No Workflow was created; create a new PipelineRun with fixed params.");
      status.setFinishedAt(nowText);
      events.add(new KindPlan.KindEvent("Warning", "InvalidParams", message));
      return new Plan(status, Optional.empty(), events, false);
    }
    if (waitForArgo) {
      Conditions.set(status.getConditions(), COND_VALID, Conditions.TRUE, "ParamsValid", "The params match Pipeline "
          + pipelineName + ".", generation, nowText);
      status.setMessage("Waiting for Argo Workflows: " + argo.message());
      return new Plan(status, Optional.empty(), events, true);
    }
    boolean compiled = pipeline.getStatus() != null && PipelinePlanner.READY.equals(pipeline.getStatus().getPhase())
        && Objects.equals(pipeline.getStatus().getObservedGeneration(), pipeline.getMetadata().getGeneration());
    if (!compiled) {
      waiting(status, before, events, "PipelineNotCompiled", "Waiting for Pipeline " + pipelineName + " to be compiled"
          + " to its WorkflowTemplate (status.phase Ready for its generation)", generation, nowText);
      Conditions.set(status.getConditions(), COND_VALID, Conditions.TRUE, "ParamsValid", "The params match Pipeline "
          + pipelineName + ".", generation, nowText);
      return new Plan(status, Optional.empty(), events, false);
    }
    Workflow workflow = workflow(run, pipeline, params.values());
    Conditions.set(status.getConditions(), COND_VALID, Conditions.TRUE, "ParamsValid", "The params match Pipeline "
        + pipelineName + ".", generation, nowText);
    Conditions.set(status.getConditions(), COND_SUCCEEDED, Conditions.UNKNOWN, "WorkflowCreated", "Workflow "
        + workflow.getMetadata().getName() + " created from WorkflowTemplate " + pipelineName + ".", generation, nowText);
    status.setWorkflow(workflow.getMetadata().getName());
    status.setPipelineGeneration(pipeline.getMetadata().getGeneration());
    status.setParams(params.values());
    status.setMessage("Workflow " + workflow.getMetadata().getName() + " created; waiting for Argo to start it.");
    List<PipelineTaskStatus> tasks = new ArrayList<>();
    for (PipelineTask task : pipeline.getSpec().getTasks()) {
      PipelineTaskStatus t = new PipelineTaskStatus();
      t.setName(task.getName());
      t.setPhase(Argo.PENDING);
      if (task.getTrainingJob() != null) {
        t.setTrainingJob(PipelineCompiler.trainingJobName(workflow.getMetadata().getName(), task));
      }
      tasks.add(t);
    }
    if (pipeline.getSpec().getOnExit() != null) {
      PipelineTaskStatus t = new PipelineTaskStatus();
      t.setName(EXIT_TASK);
      t.setPhase(Argo.PENDING);
      tasks.add(t);
    }
    status.setTasks(tasks);
    status.setProgress("0/" + pipeline.getSpec().getTasks().size());
    events.add(new KindPlan.KindEvent("Normal", "WorkflowCreated", "Created Workflow " + workflow.getMetadata().getName()
        + " from Pipeline " + pipelineName + " (generation " + pipeline.getMetadata().getGeneration() + ")."));
    return new Plan(status, Optional.of(workflow), events, false);
  }

  private static void waiting(PipelineRunStatus status, PipelineRunStatus before, List<KindPlan.KindEvent> events,
      String reason, String message, Long generation, String now) {
    if (!"PipelineNotCompiled".equals(reason)) {
      if (!Conditions.says(before.getConditions(), COND_VALID, reason, message)) {
        events.add(new KindPlan.KindEvent("Warning", reason, message));
      }
      Conditions.set(status.getConditions(), COND_VALID, Conditions.FALSE, reason, message, generation, now);
    }
    status.setMessage(message);
  }

  /**
   * What a param's type does not say but its use does: a param a task maps over is a JSON list (Argo's
   * withParam refuses anything else, after the Workflow started); a param that goes into a training task's
   * TrainingJob has no double quote, backslash or line break (Argo pastes it into the manifest's YAML text).
   */
  static List<String> usable(Pipeline pipeline, Map<String, String> values) {
    List<String> problems = new ArrayList<>();
    for (PipelineTask task : pipeline.getSpec().getTasks()) {
      if (task.getMap() != null && task.getMap().getFromParam() != null) {
        String name = task.getMap().getFromParam();
        String value = values.get(name);
        if (value != null && !PipelineParams.isJsonList(value)) {
          problems.add("params." + name + ": '" + value + "' is not a JSON list, and task " + task.getName()
              + " maps over it");
        }
      }
      if (task.getTrainingJob() != null && task.getTrainingJob().getSpec() != null) {
        java.util.Set<String> used = new java.util.TreeSet<>();
        PipelineReferences.replace(task.getTrainingJob().getSpec().toString(), r -> {
          if (r instanceof PipelineReferences.Param p) {
            used.add(p.name());
          }
          return "";
        });
        for (String name : used) {
          String value = values.get(name);
          if (value != null && value.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
            problems.add("params." + name + ": '" + value + "' cannot go into training task " + task.getName()
                + " (no double quotes, backslashes or line breaks in a TrainingJob's text)");
          }
        }
      }
    }
    return problems;
  }

  /** The one Workflow of a run: named after it, owned by it, from the Pipeline's WorkflowTemplate, with every param. */
  public static Workflow workflow(PipelineRun run, Pipeline pipeline, Map<String, String> params) {
    return workflow(run, pipeline.getMetadata().getName(), params);
  }

  static Workflow workflow(PipelineRun run, String pipelineName, Map<String, String> params) {
    Workflow wf = new Workflow();
    Map<String, String> labels = Labels.forChild("pipelinerun", run.getMetadata().getName());
    labels.put(PipelineCompiler.PIPELINE_LABEL, pipelineName);
    wf.setMetadata(new ObjectMetaBuilder().withName(run.getMetadata().getName()).withNamespace(run.getMetadata().getNamespace())
        .withLabels(labels).withOwnerReferences(Owners.controller(run)).build());
    WorkflowSpec spec = new WorkflowSpec();
    spec.setWorkflowTemplateRef(new WorkflowSpec.WorkflowTemplateRef(pipelineName));
    List<Parameter> parameters = new ArrayList<>();
    (params == null ? Map.<String, String>of() : params).forEach((name, value) -> parameters.add(Parameter.named(name,
        value)));
    spec.setArguments(parameters.isEmpty() ? null : new Arguments(parameters));
    wf.setSpec(spec);
    return wf;
  }

  private static void mirror(PipelineRun run, PipelineRunStatus status, Optional<Workflow> observed,
      List<KindPlan.KindEvent> events, Long generation, String now) {
    if (observed.isEmpty()) {
      String message = "Workflow " + status.getWorkflow() + " was deleted before it finished; the run is not restarted"
          + " (create a new PipelineRun to run again).";
      status.setPhase(Argo.ERROR);
      status.setMessage(message);
      status.setFinishedAt(now);
      Conditions.set(status.getConditions(), COND_SUCCEEDED, Conditions.FALSE, "WorkflowDeleted", message, generation, now);
      events.add(new KindPlan.KindEvent("Warning", "WorkflowDeleted", message));
      return;
    }
    Workflow wf = observed.get();
    WorkflowStatus ws = wf.getStatus() == null ? new WorkflowStatus() : wf.getStatus();
    String phase = ws.getPhase() == null || ws.getPhase().isEmpty() ? Argo.PENDING : ws.getPhase();
    boolean done = FINISHED.contains(phase);
    status.setPhase(phase);
    status.setStartedAt(ws.getStartedAt());
    status.setFinishedAt(done ? (ws.getFinishedAt() == null ? now : ws.getFinishedAt()) : null);
    Map<String, NodeStatus> nodes = ws.getNodes() == null ? Map.of() : ws.getNodes();
    Map<String, NodeStatus> byName = new LinkedHashMap<>();
    nodes.values().forEach(n -> {
      if (n.getName() != null) {
        byName.put(n.getName(), n);
      }
    });
    List<PipelineTaskStatus> tasks = new ArrayList<>();
    int finished = 0;
    int total = 0;
    for (PipelineTaskStatus recorded : status.getTasks() == null ? List.<PipelineTaskStatus>of() : status.getTasks()) {
      boolean exit = EXIT_TASK.equals(recorded.getName());
      NodeStatus node = byName.get(wf.getMetadata().getName() + "." + recorded.getName());
      PipelineTaskStatus t = task(recorded, node, nodes, done);
      tasks.add(t);
      if (!exit) {
        total++;
        if (TASK_DONE.contains(t.getPhase())) {
          finished++;
        }
      }
    }
    status.setTasks(tasks);
    status.setProgress(finished + "/" + total);
    String message = ws.getMessage();
    if (message == null || message.isEmpty()) {
      List<String> running = tasks.stream().filter(t -> Argo.RUNNING.equals(t.getPhase())).map(PipelineTaskStatus::getName)
          .toList();
      List<String> failed = tasks.stream().filter(t -> Argo.FAILED.equals(t.getPhase()) || Argo.ERROR.equals(t.getPhase()))
          .map(PipelineTaskStatus::getName).toList();
      message = switch (phase) {
        case Argo.SUCCEEDED -> "All tasks finished.";
        case Argo.RUNNING -> running.isEmpty() ? "Running." : "Running: " + String.join(", ", running) + ".";
        case Argo.FAILED, Argo.ERROR -> "Workflow " + wf.getMetadata().getName() + " ended " + phase
            + (failed.isEmpty() ? "." : "; failed: " + String.join(", ", failed) + " (see tasks[].message).");
        default -> "Waiting for Argo to start Workflow " + wf.getMetadata().getName() + ".";
      };
    }
    status.setMessage(message);
    String before = run.getStatus() == null ? null : run.getStatus().getPhase();
    if (done) {
      boolean ok = Argo.SUCCEEDED.equals(phase);
      Conditions.set(status.getConditions(), COND_SUCCEEDED, ok ? Conditions.TRUE : Conditions.FALSE, phase, message,
          generation, now);
      if (!phase.equals(before)) {
        events.add(new KindPlan.KindEvent(ok ? "Normal" : "Warning", ok ? "Succeeded" : "Failed",
            "PipelineRun " + phase.toLowerCase(java.util.Locale.ROOT) + ": " + message));
      }
    } else {
      Conditions.set(status.getConditions(), COND_SUCCEEDED, Conditions.UNKNOWN, phase, message, generation, now);
    }
  }

  private static PipelineTaskStatus task(PipelineTaskStatus recorded, NodeStatus node, Map<String, NodeStatus> nodes,
      boolean workflowDone) {
    PipelineTaskStatus t = new PipelineTaskStatus();
    t.setName(recorded.getName());
    t.setTrainingJob(recorded.getTrainingJob());
    if (node == null) {
      t.setPhase(workflowDone ? Argo.OMITTED : Argo.PENDING);
      return t;
    }
    t.setPhase(node.getPhase() == null || node.getPhase().isEmpty() ? Argo.PENDING : node.getPhase());
    t.setStartedAt(node.getStartedAt());
    t.setFinishedAt(node.getFinishedAt());
    t.setMessage(node.getMessage() == null || node.getMessage().isEmpty() ? null : node.getMessage());
    List<NodeStatus> children = node.getChildren() == null ? List.of()
        : node.getChildren().stream().map(nodes::get).filter(Objects::nonNull).toList();
    if ("Retry".equals(node.getType())) {
      t.setAttempts(children.size());
    }
    if ("TaskGroup".equals(node.getType())) {
      long done = children.stream().filter(c -> TASK_DONE.contains(c.getPhase())).count();
      t.setItems(done + "/" + children.size());
    }
    Boolean hit = node.getMemoizationStatus() == null ? null : node.getMemoizationStatus().getHit();
    if (hit == null && "TaskGroup".equals(node.getType()) && !children.isEmpty()
        && children.stream().allMatch(c -> c.getMemoizationStatus() != null)) {
      hit = children.stream().allMatch(c -> Boolean.TRUE.equals(c.getMemoizationStatus().getHit()));
    }
    t.setCacheHit(hit);
    Arguments outputs = node.getOutputs();
    if (outputs != null && outputs.getParameters() != null && !outputs.getParameters().isEmpty()) {
      Map<String, String> values = new LinkedHashMap<>();
      outputs.getParameters().forEach(p -> values.put(p.getName(), p.getValue()));
      t.setOutputs(values);
    }
    return t;
  }

  private static PipelineRunStatus copy(PipelineRunStatus s) {
    PipelineRunStatus c = new PipelineRunStatus();
    c.setPhase(s.getPhase());
    c.setReason(s.getReason());
    c.setWorkflow(s.getWorkflow());
    c.setPipelineGeneration(s.getPipelineGeneration());
    c.setParams(s.getParams());
    c.setProgress(s.getProgress());
    c.setStartedAt(s.getStartedAt());
    c.setFinishedAt(s.getFinishedAt());
    c.setMessage(s.getMessage());
    c.setTasks(s.getTasks());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setConditions(new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions()));
    return c;
  }
}
