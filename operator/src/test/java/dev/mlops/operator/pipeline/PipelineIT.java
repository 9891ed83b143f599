package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.PipelineTask;
import dev.mlops.operator.api.v1alpha1.PipelineTaskStatus;
import dev.mlops.operator.argo.Argo;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.Parameter;
import dev.mlops.operator.argo.Template;
import dev.mlops.operator.argo.Workflow;
import dev.mlops.operator.argo.WorkflowStatus;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import dev.mlops.operator.sandbox.NodePool;
import dev.mlops.operator.sandbox.Sandbox;
import dev.mlops.operator.sandbox.SimulatedCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pipeline and PipelineRun end to end on the embedded API server with the operator as it runs in a
 * cluster. There is no Argo controller here: the test writes a Workflow's status the way Argo's
 * controller does (the E2E tier runs the real one), and installs Argo's CRDs when a test needs them.
 */
public class PipelineIT {

  static final String NS = "ml-team";
  private Sandbox sandbox;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    sandbox = new Sandbox(NodePool.parseAll(NodePool.DEFAULT),
        new SimulatedCluster.Settings(Duration.ofMillis(100), null, Duration.ofMillis(50)),
        OperatorSettings.defaults().withResyncInterval(Duration.ofMillis(500)).withReconcileThreads(4));
    client = sandbox.client();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private Pipeline pipeline(String name) {
    return client.resources(Pipeline.class).inNamespace(NS).withName(name).get();
  }

  private PipelineRun run(String name) {
    return client.resources(PipelineRun.class).inNamespace(NS).withName(name).get();
  }

  private Pipeline awaitPipeline(String name, Predicate<Pipeline> condition) {
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
      Pipeline p = pipeline(name);
      return p != null && p.getStatus() != null && condition.test(p);
    });
    return pipeline(name);
  }

  private PipelineRun awaitRun(String name, Predicate<PipelineRun> condition) {
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
      PipelineRun r = run(name);
      return r != null && r.getStatus() != null && condition.test(r);
    });
    return run(name);
  }

  private WorkflowTemplate template(String name) {
    return client.resources(WorkflowTemplate.class).inNamespace(NS).withName(name).get();
  }

  private Workflow workflow(String name) {
    return client.resources(Workflow.class).inNamespace(NS).withName(name).get();
  }

  private List<Event> events(String about, String type) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> type.equals(e.getType()) && about.equals(e.getInvolvedObject().getName())).toList();
  }

  private static Template template(WorkflowTemplate wt, String name) {
    return wt.getSpec().getTemplates().stream().filter(t -> name.equals(t.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no template " + name));
  }

  private void createExamples() {
    client.resource(Pipelines.dailyTrain()).create();
    client.resource(Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: daily-train-20261128, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-28", epochs: 5}}
        """)).create();
  }

  @Test
  void withoutArgoBothKindsSayWhatToInstallAndProceedOnceItIsThere() {
    sandbox.startOperator();
    createExamples();

    Pipeline waiting = awaitPipeline("daily-train", p -> Conditions.find(p.getStatus().getConditions(),
        PipelinePlanner.COND_ARGO).isPresent());
    var argo = Conditions.find(waiting.getStatus().getConditions(), PipelinePlanner.COND_ARGO).orElseThrow();
    assertThat(argo.getStatus()).isEqualTo("False");
    assertThat(argo.getReason()).isEqualTo("ArgoWorkflowsNotInstalled");
    assertThat(argo.getMessage()).contains("workflows.argoproj.io").contains("Install Argo Workflows 3.6 or newer");
    PipelineRun run = awaitRun("daily-train-20261128", r -> Conditions.find(r.getStatus().getConditions(),
        PipelineRunPlanner.COND_ARGO).map(c -> c.getStatus().equals("False")).orElse(false));
    assertThat(run.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(run.getStatus().getMessage()).startsWith("Waiting for Argo Workflows: Argo Workflows is not installed");
    assertThat(run.getStatus().getWorkflow()).isNull();

    ArgoCrds.install(client);

    // Found again at the next recheck (ArgoAvailability.RECHECK), without a restart of the operator.
    awaitPipeline("daily-train", p -> "Ready".equals(p.getStatus().getPhase()));
    // The status is written first, then the children (the shared loop's order).
    await().atMost(Duration.ofSeconds(5)).until(() -> template("daily-train") != null);
    awaitRun("daily-train-20261128", r -> r.getStatus().getWorkflow() != null);
    await().atMost(Duration.ofSeconds(5)).until(() -> workflow("daily-train-20261128") != null);
  }

  @Test
  void aPipelineCompilesToItsArgoObjectsAndFollowsEveryChangeWithoutWritingWhenNothingChanged() {
    ArgoCrds.install(client);
    sandbox.startOperator();
    client.resource(Pipelines.dailyTrain()).create();

    Pipeline ready = awaitPipeline("daily-train", p -> "Ready".equals(p.getStatus().getPhase()));
    await().atMost(Duration.ofSeconds(5)).until(() -> client.configMaps().inNamespace("argo")
        .withName("mlops-cache.ml-team.daily-train").get() != null);
    assertThat(ready.getStatus().getWorkflowTemplate()).isEqualTo("daily-train");
    assertThat(ready.getStatus().getCronWorkflow()).isEqualTo("daily-train");
    assertThat(ready.getStatus().getCacheConfigMap()).isEqualTo("argo/mlops-cache.ml-team.daily-train");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(Conditions.isTrue(ready.getStatus().getConditions(), "Valid")).isTrue();
    WorkflowTemplate wt = template("daily-train");
    assertThat(wt.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getUid()).isEqualTo("Pipeline/" + ready.getMetadata().getUid()));
    assertThat(template(wt, "task-extract").getContainer().getImage()).isEqualTo("registry.example.com/ml/etl:1.4");
    CronWorkflow cron = client.resources(CronWorkflow.class).inNamespace(NS).withName("daily-train").get();
    assertThat(cron.getSpec().getSchedules()).containsExactly("0 3 * * *");
    assertThat(cron.getSpec().getTimezone()).isEqualTo("Asia/Seoul");
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    ConfigMap cache = client.configMaps().inNamespace("argo").withName("mlops-cache.ml-team.daily-train").get();
    assertThat(cache.getMetadata().getLabels()).containsEntry(Argo.CONFIGMAP_TYPE, Argo.CONFIGMAP_TYPE_CACHE);

    // Settled: resyncs every 500 ms read the caches and write nothing.
    await().pollDelay(Duration.ofMillis(600)).until(() -> true);
    sandbox.operatorRequests().reset();
    PipelineReconciler controller = sandbox.operator().controller(PipelineReconciler.class);
    long passes = controller.reconcileCount();
    await().atMost(Duration.ofSeconds(10)).until(() -> controller.reconcileCount() >= passes + 4);
    assertThat(sandbox.operatorRequests().writes()).as("writes of a settled Pipeline: "
        + sandbox.operatorRequests().snapshot()).isZero();

    // A hand edit of a field the operator writes is undone (at the latest by the next resync).
    WorkflowTemplate handEdited = template("daily-train");
    template(handEdited, "task-extract").getContainer().setImage("registry.example.com/ml/etl:hotfix");
    client.resource(handEdited).update();
    await().atMost(Duration.ofSeconds(10)).until(() -> "registry.example.com/ml/etl:1.4".equals(
        template(template("daily-train"), "task-extract").getContainer().getImage()));

    // A field Argo or another tool set on the WorkflowTemplate survives the operator's next update.
    WorkflowTemplate edited = template("daily-train");
    edited.getSpec().setUnmodelled("archiveLogs", true);
    client.resource(edited).update();
    // The Pipeline changes: a new image, and no more schedules.
    // (The operator may write the status between the edit's read and its write: a 409, retried as kubectl edit does.)
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreException(
        io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
          client.resources(Pipeline.class).inNamespace(NS).withName("daily-train").edit(p -> {
            p.getSpec().getTasks().stream().filter(t -> t.getName().equals("extract"))
                .map(PipelineTask::getContainer).forEach(c -> c.setImage("registry.example.com/ml/etl:1.5"));
            p.getSpec().setSchedules(null);
            return p;
          });
          return true;
        });

    // Pending while the operator writes the new WorkflowTemplate, Ready once the server holds it.
    Pipeline changed = awaitPipeline("daily-train", p -> Long.valueOf(2).equals(p.getStatus().getObservedGeneration())
        && "Ready".equals(p.getStatus().getPhase()));
    assertThat(changed.getStatus().getCronWorkflow()).isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.resources(CronWorkflow.class).inNamespace(NS)
        .withName("daily-train").get() == null);
    WorkflowTemplate updated = template("daily-train");
    assertThat(template(updated, "task-extract").getContainer().getImage()).isEqualTo("registry.example.com/ml/etl:1.5");
    assertThat(updated.getSpec().getUnmodelled()).containsEntry("archiveLogs", true);
    assertThat(events("daily-train", "Normal")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Compiled"));
  }

  @Test
  void anInvalidPipelineSaysWhichFieldAndCompilesNothing() {
    ArgoCrds.install(client);
    sandbox.startOperator();
    client.resource(Pipelines.yaml("""
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: broken, namespace: ml-team}
        spec:
          tasks:
            - {name: a, container: {image: x}, dependsOn: [b]}
        """)).create();

    Pipeline broken = awaitPipeline("broken", p -> Conditions.find(p.getStatus().getConditions(), "Valid").isPresent());
    var valid = Conditions.find(broken.getStatus().getConditions(), "Valid").orElseThrow();
    assertThat(valid.getStatus()).isEqualTo("False");
    assertThat(valid.getMessage()).contains("spec.tasks[0].dependsOn: unknown task 'b'");
    await().atMost(Duration.ofSeconds(5)).until(() -> !events("broken", "Warning").isEmpty());
    assertThat(events("broken", "Warning")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("spec.tasks[0].dependsOn: unknown task 'b'"));
    assertThat(template("broken")).isNull();
  }

  @Test
  void aRunCarriesEveryParamAndMirrorsItsWorkflowUntilItEndsAndThenNeverRunsAgain() {
    ArgoCrds.install(client);
    sandbox.startOperator();
    createExamples();

    PipelineRun started = awaitRun("daily-train-20261128", r -> r.getStatus().getWorkflow() != null);
    await().atMost(Duration.ofSeconds(5)).until(() -> workflow("daily-train-20261128") != null);
    Workflow wf = workflow("daily-train-20261128");
    Map<String, String> args = new LinkedHashMap<>();
    wf.getSpec().getArguments().getParameters().forEach(p -> args.put(p.getName(), p.getValue()));
    Map<String, String> expected = Map.of("date", "2026-11-28", "epochs", "5", "lr", "0.001", "promote", "true",
        "shards", "[\"a\",\"b\"]", "region", "kr");
    assertThat(args).isEqualTo(expected);
    assertThat(started.getStatus().getParams()).isEqualTo(expected);
    assertThat(wf.getSpec().getWorkflowTemplateRef().getName()).isEqualTo("daily-train");
    assertThat(wf.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("PipelineRun/daily-train-20261128"));
    assertThat(started.getStatus().getTasks()).extracting(PipelineTaskStatus::getName)
        .containsExactly("extract", "featurize", "train", "evaluate", "promote", "onExit");
    assertThat(started.getStatus().getTasks().get(2).getTrainingJob()).isEqualTo("train-daily-train-20261128");

    advance("""
        phase: Running
        startedAt: "2026-11-28T03:00:01Z"
        nodes:
          w: {id: w, name: daily-train-20261128, type: DAG, phase: Running, children: [w-1, w-2]}
          w-1: {id: w-1, name: daily-train-20261128.extract, type: Pod, phase: Succeeded,
                startedAt: "2026-11-28T03:00:01Z", finishedAt: "2026-11-28T03:00:02Z",
                memoizationStatus: {hit: true, key: k, cacheName: mlops-cache.ml-team.daily-train},
                outputs: {parameters: [{name: rows, value: "1200"}]}}
          w-2: {id: w-2, name: daily-train-20261128.featurize, type: TaskGroup, phase: Running,
                startedAt: "2026-11-28T03:00:03Z", children: [w-3, w-4]}
          w-3: {id: w-3, name: "daily-train-20261128.featurize(0:a)", type: Pod, phase: Succeeded}
          w-4: {id: w-4, name: "daily-train-20261128.featurize(1:b)", type: Pod, phase: Running}
        """);
    PipelineRun running = awaitRun("daily-train-20261128", r -> "Running".equals(r.getStatus().getPhase())
        && "1/5".equals(r.getStatus().getProgress()));
    assertThat(running.getStatus().getStartedAt()).isEqualTo("2026-11-28T03:00:01Z");
    PipelineTaskStatus extract = running.getStatus().getTasks().get(0);
    assertThat(extract.getPhase()).isEqualTo("Succeeded");
    assertThat(extract.getCacheHit()).isTrue();
    assertThat(extract.getOutputs()).containsEntry("rows", "1200");
    assertThat(running.getStatus().getTasks().get(1).getItems()).isEqualTo("1/2");
    assertThat(running.getStatus().getMessage()).isEqualTo("Running: featurize.");
    assertThat(Conditions.find(running.getStatus().getConditions(), "Succeeded").orElseThrow().getStatus())
        .isEqualTo("Unknown");

    advance("""
        phase: Failed
        startedAt: "2026-11-28T03:00:01Z"
        finishedAt: "2026-11-28T04:10:00Z"
        message: "child 'w-5' failed"
        nodes:
          w: {id: w, name: daily-train-20261128, type: DAG, phase: Failed, children: [w-1, w-2]}
          w-1: {id: w-1, name: daily-train-20261128.extract, type: Pod, phase: Succeeded}
          w-2: {id: w-2, name: daily-train-20261128.featurize, type: TaskGroup, phase: Succeeded, children: [w-3, w-4]}
          w-3: {id: w-3, name: "daily-train-20261128.featurize(0:a)", type: Pod, phase: Succeeded}
          w-4: {id: w-4, name: "daily-train-20261128.featurize(1:b)", type: Pod, phase: Succeeded}
          w-5: {id: w-5, name: daily-train-20261128.train, type: Pod, phase: Failed,
                message: "TrainingJob train-daily-train-20261128 Failed: NonRetryableExit"}
          w-6: {id: w-6, name: daily-train-20261128.onExit, type: Pod, phase: Succeeded}
        """);
    PipelineRun failed = awaitRun("daily-train-20261128", r -> "Failed".equals(r.getStatus().getPhase()));
    assertThat(failed.getStatus().getFinishedAt()).isEqualTo("2026-11-28T04:10:00Z");
    assertThat(failed.getStatus().getMessage()).isEqualTo("child 'w-5' failed");
    assertThat(failed.getStatus().getTasks()).extracting(t -> t.getName() + "=" + t.getPhase())
        .containsExactly("extract=Succeeded", "featurize=Succeeded", "train=Failed", "evaluate=Omitted", "promote=Omitted",
            "onExit=Succeeded");
    assertThat(failed.getStatus().getTasks().get(2).getMessage()).contains("NonRetryableExit");
    assertThat(failed.getStatus().getProgress()).isEqualTo("5/5");
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Succeeded").orElseThrow().getStatus()).isEqualTo("False");
    await().atMost(Duration.ofSeconds(5)).until(() -> !events("daily-train-20261128", "Warning").isEmpty());

    // Finished is final: the Workflow going away (Argo's TTL, a user) starts nothing, and the status stays.
    client.resources(Workflow.class).inNamespace(NS).withName("daily-train-20261128").delete();
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    assertThat(workflow("daily-train-20261128")).isNull();
    assertThat(run("daily-train-20261128").getStatus().getPhase()).isEqualTo("Failed");
    assertThat(client.resources(Workflow.class).inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aRunWithParamsOfTheWrongTypeFailsWithOneMessageAndCreatesNoWorkflow() {
    ArgoCrds.install(client);
    sandbox.startOperator();
    client.resource(Pipelines.dailyTrain()).create();
    client.resource(Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: bad-params, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {epochs: many, region: eu, colour: red}}
        """)).create();

    PipelineRun failed = awaitRun("bad-params", r -> "Invalid".equals(r.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo("InvalidParams");
    var valid = Conditions.find(failed.getStatus().getConditions(), "Valid").orElseThrow();
    assertThat(valid.getStatus()).isEqualTo("False");
    assertThat(valid.getReason()).isEqualTo("InvalidParams");
    assertThat(valid.getMessage()).contains("'many' is not an int").contains("'eu' is not one of kr, us")
        .contains("colour").contains("date");
    assertThat(failed.getStatus().getMessage()).endsWith("No Workflow was created; create a new PipelineRun with fixed"
        + " params.");
    await().atMost(Duration.ofSeconds(5)).until(() -> !events("bad-params", "Warning").isEmpty());
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    assertThat(client.resources(Workflow.class).inNamespace(NS).list().getItems()).isEmpty();
    assertThat(events("bad-params", "Warning")).hasSize(1);
  }

  @Test
  void aRunWaitsForItsPipelineAndStartsWhenItIsCreated() {
    ArgoCrds.install(client);
    sandbox.startOperator();
    client.resource(Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: early, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-29"}}
        """)).create();

    PipelineRun waiting = awaitRun("early", r -> Conditions.find(r.getStatus().getConditions(), "Valid")
        .map(c -> "PipelineNotFound".equals(c.getReason())).orElse(false));
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(waiting.getStatus().getMessage()).contains("Pipeline daily-train (spec.pipelineRef) is not in namespace"
        + " ml-team");

    client.resource(Pipelines.dailyTrain()).create();
    awaitRun("early", r -> r.getStatus().getWorkflow() != null);
    await().atMost(Duration.ofSeconds(5)).until(() -> workflow("early") != null);
    assertThat(workflow("early").getSpec().getArguments().getParameters()).extracting(Parameter::getName)
        .contains("date", "epochs");
  }

  /** Writes the Workflow's status as Argo's controller does: an update of the whole object (no subresource). */
  private void advance(String statusYaml) {
    WorkflowStatus status = Serialization.unmarshal(statusYaml, WorkflowStatus.class);
    client.resources(Workflow.class).inNamespace(NS).withName("daily-train-20261128").edit(w -> {
      w.setStatus(status);
      return w;
    });
  }
}
