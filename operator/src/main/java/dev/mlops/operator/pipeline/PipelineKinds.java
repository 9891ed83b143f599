package dev.mlops.operator.pipeline;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.argo.Argo;
import dev.mlops.operator.kind.Kind;
import dev.mlops.operator.manifest.ResourceKind;
import dev.mlops.operator.runtime.OperatorPermissions.Rule;
import dev.mlops.operator.runtime.OperatorPermissions.Scope;
import java.util.List;

/** The registrations of Pipeline and PipelineRun: what every registry of the operator reads about them. */
public final class PipelineKinds {

  private PipelineKinds() {}

  public static final ResourceKind PIPELINE_RESOURCE = new ResourceKind("mlops.dev", "v1alpha1", "Pipeline",
      Pipeline.class, true, "META-INF/fabric8/pipelines.mlops.dev-v1.yml", null);

  public static final ResourceKind RUN_RESOURCE = new ResourceKind("mlops.dev", "v1alpha1", "PipelineRun",
      PipelineRun.class, true, "META-INF/fabric8/pipelineruns.mlops.dev-v1.yml", null);

  private static final Rule ARGO_CRDS = new Rule(Scope.CLUSTER, "apiextensions.k8s.io",
      List.of("customresourcedefinitions"), List.of("get"), "whether Argo Workflows is installed (its CRDs"
          + " " + String.join(", ", Argo.REQUIRED_CRDS) + ")");

  public static final Kind<Pipeline> PIPELINE = new Kind<>(PIPELINE_RESOURCE, Pipeline.class, PipelineCompiler.PIPELINE_LABEL,
      List.of(
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("pipelines"), List.of("get", "list", "watch"),
              "the Pipelines it compiles (read by the PipelineRun controller too)"),
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("pipelines/status"), List.of("update"),
              "writes each Pipeline's status (optimistic locking, one place)"),
          new Rule(Scope.WATCHED_NAMESPACES, Argo.GROUP, List.of("workflowtemplates"),
              List.of("get", "list", "watch", "create", "patch"), "the WorkflowTemplate of each Pipeline; patched when it"
                  + " changes"),
          new Rule(Scope.WATCHED_NAMESPACES, Argo.GROUP, List.of("cronworkflows"),
              List.of("get", "list", "watch", "create", "patch", "delete"), "the CronWorkflows of a Pipeline's"
                  + " schedules; deleted when a schedule is removed"),
          new Rule(Scope.ARGO_NAMESPACE, "", List.of("configmaps"), List.of("get", "create", "patch"),
              "the memoization cache ConfigMap of each Pipeline with a cached task, in Argo's namespace where Argo reads"
                  + " it (created once, labelled as Argo requires; its entries are Argo's)"),
          ARGO_CRDS),
      p -> p,
      (client, clock, registry, settings) -> new PipelineReconciler(client, clock, settings.argoNamespace()));

  public static final Kind<PipelineRun> RUN = new Kind<>(RUN_RESOURCE, PipelineRun.class, PipelineCompiler.RUN_LABEL,
      List.of(
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("pipelineruns"), List.of("get", "list", "watch"),
              "the PipelineRuns it runs"),
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("pipelineruns/status"), List.of("update"),
              "writes each PipelineRun's status (optimistic locking, one place)"),
          new Rule(Scope.WATCHED_NAMESPACES, Argo.GROUP, List.of("workflows"), List.of("get", "list", "watch", "create"),
              "the one Workflow of each PipelineRun, whose status it mirrors"),
          ARGO_CRDS),
      r -> r,
      (client, clock, registry, settings) -> new PipelineRunReconciler(client, clock, PipelineRunReconciler.byPhase(registry)));
}
