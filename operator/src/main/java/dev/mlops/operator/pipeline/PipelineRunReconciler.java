package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.PipelineRunStatus;
import dev.mlops.operator.argo.Workflow;
import dev.mlops.operator.common.PhaseGauge;
import dev.mlops.operator.common.PruningItemStore;
import dev.mlops.operator.kind.KindPlan;
import dev.mlops.operator.kind.KindReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PipelineRun on the shared loop: one Workflow per run, created once its Pipeline is compiled, and
 * the Workflow's progress mirrored into the run's status. Workflows are watched once Argo's CRDs are
 * there; Pipelines wake the runs that wait for them.
 */
@ControllerConfiguration(name = PipelineRunReconciler.NAME)
public class PipelineRunReconciler extends KindReconciler<PipelineRun, PipelineRunStatus> {

  public static final String NAME = "pipelinerun";
  public static final String RUN_LABEL = PipelineCompiler.RUN_LABEL;

  private final KubernetesClient client;
  private final ArgoAvailability argo;
  private final PhaseGauge<PipelineRun> byPhase;
  private InformerEventSource<Pipeline, PipelineRun> pipelines;

  public PipelineRunReconciler(KubernetesClient client, Clock clock, PhaseGauge<PipelineRun> byPhase) {
    super(client, clock, RUN_LABEL, null);
    this.client = client;
    this.argo = new ArgoAvailability(client, clock);
    this.byPhase = byPhase;
  }

  /** {@code mlops_pipelineruns{phase}}: the runs of the watched namespaces by phase. */
  public static PhaseGauge<PipelineRun> byPhase(MeterRegistry registry) {
    return new PhaseGauge<>(registry, "mlops.pipelineruns", "PipelineRuns by phase",
        r -> r.getStatus() == null ? null : r.getStatus().getPhase());
  }

  @Override
  public void refreshMetrics() {
    byPhase.refresh();
  }

  @Override
  public List<EventSource<?, PipelineRun>> prepareEventSources(EventSourceContext<PipelineRun> context) {
    byPhase.observe(() -> context.getPrimaryCache().list().toList());
    pipelines = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pipeline.class, PipelineRun.class)
        .withName("pipelinerun-pipelines").withInformerListLimit(INFORMER_LIST_LIMIT)
        .withItemStore(new PruningItemStore<Pipeline>(p -> p, true))
        .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache()
            .list(run -> run.getMetadata().getNamespace().equals(p.getMetadata().getNamespace()) && run.getSpec() != null
                && p.getMetadata().getName().equals(run.getSpec().getPipelineRef()) && !PipelineRunPlanner.finished(run))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((PipelineRun run) -> run.getSpec() == null ? Set.of()
            : Set.of(new ResourceID(run.getSpec().getPipelineRef(), run.getMetadata().getNamespace())))
        .build(), context);
    return List.of(pipelines);
  }

  @Override
  protected KindPlan<PipelineRunStatus> plan(PipelineRun run, Context<PipelineRun> context) {
    if (PipelineRunPlanner.finished(run)) {
      return new KindPlan<>(run.getStatus(), List.of(), List.of(), Optional.empty());
    }
    ArgoAvailability.Answer answer = argo.check();
    String namespace = run.getMetadata().getNamespace();
    Optional<Workflow> workflow = Optional.empty();
    InformerEventSource<Workflow, PipelineRun> workflows = null;
    if (answer.available()) {
      workflows = lateChildInformer(Workflow.class, PipelineRun.class, "pipelinerun-workflows", w -> w, context);
      String name = run.getStatus() == null || run.getStatus().getWorkflow() == null ? run.getMetadata().getName()
          : run.getStatus().getWorkflow();
      workflow = workflows.get(new ResourceID(name, namespace));
      if (workflow.isEmpty()) {
        // The server's answer, not the cache's: after the create, only a Workflow the server does not have is
        // taken as deleted (never one the cache has not seen yet); before it, a Workflow of the run's name that
        // the cache does not hold (not labelled as the operator's) is seen too, and not created over.
        workflow = Optional.ofNullable(client.resources(Workflow.class).inNamespace(namespace).withName(name).get());
      }
    }
    Optional<Pipeline> pipeline = run.getSpec() == null ? Optional.empty()
        : pipelines.get(new ResourceID(run.getSpec().getPipelineRef(), namespace));
    PipelineRunPlanner.Plan plan = PipelineRunPlanner.plan(run, new PipelineRunPlanner.Observed(answer, pipeline, workflow),
        clock.instant());
    InformerEventSource<Workflow, PipelineRun> cache = workflows;
    List<KindPlan.ChildAction> actions = plan.create().<List<KindPlan.ChildAction>>map(
        wf -> List.of(w -> w.createIfAbsent("Workflow", wf, cache))).orElse(List.of());
    return new KindPlan<>(plan.status(), actions, plan.events(),
        plan.recheckArgo() ? Optional.of(ArgoAvailability.RECHECK) : Optional.empty());
  }
}
