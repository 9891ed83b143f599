package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineStatus;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.kind.KindPlan;
import dev.mlops.operator.kind.KindReconciler;
import dev.mlops.operator.pipeline.PipelinePlanner.Action;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Pipeline on the shared loop: compiled to a WorkflowTemplate, CronWorkflows and a cache ConfigMap,
 * kept in sync. The informers of Argo's kinds start once Argo's CRDs are there, so the operator
 * runs (and says ArgoWorkflowsAvailable=False) on a cluster without Argo.
 */
@ControllerConfiguration(name = PipelineReconciler.NAME)
public class PipelineReconciler extends KindReconciler<Pipeline, PipelineStatus> {

  public static final String NAME = "pipeline";

  private final KubernetesClient client;
  private final ArgoAvailability argo;
  private final String argoNamespace;

  /** @param argoNamespace where Argo's controller runs: the cache ConfigMaps are made there */
  public PipelineReconciler(KubernetesClient client, Clock clock, String argoNamespace) {
    super(client, clock, PipelineCompiler.PIPELINE_LABEL, null);
    this.client = client;
    this.argo = new ArgoAvailability(client, clock);
    this.argoNamespace = argoNamespace;
  }

  /** Its children are Argo's kinds, watched once Argo is there ({@link #plan}). */
  @Override
  public List<EventSource<?, Pipeline>> prepareEventSources(EventSourceContext<Pipeline> context) {
    return List.of();
  }

  @Override
  protected KindPlan<PipelineStatus> plan(Pipeline pipeline, Context<Pipeline> context) {
    ArgoAvailability.Answer answer = argo.check();
    String name = pipeline.getMetadata().getName();
    String namespace = pipeline.getMetadata().getNamespace();
    Optional<WorkflowTemplate> template = Optional.empty();
    List<CronWorkflow> crons = List.of();
    InformerEventSource<WorkflowTemplate, Pipeline> templates = null;
    InformerEventSource<CronWorkflow, Pipeline> cronInformer = null;
    if (answer.available()) {
      templates = lateChildInformer(WorkflowTemplate.class, Pipeline.class, "pipeline-workflowtemplates", t -> t, context);
      cronInformer = lateChildInformer(CronWorkflow.class, Pipeline.class, "pipeline-cronworkflows", c -> c, context);
      // The caches hold only the Pipeline's own children; a wanted name they lack is looked up, so that
      // someone else's object of that name is seen (and left alone) rather than created over every pass.
      template = templates.get(new ResourceID(name, namespace)).or(() -> Optional.ofNullable(
          client.resources(WorkflowTemplate.class).inNamespace(namespace).withName(name).get()));
      List<CronWorkflow> found = new ArrayList<>(cronInformer.list(namespace,
          c -> name.equals(c.getMetadata().getLabels().get(PipelineCompiler.PIPELINE_LABEL))).toList());
      for (String cronName : PipelineCompiler.cronWorkflowNames(pipeline)) {
        if (found.stream().noneMatch(c -> c.getMetadata().getName().equals(cronName))) {
          Optional.ofNullable(client.resources(CronWorkflow.class).inNamespace(namespace).withName(cronName).get())
              .ifPresent(found::add);
        }
      }
      crons = found;
    }
    // Read on demand, not watched: Argo writes it at every cached step, and the Pipeline has nothing to do then.
    Optional<ConfigMap> cache = answer.available() && pipeline.getSpec() != null && pipeline.getSpec().getTasks() != null
        && pipeline.getSpec().getTasks().stream().anyMatch(t -> t.getCache() != null)
        ? cacheConfigMap(PipelineCompiler.cacheName(pipeline)) : Optional.empty();
    PipelinePlanner.Plan plan = PipelinePlanner.plan(pipeline, new PipelinePlanner.Observed(answer, argoNamespace, template,
        crons, cache), clock.instant());
    var informers = new LinkedHashMap<Class<?>, InformerEventSource<?, Pipeline>>();
    if (templates != null) {
      informers.put(WorkflowTemplate.class, templates);
      informers.put(CronWorkflow.class, cronInformer);
    }
    return new KindPlan<>(plan.status(), plan.actions().stream().map(a -> childAction(a, informers)).toList(),
        plan.events(), plan.recheckArgo() ? Optional.of(ArgoAvailability.RECHECK) : Optional.empty());
  }

  /**
   * The cache ConfigMap as Argo's namespace has it. Without a Role there (argoNamespaceRole off, or Argo
   * in another namespace than --argo-namespace) it is taken as absent: its create then fails with a
   * CreateFailed Warning that says so, and the rest of the Pipeline (its Ready, its runs) does not wait on it.
   */
  private Optional<ConfigMap> cacheConfigMap(String name) {
    try {
      return Optional.ofNullable(client.configMaps().inNamespace(argoNamespace).withName(name).get());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      return Optional.empty();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static KindPlan.ChildAction childAction(Action action,
      java.util.Map<Class<?>, InformerEventSource<?, Pipeline>> informers) {
    if (action instanceof PipelinePlanner.Create create) {
      InformerEventSource cache = informers.get(create.child().getClass());
      return w -> w.createIfAbsent(create.what(), create.child(), cache);
    } else if (action instanceof PipelinePlanner.Update update) {
      InformerEventSource cache = informers.get(update.desired().getClass());
      return w -> w.edit(update.observed(), cache, o -> PipelinePlanner.applyDesired((HasMetadata) o, update.desired()));
    } else if (action instanceof PipelinePlanner.Label label) {
      InformerEventSource cache = informers.get(label.child().getClass());
      return w -> w.setLabel(label.child(), cache, label.key(), label.value());
    } else {
      PipelinePlanner.Delete delete = (PipelinePlanner.Delete) action;
      // The Workflows a CronWorkflow started are its dependents: they stay, as the runs' history.
      return w -> w.delete(delete.child(), DeletionPropagation.ORPHAN);
    }
  }
}
