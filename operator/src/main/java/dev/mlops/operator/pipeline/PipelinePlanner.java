package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineStatus;
import dev.mlops.operator.argo.Argo;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.Owners;
import dev.mlops.operator.common.Times;
import dev.mlops.operator.kind.KindPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Pipeline's plan, pure: valid or not (then nothing it compiled to is touched, so runs keep the
 * last good template), Argo installed or not, and the writes that bring the WorkflowTemplate, the
 * CronWorkflows and the cache ConfigMap to what the spec compiles to; none when they already are.
 */
public final class PipelinePlanner {

  private PipelinePlanner() {}

  public static final String COND_VALID = "Valid";
  public static final String COND_ARGO = "ArgoWorkflowsAvailable";
  public static final String COND_READY = "Ready";
  public static final String READY = "Ready";
  public static final String PENDING = "Pending";
  public static final String INVALID = "Invalid";

  /**
   * What the caches hold of the Pipeline's children; a WorkflowTemplate or CronWorkflow of a wanted
   * name the cache does not have is read from the server, so one that is not the Pipeline's is seen.
   *
   * @param argoNamespace where Argo's controller runs (its memoization ConfigMaps are there)
   * @param template      the WorkflowTemplate of the Pipeline's name, the Pipeline's or not
   * @param crons         the Pipeline's CronWorkflows, and any other of a name it wants
   * @param cache         the cache ConfigMap as Argo's namespace has it, read only when a task is cached
   */
  public record Observed(ArgoAvailability.Answer argo, String argoNamespace, Optional<WorkflowTemplate> template,
      List<CronWorkflow> crons, Optional<ConfigMap> cache) {}

  /** A child write. */
  public sealed interface Action permits Create, Update, Delete, Label {}

  public record Create(String what, HasMetadata child) implements Action {}

  /** Brings {@code observed} to {@code desired} in the fields the operator owns. */
  public record Update(HasMetadata observed, HasMetadata desired) implements Action {}

  public record Delete(HasMetadata child) implements Action {}

  public record Label(HasMetadata child, String key, String value) implements Action {}

  public record Plan(PipelineStatus status, List<Action> actions, List<KindPlan.KindEvent> events, boolean recheckArgo) {}

  public static Plan plan(Pipeline pipeline, Observed observed, Instant now) {
    Plan plan = planWithoutReason(pipeline, observed, now);
    plan.status().setReason(Conditions.leadingReason(plan.status().getConditions(), COND_VALID, COND_ARGO, COND_READY));
    return plan;
  }

  private static Plan planWithoutReason(Pipeline pipeline, Observed observed, Instant now) {
    PipelineStatus before = pipeline.getStatus() == null ? new PipelineStatus() : pipeline.getStatus();
    PipelineStatus status = new PipelineStatus();
    status.setConditions(new ArrayList<>(before.getConditions() == null ? List.of() : before.getConditions()));
    status.setWorkflowTemplate(before.getWorkflowTemplate());
    status.setCronWorkflow(before.getCronWorkflow());
    status.setCronWorkflows(before.getCronWorkflows());
    status.setCacheConfigMap(before.getCacheConfigMap());
    status.setLastScheduleTime(before.getLastScheduleTime());
    Long generation = pipeline.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    String nowText = Times.format(now);
    List<KindPlan.KindEvent> events = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    List<String> errors = PipelineValidator.validate(pipeline.getMetadata().getName(), pipeline.getSpec());
    if (!errors.isEmpty()) {
      String message = String.join("; ", errors);
      if (!Conditions.says(before.getConditions(), COND_VALID, "InvalidSpec", message)) {
        events.add(new KindPlan.KindEvent("Warning", "InvalidSpec", message));
      }
      Conditions.set(status.getConditions(), COND_VALID, Conditions.FALSE, "InvalidSpec", message, generation, nowText);
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, "InvalidSpec", "The spec is invalid; the"
          + " WorkflowTemplate (if any) is the last valid one: " + message, generation, nowText);
      status.setPhase(INVALID);
      return new Plan(status, actions, events, false);
    }
    Conditions.set(status.getConditions(), COND_VALID, Conditions.TRUE, "SpecValid", "The spec is valid.", generation,
        nowText);
    ArgoAvailability.Answer argo = observed.argo();
    if (!argo.available()) {
      Conditions.set(status.getConditions(), COND_ARGO, Conditions.FALSE, argo.reason(), argo.message(),
          generation, nowText);
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, argo.reason(),
          "Waiting for Argo Workflows: " + argo.message(), generation, nowText);
      status.setPhase(PENDING);
      return new Plan(status, actions, events, true);
    }
    Conditions.set(status.getConditions(), COND_ARGO, Conditions.TRUE, argo.reason(), argo.message(),
        generation, nowText);
    PipelineCompiler.Compiled compiled = PipelineCompiler.compile(pipeline, observed.argoNamespace());
    List<String> taken = new ArrayList<>();
    sync("WorkflowTemplate", pipeline, compiled.template(), observed.template(), actions, taken);
    List<String> cronNames = new ArrayList<>();
    for (CronWorkflow cron : compiled.cronWorkflows()) {
      cronNames.add(cron.getMetadata().getName());
      sync("CronWorkflow", pipeline, cron, observed.crons().stream()
          .filter(c -> c.getMetadata().getName().equals(cron.getMetadata().getName())).findFirst(), actions, taken);
    }
    // Schedules that were removed: their CronWorkflows go; the Workflows they started are orphaned, not deleted.
    observed.crons().stream().filter(c -> owned(c, pipeline) && !cronNames.contains(c.getMetadata().getName()))
        .forEach(c -> actions.add(new Delete(c)));
    if (!taken.isEmpty()) {
      // Someone else's object of a name the Pipeline needs: it is left alone, and nothing of the Pipeline
      // changes until its name is free (a run would start from the other object otherwise).
      actions.clear();
      String message = String.join("; ", taken) + ": delete or rename it; the Pipeline is compiled then.";
      if (!Conditions.says(before.getConditions(), COND_READY, NAME_TAKEN, message)) {
        events.add(new KindPlan.KindEvent("Warning", NAME_TAKEN, message));
      }
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, NAME_TAKEN, message, generation, nowText);
      status.setPhase(PENDING);
      return new Plan(status, actions, events, false);
    }
    compiled.cache().ifPresent(cache -> {
      // Created once and never rewritten: Argo writes the cached results into it. It has no owner (it is in
      // Argo's namespace): it stays when the Pipeline goes, as a cache, until it is deleted by hand.
      if (observed.cache().isEmpty()) {
        actions.add(new Create("cache ConfigMap", cache));
      } else if (!Argo.CONFIGMAP_TYPE_CACHE.equals(label(observed.cache().get(), Argo.CONFIGMAP_TYPE))) {
        actions.add(new Label(observed.cache().get(), Argo.CONFIGMAP_TYPE, Argo.CONFIGMAP_TYPE_CACHE));
      }
    });
    status.setWorkflowTemplate(compiled.template().getMetadata().getName());
    status.setCronWorkflow(cronNames.isEmpty() ? null : cronNames.get(0));
    status.setCronWorkflows(cronNames.isEmpty() ? null : cronNames);
    status.setCacheConfigMap(compiled.cache().map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())
        .orElse(null));
    status.setLastScheduleTime(observed.crons().stream()
        .map(c -> c.getStatus() == null ? null : c.getStatus().getLastScheduledTime()).filter(Objects::nonNull)
        .max(Comparator.naturalOrder()).orElse(null));
    String what = "WorkflowTemplate " + status.getWorkflowTemplate() + (cronNames.isEmpty() ? ""
        : " and CronWorkflow" + (cronNames.size() == 1 ? " " : "s ") + String.join(", ", cronNames));
    boolean inSync = actions.stream().noneMatch(a -> a instanceof Create c && !(c.child() instanceof ConfigMap)
        || a instanceof Update);
    if (inSync) {
      // Ready only once the server has what the spec compiles to: a run starts from this WorkflowTemplate.
      Conditions.set(status.getConditions(), COND_READY, Conditions.TRUE, "Compiled", what + " in sync with generation "
          + generation + ".", generation, nowText);
      status.setPhase(READY);
    } else {
      Conditions.set(status.getConditions(), COND_READY, Conditions.FALSE, "Syncing", "Writing " + what + " for"
          + " generation " + generation + ".", generation, nowText);
      status.setPhase(PENDING);
      if (!Objects.equals(before.getObservedGeneration(), generation)) {
        events.add(new KindPlan.KindEvent("Normal", "Compiled", "Compiled to " + what + "."));
      }
    }
    return new Plan(status, actions, events, false);
  }

  /** The Ready reason of a Pipeline one of whose names is someone else's object. */
  public static final String NAME_TAKEN = "NameTaken";

  private static void sync(String what, Pipeline pipeline, HasMetadata desired, Optional<? extends HasMetadata> observed,
      List<Action> actions, List<String> taken) {
    if (observed.isEmpty()) {
      actions.add(new Create(what, desired));
    } else if (!owned(observed.get(), pipeline)) {
      taken.add(what + " " + desired.getMetadata().getName() + " exists and is not this Pipeline's (no label "
          + PipelineCompiler.PIPELINE_LABEL + "=" + pipeline.getMetadata().getName() + ")");
    } else if (!Objects.equals(Owners.desiredHash(observed.get()), Owners.desiredHash(desired))
        || drifted(observed.get(), desired)) {
      actions.add(new Update(observed.get(), desired));
    }
  }

  /** Made by the operator for this Pipeline: its managed-by label and the Pipeline's label. */
  static boolean owned(HasMetadata child, Pipeline pipeline) {
    var labels = child.getMetadata().getLabels();
    return labels != null && Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY))
        && pipeline.getMetadata().getName().equals(labels.get(PipelineCompiler.PIPELINE_LABEL));
  }

  /**
   * Whether a field the operator owns was changed by hand since it wrote the child (the desired hash
   * it wrote is unchanged): the child with those fields set again differs from the child as it is.
   * Fields it does not model (Argo's, another tool's) are not compared.
   */
  static boolean drifted(HasMetadata observed, HasMetadata desired) {
    HasMetadata corrected = applyDesired(Serialization.clone(observed), desired);
    return !Serialization.jsonMapper().valueToTree(observed).equals(Serialization.jsonMapper().valueToTree(corrected));
  }

  /** The observed object with what the operator owns taken from the desired one; fields Argo or people added stay. */
  public static HasMetadata applyDesired(HasMetadata observed, HasMetadata desired) {
    var labels = observed.getMetadata().getLabels() == null ? new LinkedHashMap<String, String>()
        : new LinkedHashMap<>(observed.getMetadata().getLabels());
    labels.putAll(desired.getMetadata().getLabels());
    observed.getMetadata().setLabels(labels);
    var annotations = observed.getMetadata().getAnnotations() == null ? new LinkedHashMap<String, String>()
        : new LinkedHashMap<>(observed.getMetadata().getAnnotations());
    annotations.put(Owners.DESIRED_HASH, Owners.desiredHash(desired));
    observed.getMetadata().setAnnotations(annotations);
    // The Pipeline as the controller (by uid): an object adopted by a re-created Pipeline (after a delete with
    // --cascade=orphan, or one the garbage collector has not reached yet) goes with the new Pipeline.
    List<OwnerReference> wanted = desired.getMetadata().getOwnerReferences() == null ? List.of()
        : desired.getMetadata().getOwnerReferences().stream().filter(o -> o.getUid() != null).toList();
    if (!wanted.isEmpty()) {
      List<OwnerReference> owners = new ArrayList<>(observed.getMetadata().getOwnerReferences() == null ? List.of()
          : observed.getMetadata().getOwnerReferences().stream().filter(o -> !Boolean.TRUE.equals(o.getController()))
              .toList());
      owners.addAll(wanted);
      observed.getMetadata().setOwnerReferences(owners);
    }
    if (observed instanceof WorkflowTemplate t && desired instanceof WorkflowTemplate want) {
      t.setSpec(t.getSpec() == null ? want.getSpec() : t.getSpec().withModelledFieldsOf(want.getSpec()));
    } else if (observed instanceof CronWorkflow c && desired instanceof CronWorkflow want) {
      c.setSpec(c.getSpec() == null ? want.getSpec() : c.getSpec().withModelledFieldsOf(want.getSpec()));
    } else {
      throw new IllegalArgumentException("no update for " + observed.getKind());
    }
    return observed;
  }

  private static String label(HasMetadata child, String key) {
    return child.getMetadata().getLabels() == null ? null : child.getMetadata().getLabels().get(key);
  }
}
