package dev.mlops.operator.api.v1alpha1;

/**
 * The validation rules of the Pipeline and PipelineRun APIs that the API server can check (CEL and
 * patterns), with the messages the reconciler's validator uses too, so {@code kubectl apply} and
 * {@code Valid=False} say the same sentence. What needs the whole spec (dependency cycles,
 * references, defaults against types, cron syntax) is checked by the reconciler only.
 */
public final class PipelineRules {

  private PipelineRules() {}

  /**
   * 49: a CronWorkflow is named {@code <pipeline>} or {@code <pipeline>-<n>} (n up to 10), and Argo
   * allows 52 characters in a CronWorkflow's name (it appends a timestamp to name its Workflows).
   */
  public static final int MAX_PIPELINE_NAME = 49;
  public static final String PIPELINE_NAME_RULE = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')"
      + " && size(self.metadata.name) <= 49";
  public static final String PIPELINE_NAME = "metadata.name must be a DNS-1035 label of at most 49 characters: it"
      + " names the WorkflowTemplate and the CronWorkflows (<name>-<n>, at most 52 characters in Argo)";

  /** 63: the Workflow is named after the run, and Argo labels its pods with that name. */
  public static final String RUN_NAME_RULE = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')"
      + " && size(self.metadata.name) <= 63";
  public static final String RUN_NAME = "metadata.name must be a DNS-1035 label of at most 63 characters: it names the"
      + " Workflow, which Argo puts in a label";

  public static final String IMMUTABLE_RUN_RULE = "self.spec == oldSelf.spec";
  public static final String IMMUTABLE_RUN = "spec is immutable: a PipelineRun records what it ran with; create a new"
      + " PipelineRun to run again";

  public static final String IDENTIFIER_PATTERN = "^[a-zA-Z_][a-zA-Z0-9_]*$";
  public static final int MAX_TASKS = 1000;
  public static final int MAX_PARAMS = 64;
  public static final int MAX_SCHEDULES = 10;

  public static final String PARAM_TYPE_RULE = "self in ['string', 'int', 'float', 'bool', 'json']";
  public static final String PARAM_TYPE = "spec.params[].type must be one of string, int, float, bool, json";

  public static final String ONE_KIND_RULE = "has(self.container) != has(self.trainingJob)";
  public static final String ONE_KIND = "spec.tasks[] must have exactly one of container or trainingJob";

  /** CEL cannot see {@code items} (free JSON): the rule checks the other two, the reconciler all three. */
  public static final String MAP_ONE_RULE = "!(has(self.fromParam) && has(self.fromOutput))";
  public static final String MAP_ONE = "spec.tasks[].map must have exactly one of fromParam, items or fromOutput";

  public static final String RETRY_POLICY_RULE = "self in ['Always', 'OnFailure', 'OnError', 'OnTransientError']";
  public static final String RETRY_POLICY =
      "spec.tasks[].retries.policy must be one of Always, OnFailure, OnError, OnTransientError";

  public static final String CONCURRENCY_RULE = "self in ['Allow', 'Forbid', 'Replace']";
  public static final String CONCURRENCY = "spec.concurrencyPolicy must be one of Allow, Forbid, Replace";

  /** A Go duration as Argo reads it: 30s, 1h, 1h30m, 500ms. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
  public static final String OUTPUT_PATH_RULE = "self.startsWith('/')";
  public static final String OUTPUT_PATH = "spec.tasks[].outputs[].path must be an absolute path in the task's container";

  /** The service account the workflow pods run as unless spec.serviceAccountName says otherwise (shipped by the chart). */
  public static final String DEFAULT_SERVICE_ACCOUNT = "mlops-pipeline-runner";
}
