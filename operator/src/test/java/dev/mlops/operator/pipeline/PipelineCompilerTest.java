package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.argo.Argo;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.DagTask;
import dev.mlops.operator.argo.Parameter;
import dev.mlops.operator.argo.Template;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.common.Owners;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a Pipeline compiles to, read the way the Argo controller will read it. */
class PipelineCompilerTest {

  static Map<String, Template> templates(WorkflowTemplate wt) {
    return wt.getSpec().getTemplates().stream().collect(Collectors.toMap(Template::getName, Function.identity()));
  }

  static Map<String, DagTask> dag(WorkflowTemplate wt) {
    return templates(wt).get(PipelineCompiler.DAG_TEMPLATE).getDag().getTasks().stream()
        .collect(Collectors.toMap(DagTask::getName, Function.identity()));
  }

  static Map<String, String> values(List<Parameter> params) {
    return params.stream().collect(Collectors.toMap(Parameter::getName, p -> p.getValue() == null ? "" : p.getValue()));
  }

  @Test
  void theDailyTrainPipelineBecomesADagOfItsTasksWithTypedParams() {
    WorkflowTemplate wt = PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").template();
    assertThat(wt.getMetadata().getName()).isEqualTo("daily-train");
    assertThat(wt.getMetadata().getNamespace()).isEqualTo("ml-team");
    assertThat(wt.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName() + "/" + o.getController())
            .isEqualTo("Pipeline/daily-train/true"));
    assertThat(wt.getMetadata().getLabels()).containsEntry("mlops.dev/pipeline", "daily-train")
        .containsEntry("app.kubernetes.io/managed-by", "mlops-operator");
    assertThat(wt.getSpec().getEntrypoint()).isEqualTo("pipeline");
    assertThat(wt.getSpec().getServiceAccountName()).isEqualTo("mlops-pipeline-runner");
    assertThat(values(wt.getSpec().getArguments().getParameters())).containsEntry("date", "").containsEntry("epochs", "3")
        .containsEntry("shards", "[\"a\",\"b\"]").containsEntry("region", "kr");
    assertThat(wt.getSpec().getArguments().getParameters().stream().filter(p -> p.getName().equals("region")).findFirst()
        .orElseThrow().getEnumValues()).containsExactly("kr", "us");
    Map<String, DagTask> dag = dag(wt);
    assertThat(dag).containsOnlyKeys("extract", "featurize", "train", "evaluate", "promote");
    assertThat(dag.get("featurize").getDependencies()).containsExactly("extract");
    assertThat(dag.get("extract").getDependencies()).isNull();
    assertThat(dag.get("promote").getWhen())
        .isEqualTo("{{tasks.evaluate.outputs.parameters.accuracy}} > 0.9 && {{workflow.parameters.promote}} == true");
    assertThat(wt.getSpec().getOnExit()).isEqualTo("on-exit");
    assertThat(templates(wt).get("on-exit").getContainer().getCommand().get(2))
        .isEqualTo("curl -s -X POST \"$SLACK_WEBHOOK\" -d \"daily-train {{workflow.name}}: {{workflow.status}}\"");
  }

  @Test
  void aContainerTaskGetsItsReferencesAsInputsAndRetriesTimeoutOutputsAndCache() {
    WorkflowTemplate wt = PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").template();
    Template extract = templates(wt).get("task-extract");
    assertThat(extract.getContainer().getArgs()).containsExactly("--date", "{{inputs.parameters.p_date}}", "--region",
        "{{inputs.parameters.p_region}}", "--rows-to", "/tmp/rows");
    assertThat(extract.getInputs().getParameters()).extracting(Parameter::getName).containsExactly("p_date", "p_region");
    assertThat(values(dag(wt).get("extract").getArguments().getParameters()))
        .containsExactly(Map.entry("p_date", "{{workflow.parameters.date}}"),
            Map.entry("p_region", "{{workflow.parameters.region}}"));
    assertThat(extract.getRetryStrategy().getLimit().getIntVal()).isEqualTo(3);
    assertThat(extract.getRetryStrategy().getRetryPolicy()).isEqualTo("OnFailure");
    assertThat(extract.getRetryStrategy().getBackoff().getDuration()).isEqualTo("30s");
    assertThat(extract.getRetryStrategy().getBackoff().getFactor().getIntVal()).isEqualTo(2);
    assertThat(extract.getRetryStrategy().getBackoff().getMaxDuration()).isEqualTo("10m");
    assertThat(extract.getTimeout()).isEqualTo("1h");
    assertThat(extract.getOutputs().getParameters()).singleElement()
        .satisfies(p -> assertThat(p.getName() + "=" + p.getValueFrom().getPath()).isEqualTo("rows=/tmp/rows"));
    // Memoized under a hash of pipeline, task, cache version and every input, in the pipeline's cache ConfigMap.
    assertThat(extract.getMemoize().getKey()).isEqualTo("{{=sprig.sha256sum('" + Owners.sha256("daily-train/extract/v1")
        + "' + '|' + inputs.parameters['p_date'] + '|' + inputs.parameters['p_region'])}}");
    assertThat(extract.getMemoize().getMaxAge()).isEqualTo("24h");
    assertThat(extract.getMemoize().getCache().getConfigMap().getName()).isEqualTo("mlops-cache.ml-team.daily-train");
    // Every task mounts the pipeline's NasVolumes and gets the Redis address.
    assertThat(wt.getSpec().getVolumes()).extracting(v -> v.getPersistentVolumeClaim().getClaimName())
        .containsExactly("imagenet", "checkpoints");
    assertThat(extract.getContainer().getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("nas-0:/data", "nas-1:/checkpoints");
    assertThat(extract.getContainer().getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
        .contains("REDIS_HOST=feature-cache.platform.svc", "REDIS_PORT=6379",
            "REDIS_URL=redis://feature-cache.platform.svc:6379");
    assertThat(wt.getSpec().getPodMetadata().getLabels()).containsEntry("mlops.dev/pipeline", "daily-train")
        .containsKey("feature-cache.platform.redis.mlops.dev/client");
  }

  @Test
  void theCacheConfigMapIsLabelledAsArgoRequires() {
    var cache = PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").cache().orElseThrow();
    // Argo keeps its memoization caches in its own namespace: the ConfigMap is there, named for the pipeline.
    assertThat(cache.getMetadata().getNamespace() + "/" + cache.getMetadata().getName())
        .isEqualTo("argo/mlops-cache.ml-team.daily-train");
    assertThat(cache.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(cache.getMetadata().getLabels()).containsEntry(Argo.CONFIGMAP_TYPE, "Cache")
        .containsEntry("mlops.dev/pipeline", "daily-train").containsEntry("mlops.dev/pipeline-namespace", "ml-team");
    assertThat(cache.getData()).isNullOrEmpty();
    assertThat(PipelineCompiler.compile(Pipelines.example("pipeline-portfolio-rebalance.yaml"), "argo").cache()).isEmpty();
  }

  @Test
  void aMappedTaskRunsOverItsParamAndReadsTheItemAndAnEarlierOutput() {
    WorkflowTemplate wt = PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").template();
    DagTask featurize = dag(wt).get("featurize");
    assertThat(featurize.getWithParam()).isEqualTo("{{workflow.parameters.shards}}");
    assertThat(values(featurize.getArguments().getParameters())).containsEntry("item", "{{item}}")
        .containsEntry("o_extract_rows", "{{tasks.extract.outputs.parameters.rows}}");
    assertThat(templates(wt).get("task-featurize").getContainer().getArgs()).containsExactly("--shard",
        "{{inputs.parameters.item}}", "--date", "{{inputs.parameters.p_date}}", "--rows", "{{inputs.parameters.o_extract_rows}}");
    Pipeline items = Pipelines.yaml("""
        apiVersion: mlops.dev/v1alpha1
        kind: Pipeline
        metadata: {name: items, namespace: ml-team}
        spec:
          tasks:
            - name: list
              container: {image: busybox, command: [sh, -c, 'echo "[1,2]" > /tmp/l']}
              outputs: [{name: l, path: /tmp/l}]
            - name: each
              dependsOn: [list]
              map: {fromOutput: list.l}
              container: {image: busybox, args: ["{{item}}"]}
            - name: fixed
              map: {items: [a, {x: 1}]}
              container: {image: busybox, args: ["{{item}}"]}
        """);
    Map<String, DagTask> tasks = dag(PipelineCompiler.compile(items, "argo").template());
    assertThat(tasks.get("each").getWithParam()).isEqualTo("{{tasks.list.outputs.parameters.l}}");
    assertThat(Serialization.asJson(tasks.get("fixed").getWithItems())).isEqualTo("[\"a\",{\"x\":1}]");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTrainingTaskCreatesItsTrainingJobAndWaitsForItsPhase() {
    WorkflowTemplate wt = PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").template();
    Template train = templates(wt).get("task-train");
    assertThat(train.getContainer()).isNull();
    assertThat(train.getResource().getAction()).isEqualTo("create");
    assertThat(train.getResource().getSetOwnerReference()).isTrue();
    assertThat(train.getResource().getSuccessCondition()).isEqualTo("status.phase == Succeeded");
    assertThat(train.getResource().getFailureCondition()).isEqualTo("status.phase == Failed");
    Map<String, Object> manifest = Serialization.unmarshal(train.getResource().getManifest(), Map.class);
    assertThat(manifest).containsEntry("apiVersion", "mlops.dev/v1alpha1").containsEntry("kind", "TrainingJob");
    Map<String, Object> metadata = (Map<String, Object>) manifest.get("metadata");
    // <task>-<the tail of the Workflow's name>: worker hostnames <job>-<index> stay within 63 characters.
    assertThat(metadata.get("name")).isEqualTo("train-{{=sprig.trunc(-55, workflow.name)}}");
    assertThat((Map<String, Object>) metadata.get("labels")).containsEntry("mlops.dev/pipelinerun", "{{workflow.name}}");
    Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
    assertThat((List<String>) spec.get("args")).containsExactly("--date", "{{inputs.parameters.p_date}}", "--epochs",
        "{{inputs.parameters.p_epochs}}", "--lr", "{{inputs.parameters.p_lr}}", "--checkpoints", "/checkpoints/daily");
    assertThat(Serialization.asJson(spec.get("volumes"))).isEqualTo("[{\"nasVolume\":\"imagenet\",\"mountPath\":\"/data\"},"
        + "{\"nasVolume\":\"checkpoints\",\"mountPath\":\"/checkpoints\"}]");
    assertThat(Serialization.asJson(spec.get("redis"))).isEqualTo("[{\"name\":\"feature-cache\",\"namespace\":\"platform\"}]");
    assertThat(PipelineCompiler.trainingJobName("daily-train-20261128",
        Pipelines.dailyTrain().getSpec().getTasks().get(2))).isEqualTo("train-daily-train-20261128");
    String cronRun = "daily-train-1764356400";
    String longRun = "a-very-long-experiment-name-for-the-daily-training-run-" + cronRun;
    String name = PipelineCompiler.trainingJobName(longRun, Pipelines.dailyTrain().getSpec().getTasks().get(2));
    assertThat(name).hasSize(61).startsWith("train-").endsWith(cronRun);
  }

  @Test
  void schedulesBecomeCronWorkflowsWithTheirTimeZoneAndEveryParam() {
    List<CronWorkflow> crons = PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").cronWorkflows();
    assertThat(crons).singleElement().satisfies(c -> {
      assertThat(c.getMetadata().getName()).isEqualTo("daily-train");
      assertThat(c.getSpec().getSchedules()).containsExactly("0 3 * * *");
      assertThat(c.getSpec().getTimezone()).isEqualTo("Asia/Seoul");
      assertThat(c.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
      assertThat(c.getSpec().getWorkflowSpec().getWorkflowTemplateRef().getName()).isEqualTo("daily-train");
      assertThat(values(c.getSpec().getWorkflowSpec().getArguments().getParameters()))
          .containsEntry("date", "{{=sprig.dateInZone('2006-01-02', sprig.toDate('2006-01-02T15:04:05Z07:00',"
              + " workflow.scheduledTime), 'Asia/Seoul')}}").containsEntry("epochs", "3")
          .hasSize(6);
      assertThat(c.getSpec().getWorkflowMetadata().getLabels()).containsEntry("mlops.dev/pipeline", "daily-train");
    });
    List<CronWorkflow> portfolio = PipelineCompiler.compile(Pipelines.example("pipeline-portfolio-rebalance.yaml"), "argo")
        .cronWorkflows();
    assertThat(portfolio).extracting(c -> c.getMetadata().getName() + " " + c.getSpec().getTimezone() + " "
        + c.getSpec().getSchedules()).containsExactly("portfolio-rebalance Asia/Seoul [50 8 * * 1-5, 40 15 * * 1-5]",
        "portfolio-rebalance-2 America/New_York [35 9 * * 1-5]");
  }

  @Test
  void theDesiredHashChangesWithTheSpecOnly() {
    Pipeline a = Pipelines.dailyTrain();
    String hash = Owners.desiredHash(PipelineCompiler.compile(a, "argo").template());
    assertThat(Owners.desiredHash(PipelineCompiler.compile(Pipelines.dailyTrain(), "argo").template())).isEqualTo(hash);
    a.getSpec().getTasks().get(0).setTimeout("2h");
    assertThat(Owners.desiredHash(PipelineCompiler.compile(a, "argo").template())).isNotEqualTo(hash);
  }

  /** Correctness at scale; its compile time is the bench's to measure (docs/performance.md). */
  @Test
  void aThousandTaskDagCompilesEveryTaskWithItsDependenciesAndInputs() {
    Pipeline large = Pipelines.large(1000, 10);
    assertThat(PipelineValidator.validate("large", large.getSpec())).isEmpty();
    WorkflowTemplate wt = PipelineCompiler.compile(large, "argo").template();
    Map<String, DagTask> dag = dag(wt);
    assertThat(dag).hasSize(1000);
    assertThat(wt.getSpec().getTemplates()).hasSize(1001);
    assertThat(dag.get("t0").getDependencies()).isNull();
    assertThat(dag.get("t999").getDependencies()).containsExactly("t989", "t988");
    assertThat(dag.get("t990").getDependencies()).containsExactly("t980");
    assertThat(values(dag.get("t999").getArguments().getParameters()))
        .containsExactly(Map.entry("o_t989_out", "{{tasks.t989.outputs.parameters.out}}"));
    assertThat(templates(wt).get("task-t999").getContainer().getCommand())
        .containsExactly("sh", "-c", "echo {{inputs.parameters.o_t989_out}} > /tmp/out");
  }
}
