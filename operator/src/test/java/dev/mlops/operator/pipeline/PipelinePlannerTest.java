package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.pipeline.PipelinePlanner.Action;
import dev.mlops.operator.pipeline.PipelinePlanner.Create;
import dev.mlops.operator.pipeline.PipelinePlanner.Delete;
import dev.mlops.operator.pipeline.PipelinePlanner.Observed;
import dev.mlops.operator.pipeline.PipelinePlanner.Plan;
import dev.mlops.operator.pipeline.PipelinePlanner.Update;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Pipeline's plan from what the caches hold: when it writes, what, and when it says Ready. */
class PipelinePlannerTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final ArgoAvailability.Answer INSTALLED = ArgoAvailability.Answer.installed("installed");

  private static Plan plan(Pipeline p, Optional<WorkflowTemplate> template, List<CronWorkflow> crons) {
    return PipelinePlanner.plan(p, new Observed(INSTALLED, "argo", template, crons,
        Optional.of(PipelineCompiler.compile(p, "argo").cache().orElseThrow())), NOW);
  }

  private static String ready(Plan plan) {
    var c = Conditions.find(plan.status().getConditions(), "Ready").orElseThrow();
    return c.getStatus() + "/" + c.getReason();
  }

  /** The children as the server returns them after the operator wrote them. */
  private static PipelineCompiler.Compiled written(Pipeline p) {
    var compiled = PipelineCompiler.compile(p, "argo");
    return new PipelineCompiler.Compiled(Serialization.clone(compiled.template()),
        compiled.cronWorkflows().stream().map(Serialization::clone).toList(), compiled.cache());
  }

  @Test
  void aPipelineIsReadyOnlyOnceTheServerHoldsWhatItCompilesTo() {
    Pipeline p = Pipelines.dailyTrain();
    Plan first = plan(p, Optional.empty(), List.of());
    assertThat(first.actions()).extracting(a -> ((Create) a).child().getKind())
        .containsExactly("WorkflowTemplate", "CronWorkflow");
    assertThat(first.status().getPhase()).isEqualTo("Pending");
    assertThat(ready(first)).isEqualTo("False/Syncing");
    assertThat(first.events()).extracting(e -> e.reason()).containsExactly("Compiled");

    p.setStatus(first.status());
    var children = written(p);
    Plan second = plan(p, Optional.of(children.template()), children.cronWorkflows());
    assertThat(second.actions()).isEmpty();
    assertThat(second.status().getPhase()).isEqualTo("Ready");
    assertThat(ready(second)).isEqualTo("True/Compiled");
    assertThat(second.events()).isEmpty();

    p.setStatus(second.status());
    assertThat(plan(p, Optional.of(children.template()), children.cronWorkflows()).status())
        .as("a third pass over the same observation changes nothing").isEqualTo(second.status());
  }

  @Test
  void aHandEditOfAFieldTheOperatorOwnsIsUndoneAndAFieldItDoesNotModelIsLeftAlone() {
    Pipeline p = Pipelines.dailyTrain();
    var children = written(p);
    WorkflowTemplate edited = children.template();
    edited.getSpec().getTemplates().stream().filter(t -> "task-extract".equals(t.getName())).findFirst().orElseThrow()
        .getContainer().setImage("registry.example.com/ml/etl:hotfix");
    Plan restore = plan(p, Optional.of(edited), children.cronWorkflows());
    assertThat(restore.actions()).singleElement().isInstanceOf(Update.class);
    WorkflowTemplate restored = (WorkflowTemplate) PipelinePlanner.applyDesired(Serialization.clone(edited),
        ((Update) restore.actions().get(0)).desired());
    assertThat(restored.getSpec().getTemplates().stream().filter(t -> "task-extract".equals(t.getName())).findFirst()
        .orElseThrow().getContainer().getImage()).isEqualTo("registry.example.com/ml/etl:1.4");

    WorkflowTemplate extended = written(p).template();
    extended.getSpec().setUnmodelled("archiveLogs", true);
    extended.getMetadata().getLabels().put("team", "ml");
    assertThat(plan(p, Optional.of(extended), children.cronWorkflows()).actions()).isEmpty();
  }

  @Test
  void someoneElsesWorkflowTemplateOfTheNameIsLeftAloneAndSaidOnce() {
    Pipeline p = Pipelines.dailyTrain();
    WorkflowTemplate theirs = new WorkflowTemplate();
    theirs.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("daily-train")
        .withNamespace("ml-team").build());
    Plan plan = plan(p, Optional.of(theirs), List.of());
    assertThat(plan.actions()).as("nothing written, not even the CronWorkflow").isEmpty();
    assertThat(ready(plan)).isEqualTo("False/NameTaken");
    assertThat(plan.status().getPhase()).isEqualTo("Pending");
    assertThat(plan.events()).singleElement().satisfies(e -> assertThat(e.message())
        .startsWith("WorkflowTemplate daily-train exists and is not this Pipeline's (no label mlops.dev/pipeline=daily-train)")
        .endsWith("delete or rename it; the Pipeline is compiled then."));
    p.setStatus(plan.status());
    assertThat(plan(p, Optional.of(theirs), List.of()).events()).as("said once").isEmpty();
  }

  @Test
  void aRemovedScheduleDeletesItsCronWorkflowButNeverSomeoneElses() {
    Pipeline p = Pipelines.dailyTrain();
    var children = written(p);
    CronWorkflow ours = children.cronWorkflows().get(0);
    CronWorkflow theirs = Serialization.clone(ours);
    theirs.getMetadata().setName("daily-train-backfill");
    theirs.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of("team", "ml")));
    p.getSpec().setSchedules(null);
    List<Action> actions = plan(p, Optional.of(children.template()), List.of(ours, theirs)).actions();
    assertThat(actions).filteredOn(Delete.class::isInstance).extracting(a -> ((Delete) a).child().getMetadata().getName())
        .containsExactly("daily-train");
  }

  @Test
  void theCacheConfigMapIsMadeOnceAndNeverRewritten() {
    Pipeline p = Pipelines.dailyTrain();
    var children = written(p);
    Plan without = PipelinePlanner.plan(p, new Observed(INSTALLED, "argo", Optional.of(children.template()),
        children.cronWorkflows(), Optional.empty()), NOW);
    assertThat(without.actions()).singleElement().satisfies(a -> assertThat(((Create) a).child()).isInstanceOf(ConfigMap.class));
    assertThat(ready(without)).as("a missing cache does not hold runs back").isEqualTo("True/Compiled");
    ConfigMap filled = Serialization.clone(children.cache().orElseThrow());
    filled.setData(java.util.Map.of("k", "{\"nodeID\":\"x\"}"));
    assertThat(PipelinePlanner.plan(p, new Observed(INSTALLED, "argo", Optional.of(children.template()),
        children.cronWorkflows(), Optional.of(filled)), NOW).actions()).isEmpty();
  }
  @Test
  void aWorkflowTemplateOfAnEarlierPipelineOfTheNameIsAdoptedWithTheNewOneAsItsController() {
    Pipeline p = Pipelines.dailyTrain();
    var children = written(p);
    WorkflowTemplate orphan = children.template();
    orphan.getMetadata().getOwnerReferences().forEach(o -> o.setUid("uid-of-the-deleted-pipeline"));
    Plan adopt = plan(p, Optional.of(orphan), children.cronWorkflows());
    assertThat(adopt.actions()).singleElement().isInstanceOf(Update.class);
    WorkflowTemplate adopted = (WorkflowTemplate) PipelinePlanner.applyDesired(Serialization.clone(orphan),
        ((Update) adopt.actions().get(0)).desired());
    assertThat(adopted.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid() + "/" + o.getController()).isEqualTo("uid-daily-train/true"));
    assertThat(plan(p, Optional.of(adopted), children.cronWorkflows()).actions()).as("then in sync").isEmpty();
  }
}
