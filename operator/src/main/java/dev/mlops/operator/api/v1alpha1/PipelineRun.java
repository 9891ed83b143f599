package dev.mlops.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One run of a Pipeline with its params: one Argo Workflow, whose progress its status mirrors. */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("PipelineRun")
@Plural("pipelineruns")
@Singular("pipelinerun")
@ShortNames("plr")
@AdditionalPrinterColumn(name = "Pipeline", jsonPath = ".spec.pipelineRef", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Started", jsonPath = ".status.startedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Finished", jsonPath = ".status.finishedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = PipelineRules.RUN_NAME_RULE, message = PipelineRules.RUN_NAME)
@ValidationRule(value = PipelineRules.IMMUTABLE_RUN_RULE, message = PipelineRules.IMMUTABLE_RUN)
public class PipelineRun extends CustomResource<PipelineRunSpec, PipelineRunStatus> implements Namespaced {

  @Override
  @Required
  public PipelineRunSpec getSpec() {
    return super.getSpec();
  }
}
