package dev.mlops.operator.argo;

/** The Argo Workflows API the operator writes to: {@code argoproj.io/v1alpha1}, Argo Workflows 3.6 or newer. */
public final class Argo {

  private Argo() {}

  public static final String GROUP = "argoproj.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The CRDs a Pipeline needs: without them Argo Workflows is not installed (ArgoWorkflowsAvailable=False). */
  public static final java.util.List<String> REQUIRED_CRDS = java.util.List.of("workflows.argoproj.io",
      "workflowtemplates.argoproj.io", "cronworkflows.argoproj.io");

  /** The label Argo requires on a memoization cache ConfigMap. */
  public static final String CONFIGMAP_TYPE = "workflows.argoproj.io/configmap-type";
  public static final String CONFIGMAP_TYPE_CACHE = "Cache";
  /** The label Argo puts on each Workflow a CronWorkflow starts. */
  public static final String CRON_WORKFLOW_LABEL = "workflows.argoproj.io/cron-workflow";

  // Workflow and node phases.
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String ERROR = "Error";
  public static final String SKIPPED = "Skipped";
  public static final String OMITTED = "Omitted";
}
