package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.PipelineStatus;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's first reconciles of Pipelines and PipelineRuns, without a cluster and as if Argo
 * Workflows were installed: the WorkflowTemplate, CronWorkflows and cache ConfigMap a Pipeline
 * compiles to; the Workflow a run creates; each with the status the operator would write.
 */
public final class PipelineRender {

  private PipelineRender() {}

  static final ArgoAvailability.Answer ASSUMED = ArgoAvailability.Answer.installed("Argo Workflows is assumed installed"
      + " (render).");

  public record Result(List<HasMetadata> objects, List<String> errors) {}

  public static Result pipeline(Pipeline pipeline, Instant now) {
    defaults(pipeline);
    PipelinePlanner.Plan plan = PipelinePlanner.plan(pipeline, new PipelinePlanner.Observed(ASSUMED,
        OperatorSettings.DEFAULT_ARGO_NAMESPACE, Optional.empty(), List.of(), Optional.empty()), now);
    if (PipelinePlanner.INVALID.equals(plan.status().getPhase())) {
      return new Result(List.of(), PipelineValidator.validate(pipeline.getMetadata().getName(), pipeline.getSpec()));
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (PipelinePlanner.Action action : plan.actions()) {
      if (action instanceof PipelinePlanner.Create create) {
        objects.add(create.child());
      }
    }
    // The status once the server holds them: the operator's next pass, woken by their creation.
    pipeline.setStatus(plan.status());
    PipelinePlanner.Plan settled = PipelinePlanner.plan(pipeline, new PipelinePlanner.Observed(ASSUMED,
        OperatorSettings.DEFAULT_ARGO_NAMESPACE,
        objects.stream().filter(WorkflowTemplate.class::isInstance).map(WorkflowTemplate.class::cast).findFirst(),
        objects.stream().filter(CronWorkflow.class::isInstance).map(CronWorkflow.class::cast).toList(),
        objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst()), now);
    pipeline.setStatus(settled.status());
    objects.add(pipeline);
    return new Result(objects, List.of());
  }

  /**
   * A run of one of {@code pipelines} ({@code namespace/name}: from the files or the cluster), as if
   * that Pipeline were compiled. A wrong param is an error, as the operator refuses the run.
   */
  public static Result run(PipelineRun run, Map<String, Pipeline> pipelines, Instant now) {
    defaults(run);
    List<String> own = PipelineRunPlanner.validate(run);
    if (!own.isEmpty()) {
      return new Result(List.of(), own);
    }
    String ref = run.getSpec().getPipelineRef();
    Pipeline found = pipelines.get(run.getMetadata().getNamespace() + "/" + ref);
    if (found == null) {
      return new Result(List.of(), List.of("spec.pipelineRef: Pipeline " + ref + " is not in namespace "
          + run.getMetadata().getNamespace() + " among the files (-f) or in --cluster"));
    }
    Pipeline pipeline = Serialization.clone(found);
    defaults(pipeline);
    List<String> invalid = PipelineValidator.validate(pipeline.getMetadata().getName(), pipeline.getSpec());
    if (!invalid.isEmpty()) {
      return new Result(List.of(), List.of("Pipeline " + ref + " is invalid: " + String.join("; ", invalid)));
    }
    PipelineStatus compiled = new PipelineStatus();
    compiled.setPhase(PipelinePlanner.READY);
    compiled.setObservedGeneration(pipeline.getMetadata().getGeneration());
    pipeline.setStatus(compiled);
    PipelineRunPlanner.Plan plan = PipelineRunPlanner.plan(run, new PipelineRunPlanner.Observed(ASSUMED,
        Optional.of(pipeline), Optional.empty()), now);
    if (plan.create().isEmpty()) {
      return new Result(List.of(), List.of(plan.status().getMessage()));
    }
    run.setStatus(plan.status());
    return new Result(List.of(plan.create().get(), run), List.of());
  }

  private static void defaults(HasMetadata object) {
    if (object.getMetadata().getNamespace() == null) {
      object.getMetadata().setNamespace("default");
    }
    if (object.getMetadata().getGeneration() == null) {
      object.getMetadata().setGeneration(1L);
    }
  }
}
