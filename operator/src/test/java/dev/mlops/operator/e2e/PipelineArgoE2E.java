package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.PipelineTaskStatus;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.argo.NodeStatus;
import dev.mlops.operator.argo.Workflow;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Pipeline end to end on the real test plane with Argo Workflows' real workflow-controller: the
 * operator (with exactly the chart's RBAC) compiles it to a WorkflowTemplate, a PipelineRun makes its
 * Workflow, Argo's controller runs the DAG (pods, the training step's resource template, the {@code when}
 * of the promote step, the exit handler, memoization in its own namespace), and the run's status
 * mirrors what Argo reports. KWOK nodes run no containers, so this test plays Argo's executor in each
 * workflow pod, acting as the pipelines' service account the chart ships: it creates the TrainingJob of
 * the training step from the template Argo gives the pod and waits for it as the executor would, writes
 * each step's outputs as a WorkflowTaskResult, and ends the pod. The TrainingJob itself is run by the
 * operator, its workers completed by KWOK.
 */
class PipelineArgoE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static final String RUNNER = "mlops-pipeline-runner";
  private static final Map<String, String> OUTPUTS = Map.of("extract", "rows=1200", "evaluate", "accuracy=0.95");
  private static KubernetesClient client;
  private static KubernetesClient runner;
  private static ArgoController argo;
  private static ChartRbacOperator operator;
  private static String namespace;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    Optional<Path> built = ArgoController.built();
    assumeTrue(built.isPresent(), ArgoController.SKIPPED);
    client = TestPlane.clientWithCrds();
    namespace = "e2e-pipelines-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    argo = ArgoController.start(client, built.get(), TestPlane.kubeconfig().get());
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS,
        values -> values.set("pipelines.namespaces[0]", namespace).set("pipelines.argoNamespaceRole", "true"),
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(2)).withArgoNamespace(ArgoController.NAMESPACE));
    // The executor's identity: the ServiceAccount and Role the chart ships for the pipelines' pods.
    runner = new KubernetesClientBuilder().withConfig(TestPlane.asServiceAccount(namespace, RUNNER)).build();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (argo != null) {
      argo.close();
    }
    if (runner != null) {
      runner.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aPipelineRunsOnArgoAndItsRunMirrorsArgosStatusWithATrainingStepAndACacheHitOnTheSecondRun() throws IOException {
    Pipeline pipeline = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: daily-train}
        spec:
          params:
            - {name: date, type: string}
            - {name: epochs, type: int, default: "3"}
            - {name: promote, type: bool, default: "true"}
          tasks:
            - name: extract
              container: {image: "registry.example.com/ml/etl:1.4", command: [python, -m, etl], args: ["{{params.date}}"]}
              outputs: [{name: rows, path: /tmp/rows}]
              cache: {version: v1, maxAge: 24h}
            - name: train
              dependsOn: [extract]
              trainingJob:
                spec:
                  image: nvcr.io/nvidia/pytorch:24.05-py3
                  command: [torchrun, train.py]
                  args: ["--date", "{{params.date}}", "--epochs", "{{params.epochs}}", "--rows",
                         "{{tasks.extract.outputs.rows}}"]
                  nodes: 2
                  gpusPerNode: 8
                  gpu: {product: NVIDIA-A100-SXM4-80GB}
            - name: evaluate
              dependsOn: [train]
              container: {image: "registry.example.com/ml/eval:1.1", command: [python, -m, eval]}
              outputs: [{name: accuracy, path: /tmp/accuracy}]
            - name: promote
              dependsOn: [evaluate]
              when: "{{tasks.evaluate.outputs.accuracy}} > 0.9 && {{params.promote}} == true"
              container: {image: "registry.example.com/ml/registry-cli:0.9", command: [registry, promote]}
          onExit:
            container: {image: "curlimages/curl:8.8.0", command: [sh, -c, "echo {{run.name}} {{run.status}}"]}
        """, Pipeline.class);
    pipeline.getMetadata().setNamespace(namespace);
    client.resource(pipeline).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      Pipeline p = client.resources(Pipeline.class).inNamespace(namespace).withName("daily-train").get();
      return p.getStatus() != null && "Ready".equals(p.getStatus().getPhase());
    });
    assertThat(client.genericKubernetesResources("argoproj.io/v1alpha1", "WorkflowTemplate").inNamespace(namespace)
        .withName("daily-train").get()).isNotNull();
    // What the real API server returns of the Argo objects compares equal to what the operator wants: resyncs
    // (every 2 s here) of the compiled Pipeline write nothing.
    sleep(Duration.ofSeconds(1));
    operator.requests().reset();
    sleep(Duration.ofSeconds(5));
    assertThat(operator.requests().writes()).as("writes of a settled Pipeline: " + operator.requests().snapshot())
        .isZero();

    PipelineRun first = runToTheEnd("daily-train-20261128");
    assertThat(first.getStatus().getPhase()).as(describe(first)).isEqualTo("Succeeded");
    Workflow wf = client.resources(Workflow.class).inNamespace(namespace).withName("daily-train-20261128").get();
    assertThat(wf.getStatus().getPhase()).isEqualTo("Succeeded");
    // The run's status is Argo's, read back: times, and every task's phase as its node has it.
    assertThat(first.getStatus().getStartedAt()).isEqualTo(wf.getStatus().getStartedAt());
    assertThat(first.getStatus().getFinishedAt()).isEqualTo(wf.getStatus().getFinishedAt());
    assertThat(first.getStatus().getProgress()).isEqualTo("4/4");
    for (PipelineTaskStatus task : first.getStatus().getTasks()) {
      NodeStatus node = wf.getStatus().getNodes().values().stream()
          .filter(n -> (wf.getMetadata().getName() + "." + task.getName()).equals(n.getName())).findFirst().orElseThrow();
      assertThat(task.getPhase()).as(task.getName()).isEqualTo(node.getPhase()).isEqualTo("Succeeded");
      assertThat(task.getStartedAt()).as(task.getName()).isEqualTo(node.getStartedAt());
    }
    assertThat(first.getStatus().getTasks()).extracting(PipelineTaskStatus::getName)
        .containsExactly("extract", "train", "evaluate", "promote", "onExit");
    assertThat(first.getStatus().getTasks().get(0).getOutputs()).containsEntry("rows", "1200");
    assertThat(first.getStatus().getTasks().get(0).getCacheHit()).isFalse();
    assertThat(Conditions.isTrue(first.getStatus().getConditions(), "Succeeded")).isTrue();

    // The training step: a real TrainingJob, owned by the Workflow, run to Succeeded by the operator with
    // the run's values in its workers' arguments (extract's output among them).
    TrainingJob tj = client.resources(TrainingJob.class).inNamespace(namespace)
        .withName(first.getStatus().getTasks().get(1).getTrainingJob()).get();
    assertThat(tj.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(tj.getSpec().getArgs()).containsSubsequence("--date", "2026-11-28", "--epochs", "3", "--rows", "1200");
    assertThat(tj.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Workflow/daily-train-20261128"));

    // Argo keeps memoization caches in its own namespace, in the ConfigMap the operator made for the Pipeline.
    var cache = client.configMaps().inNamespace(ArgoController.NAMESPACE).withName("mlops-cache." + namespace
        + ".daily-train").get();
    assertThat(cache.getData()).as("Argo's cache entries").isNotEmpty();

    PipelineRun second = runToTheEnd("daily-train-20261128-rerun");
    assertThat(second.getStatus().getPhase()).as(describe(second)).isEqualTo("Succeeded");
    PipelineTaskStatus extract = second.getStatus().getTasks().get(0);
    assertThat(extract.getCacheHit()).as("the second run of extract with the same inputs is Argo's cache hit").isTrue();
    assertThat(extract.getOutputs()).containsEntry("rows", "1200");
    assertThat(client.pods().inNamespace(namespace).withLabel("workflows.argoproj.io/workflow",
        "daily-train-20261128-rerun").list().getItems()).noneMatch(p -> nodeName(p).endsWith(".extract"));
  }

  /** Creates a run of daily-train for 2026-11-28 and plays the executor in its pods until the run ends. */
  private PipelineRun runToTheEnd(String name) {
    PipelineRun run = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: %s}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-28"}}
        """.formatted(name), PipelineRun.class);
    run.getMetadata().setNamespace(namespace);
    client.resource(run).create();
    boolean ended = executeUntil(name, Duration.ofMinutes(4), () -> {
      PipelineRun current = client.resources(PipelineRun.class).inNamespace(namespace).withName(name).get();
      return current.getStatus() != null && Set.of("Succeeded", "Failed", "Error").contains(current.getStatus().getPhase());
    });
    PipelineRun last = client.resources(PipelineRun.class).inNamespace(namespace).withName(name).get();
    assertThat(ended).as("PipelineRun " + name + " did not finish in 4 minutes: " + describe(last)).isTrue();
    return last;
  }

  /** Plays the executor in the pods of Workflow {@code workflow} until {@code done} or the time is up. */
  private boolean executeUntil(String workflow, Duration time, java.util.function.BooleanSupplier done) {
    Set<String> ended = new HashSet<>();
    Instant deadline = Instant.now().plus(time);
    while (Instant.now().isBefore(deadline)) {
      if (done.getAsBoolean()) {
        return true;
      }
      assertThat(argo.alive()).as("the workflow-controller is running (target/workflow-controller.log)").isTrue();
      for (Pod pod : client.pods().inNamespace(namespace).withLabel("workflows.argoproj.io/workflow", workflow).list()
          .getItems()) {
        if (!ended.contains(pod.getMetadata().getName()) && pod.getStatus() != null
            && "Running".equals(pod.getStatus().getPhase()) && execute(pod)) {
          ended.add(pod.getMetadata().getName());
        }
      }
      sleep(Duration.ofMillis(500));
    }
    return false;
  }

  @Test
  void aScheduleStartsItsWorkflowWithTheScheduledDayInItsTimeZoneAndRemovingItKeepsWhatItStarted() {
    Pipeline pipeline = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: every-minute}
        spec:
          params: [{name: date, type: string}]
          tasks:
            - {name: report, container: {image: "busybox:1.36", command: [echo, "{{params.date}}"]}}
          schedules: [{cron: "* * * * *", timezone: Asia/Seoul, params: {date: "{{schedule.date}}"}}]
        """, Pipeline.class);
    pipeline.getMetadata().setNamespace(namespace);
    client.resource(pipeline).create();

    // Argo's cron controller starts a Workflow at the next minute.
    await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1)).until(() -> !client
        .resources(Workflow.class).inNamespace(namespace).withLabel("workflows.argoproj.io/cron-workflow", "every-minute")
        .list().getItems().isEmpty());
    Workflow scheduled = client.resources(Workflow.class).inNamespace(namespace)
        .withLabel("workflows.argoproj.io/cron-workflow", "every-minute").list().getItems().get(0);
    String name = scheduled.getMetadata().getName();
    assertThat(executeUntil(name, Duration.ofMinutes(2), () -> "Succeeded".equals(client.resources(Workflow.class)
        .inNamespace(namespace).withName(name).get().getStatus().getPhase()))).as(name + " succeeded").isTrue();

    // {{schedule.date}} is the day of the scheduled time in the schedule's time zone (Seoul, UTC+9), as the
    // task received it.
    GenericKubernetesResource wf = client.genericKubernetesResources("argoproj.io/v1alpha1", "Workflow")
        .inNamespace(namespace).withName(name).get();
    String scheduledTime = wf.getMetadata().getAnnotations().get("workflows.argoproj.io/scheduled-time");
    String expected = java.time.OffsetDateTime.parse(scheduledTime).atZoneSameInstant(java.time.ZoneId.of("Asia/Seoul"))
        .toLocalDate().toString();
    JsonNode nodes = Serialization.jsonMapper().valueToTree(wf.getAdditionalProperties().get("status")).get("nodes");
    List<String> dates = new java.util.ArrayList<>();
    nodes.forEach(n -> {
      if (n.path("name").asText().endsWith(".report")) {
        n.path("inputs").path("parameters").forEach(p -> dates.add(p.path("value").asText()));
      }
    });
    assertThat(dates).as("the report task's inputs").containsExactly(expected);
    await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(Pipeline.class).inNamespace(namespace)
        .withName("every-minute").get().getStatus().getLastScheduleTime() != null);

    // Removing the schedule deletes the CronWorkflow, orphaning the Workflows it started: the garbage
    // collector leaves them (Argo made the CronWorkflow their owner).
    client.resources(Pipeline.class).inNamespace(namespace).withName("every-minute").edit(p -> {
      p.getSpec().setSchedules(null);
      return p;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> client.genericKubernetesResources("argoproj.io/v1alpha1",
        "CronWorkflow").inNamespace(namespace).withName("every-minute").get() == null);
    sleep(Duration.ofSeconds(5));
    Workflow kept = client.resources(Workflow.class).inNamespace(namespace).withName(name).get();
    assertThat(kept).as("the Workflow the schedule started").isNotNull();
    assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
  }

  /**
   * What Argo's executor does in a running workflow pod; true once the pod has ended. A resource
   * template's pod creates its object and ends when the success condition (status.phase == Succeeded) holds.
   */
  private boolean execute(Pod pod) {
    String node = nodeName(pod);
    String task = node.substring(node.lastIndexOf('.') + 1);
    Optional<JsonNode> template = pod.getSpec().getInitContainers().stream()
        .flatMap(c -> c.getEnv() == null ? Stream.<EnvVar>empty() : c.getEnv().stream())
        .filter(e -> "ARGO_TEMPLATE".equals(e.getName())).findFirst().map(e -> Serialization.unmarshal(e.getValue(),
            JsonNode.class));
    if (template.isPresent() && template.get().has("resource")) {
      GenericKubernetesResource object = Serialization.unmarshal(template.get().get("resource").get("manifest").asText(),
          GenericKubernetesResource.class);
      object.getMetadata().setNamespace(namespace);
      var existing = runner.resources(TrainingJob.class).inNamespace(namespace).withName(object.getMetadata().getName());
      if (existing.get() == null) {
        runner.resource(object).create();
        return false;
      }
      TrainingJob tj = existing.get();
      if (tj.getStatus() == null || !"Succeeded".equals(tj.getStatus().getPhase())) {
        return false;
      }
    }
    String outputs = OUTPUTS.get(task);
    String result = """
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTaskResult
        metadata:
          name: %s
          labels: {workflows.argoproj.io/workflow: %s, workflows.argoproj.io/report-outputs-completed: "true"}
        outputs: {%s}
        """.formatted(pod.getMetadata().getAnnotations().get("workflows.argoproj.io/node-id"),
        pod.getMetadata().getLabels().get("workflows.argoproj.io/workflow"),
        outputs == null ? "" : "parameters: [{name: " + outputs.split("=")[0] + ", value: \"" + outputs.split("=")[1]
            + "\"}]");
    GenericKubernetesResource taskResult = Serialization.unmarshal(result, GenericKubernetesResource.class);
    taskResult.getMetadata().setNamespace(namespace);
    runner.resource(taskResult).create();
    String now = Instant.now().toString();
    client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
      p.getStatus().setPhase("Succeeded");
      Stream.concat(p.getStatus().getContainerStatuses().stream(), p.getStatus().getInitContainerStatuses().stream())
          .forEach(c -> terminate(c, now));
      return p;
    });
    return true;
  }

  private static void terminate(ContainerStatus status, String now) {
    status.setReady(false);
    status.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
        .withStartedAt(now).withFinishedAt(now).endTerminated().build());
  }

  private static String nodeName(Pod pod) {
    return pod.getMetadata().getAnnotations().getOrDefault("workflows.argoproj.io/node-name", "");
  }

  private String describe(PipelineRun run) {
    StringBuilder out = new StringBuilder(Serialization.asYaml(run.getStatus()));
    Workflow wf = client.resources(Workflow.class).inNamespace(namespace).withName(run.getMetadata().getName()).get();
    out.append("--- workflow status\n").append(wf == null ? "none" : Serialization.asYaml(wf.getStatus()));
    try {
      Path log = Path.of("target", "workflow-controller.log");
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log);
        out.append("--- workflow-controller.log (last 40 lines)\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      }
    } catch (IOException e) {
      out.append("(no controller log: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
