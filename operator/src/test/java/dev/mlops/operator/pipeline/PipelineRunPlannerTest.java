package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.api.v1alpha1.PipelineStatus;
import dev.mlops.operator.argo.Workflow;
import dev.mlops.operator.argo.WorkflowStatus;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.pipeline.PipelineRunPlanner.Observed;
import dev.mlops.operator.pipeline.PipelineRunPlanner.Plan;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A PipelineRun's plan: which Workflow is its own, and what its status says when Argo says little. */
class PipelineRunPlannerTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final ArgoAvailability.Answer INSTALLED = ArgoAvailability.Answer.installed("installed");

  private static Pipeline compiled() {
    Pipeline p = Pipelines.dailyTrain();
    PipelineStatus status = new PipelineStatus();
    status.setPhase(PipelinePlanner.READY);
    status.setObservedGeneration(1L);
    p.setStatus(status);
    return p;
  }

  private static PipelineRun run() {
    return Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: daily-train-20261128, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-28"}}
        """);
  }

  /** A Workflow of the run's name whose controller is the object of {@code ownerUid}. */
  private static Workflow workflowOwnedBy(String ownerUid) {
    Workflow wf = PipelineRunPlanner.workflow(run(), compiled(), java.util.Map.of("date", "2026-11-28"));
    wf.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder().withApiVersion("mlops.dev/v1alpha1")
        .withKind("PipelineRun").withName("daily-train-20261128").withUid(ownerUid).withController(true).build()));
    return wf;
  }

  private static Plan plan(PipelineRun run, Optional<Workflow> workflow) {
    return PipelineRunPlanner.plan(run, new Observed(INSTALLED, Optional.of(compiled()), workflow), NOW);
  }

  @Test
  void theWorkflowOfAnEarlierRunOfTheSameNameIsNeverMirroredAndTheRunWaitsForItToGo() {
    PipelineRun run = run();
    Workflow earlier = workflowOwnedBy("uid-of-the-deleted-run");
    earlier.getMetadata().setDeletionTimestamp("2026-12-07T09:59:59Z");
    Plan waiting = plan(run, Optional.of(earlier));
    assertThat(waiting.create()).isEmpty();
    assertThat(waiting.status().getWorkflow()).isNull();
    assertThat(waiting.status().getPhase()).isEqualTo("Pending");
    assertThat(waiting.status().getMessage()).isEqualTo("Waiting for Workflow daily-train-20261128 of an earlier"
        + " PipelineRun of this name to be deleted.");

    Plan gone = plan(run, Optional.empty());
    assertThat(gone.create()).isPresent();
    assertThat(gone.status().getWorkflow()).isEqualTo("daily-train-20261128");
  }

  @Test
  void aWorkflowOfTheNameThatIsNotTheRunsIsLeftAloneAndSaidOnce() {
    PipelineRun run = run();
    Workflow theirs = workflowOwnedBy("someone-else");
    Plan plan = plan(run, Optional.of(theirs));
    assertThat(plan.create()).isEmpty();
    var valid = Conditions.find(plan.status().getConditions(), "Valid").orElseThrow();
    assertThat(valid.getReason()).isEqualTo("WorkflowNameTaken");
    assertThat(valid.getMessage()).startsWith("Workflow daily-train-20261128 exists and was not created by this"
        + " PipelineRun");
    assertThat(plan.events()).hasSize(1);
    run.setStatus(plan.status());
    assertThat(plan(run, Optional.of(theirs)).events()).isEmpty();
  }

  @Test
  void aFailedWorkflowWithoutAMessageNamesTheTaskThatFailed() {
    PipelineRun run = run();
    Plan created = plan(run, Optional.empty());
    run.setStatus(created.status());
    Workflow wf = workflowOwnedBy("uid-daily-train-20261128");
    wf.setStatus(Serialization.unmarshal("""
        phase: Failed
        nodes:
          a: {id: a, name: daily-train-20261128.extract, type: Pod, phase: Failed, message: "Error (exit code 2)"}
        """, WorkflowStatus.class));
    Plan failed = plan(run, Optional.of(wf));
    assertThat(failed.status().getPhase()).isEqualTo("Failed");
    assertThat(failed.status().getMessage()).isEqualTo("Workflow daily-train-20261128 ended Failed; failed: extract (see"
        + " tasks[].message).");
    assertThat(failed.events()).singleElement().satisfies(e -> assertThat(e.message()).contains("failed: extract"));
  }
  @Test
  void aWorkflowCreateThatWasRefusedIsAskedAgainNotTakenForADeletedWorkflow() {
    PipelineRun run = run();
    Plan created = plan(run, Optional.empty());
    run.setStatus(created.status());
    Plan again = plan(run, Optional.empty());
    assertThat(again.create()).as("the same Workflow, created again").isPresent();
    assertThat(again.create().get().getSpec().getArguments().getParameters()).extracting(p -> p.getName())
        .contains("date", "epochs");
    assertThat(again.status()).isEqualTo(created.status());
    assertThat(again.events()).isEmpty();
  }

  @Test
  void aRunningRunKeepsItsStatusWhileArgoCannotBeAsked() {
    PipelineRun run = run();
    run.setStatus(plan(run, Optional.empty()).status());
    Workflow wf = workflowOwnedBy("uid-daily-train-20261128");
    wf.setStatus(Serialization.unmarshal("phase: Running\nstartedAt: \"2026-12-07T09:00:00Z\"\n", WorkflowStatus.class));
    Plan running = plan(run, Optional.of(wf));
    run.setStatus(running.status());
    Plan blind = PipelineRunPlanner.plan(run, new Observed(new ArgoAvailability.Answer(false, "CrdsUnreadable",
        "reading CustomResourceDefinition workflows.argoproj.io was refused (HTTP 429)"), Optional.of(compiled()),
        Optional.empty()), NOW);
    assertThat(blind.status()).isEqualTo(running.status());
    assertThat(blind.status().getPhase()).isEqualTo("Running");
    assertThat(blind.create()).isEmpty();
    assertThat(blind.events()).isEmpty();
  }

  @Test
  void aParamAMappedTaskIteratesOrATrainingTaskReadsIsCheckedForThatUseBeforeAnyWorkflow() {
    PipelineRun notAList = Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: r1, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-28", shards: '{"a": 1}'}}
        """);
    Plan refused = plan(notAList, Optional.empty());
    assertThat(refused.create()).isEmpty();
    assertThat(refused.status().getPhase()).isEqualTo("Invalid");
    assertThat(refused.status().getReason()).isEqualTo("InvalidParams");
    notAList.setStatus(refused.status());
    assertThat(PipelineRunPlanner.finished(notAList)).as("an invalid run never runs").isTrue();
    assertThat(refused.status().getMessage()).contains("params.shards: '{\"a\": 1}' is not a JSON list, and task"
        + " featurize maps over it");
    PipelineRun quoted = Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: r2, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: '2026-11-28" --evil'}}
        """);
    Plan refusedToo = plan(quoted, Optional.empty());
    assertThat(refusedToo.create()).isEmpty();
    assertThat(refusedToo.status().getMessage()).contains("cannot go into training task train");
  }

  @Test
  void aWrongReferenceOrAWronglyTypedParamIsSaidBeforeArgoIsMissing() {
    ArgoAvailability.Answer missing = new ArgoAvailability.Answer(false, "ArgoWorkflowsNotInstalled",
        "Argo Workflows is not installed");
    PipelineRun misspelt = Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: r3, namespace: ml-team}
        spec: {pipelineRef: nightlly}
        """);
    Plan notFound = PipelineRunPlanner.plan(misspelt, new Observed(missing, Optional.empty(), Optional.empty()), NOW);
    assertThat(notFound.status().getReason()).isEqualTo("PipelineNotFound");
    assertThat(notFound.status().getMessage()).startsWith("Pipeline nightlly (spec.pipelineRef) is not in namespace");
    assertThat(notFound.events()).extracting(e -> e.reason()).containsExactly("PipelineNotFound");

    PipelineRun wrongType = Pipelines.run("""
        apiVersion: mlops.dev/v1alpha1
        kind: PipelineRun
        metadata: {name: r4, namespace: ml-team}
        spec: {pipelineRef: daily-train, params: {date: "2026-11-28", epochs: many}}
        """);
    Plan invalid = PipelineRunPlanner.plan(wrongType, new Observed(missing, Optional.of(compiled()), Optional.empty()),
        NOW);
    assertThat(invalid.status().getPhase()).isEqualTo("Invalid");
    assertThat(invalid.status().getReason()).isEqualTo("InvalidParams");
    assertThat(invalid.status().getMessage()).contains("params.epochs");
    assertThat(invalid.create()).isEmpty();

    // A valid run waits for Argo, and says that is all it waits for.
    Plan waiting = PipelineRunPlanner.plan(run(), new Observed(missing, Optional.of(compiled()), Optional.empty()), NOW);
    assertThat(waiting.status().getPhase()).isEqualTo("Pending");
    assertThat(waiting.status().getReason()).isEqualTo("ArgoWorkflowsNotInstalled");
    assertThat(waiting.recheckArgo()).isTrue();
  }
}
