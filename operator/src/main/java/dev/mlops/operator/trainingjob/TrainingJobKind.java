package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.kind.Kind;
import dev.mlops.operator.manifest.ResourceKind;
import dev.mlops.operator.runtime.OperatorPermissions.Rule;
import dev.mlops.operator.runtime.OperatorPermissions.Scope;
import java.util.List;

/** TrainingJob's registration: what every registry of the operator reads about it. */
public final class TrainingJobKind {

  private TrainingJobKind() {}

  public static final ResourceKind RESOURCE = new ResourceKind("mlops.dev", "v1alpha1", "TrainingJob", TrainingJob.class,
      true, "META-INF/fabric8/trainingjobs.mlops.dev-v1.yml", null);

  public static final Kind<TrainingJob> KIND = new Kind<>(RESOURCE, TrainingJob.class, TrainingJobResources.JOB_LABEL,
      List.of(
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("trainingjobs"), List.of("get", "list", "watch"),
              "the TrainingJobs it reconciles"),
          new Rule(Scope.WATCHED_NAMESPACES, "mlops.dev", List.of("trainingjobs/status"), List.of("update"),
              "writes each TrainingJob's status (optimistic locking, one place)"),
          new Rule(Scope.WATCHED_NAMESPACES, "batch", List.of("jobs"), List.of("get", "list", "watch", "create", "delete"),
              "one Indexed Job per attempt; deleted to restart, suspend, stop at the deadline, or after the TTL"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("services"), List.of("get", "list", "watch", "create", "delete"),
              "the headless rendezvous Service; deleted after the TTL"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("pods"), List.of("get", "list", "watch", "delete"),
              "watches workers; deletes a finished attempt's leftover pods before the next attempt starts"),
          new Rule(Scope.WATCHED_NAMESPACES, "", List.of("events"), List.of("list", "watch"),
              "the Job controller's FailedCreate Events on its Jobs (a missing ServiceAccount or PriorityClass, a"
                  + " quota, an admission refusal), shown in the TrainingJob's status"),
          new Rule(Scope.WATCHED_NAMESPACES, "kueue.x-k8s.io", List.of("workloads"), List.of("get", "list", "watch"),
              "spec.scheduling.queue: the Workload Kueue makes for a job's Job, read only (why it waits, preemption)"),
          new Rule(Scope.CLUSTER, "", List.of("nodes"), List.of("get", "list", "watch"),
              "GPU products and capacity (nvidia.com/gpu.product, allocatable GPUs)"),
          new Rule(Scope.CLUSTER, "", List.of("pods"), List.of("list", "watch"),
              "free GPUs for gang admission: the node and GPU requests of every running pod, of any owner and namespace"),
          new Rule(Scope.CLUSTER, "apiextensions.k8s.io", List.of("customresourcedefinitions"), List.of("get"),
              "whether Kueue is installed (its Workload CRD), for spec.scheduling.queue"),
          new Rule(Scope.CLUSTER, "scheduling.k8s.io", List.of("priorityclasses"), List.of("get", "list", "watch"),
              "spec.scheduling.priorityClassName: the PriorityClass value that orders the queue")),
      TrainingJobReconciler::pruneForCache,
      (client, clock, registry, settings) -> new TrainingJobReconciler(client, clock, new TrainingJobMetrics(registry),
          settings.backfillLimit()));
}
