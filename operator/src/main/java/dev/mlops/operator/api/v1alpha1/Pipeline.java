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

/** A typed DAG of tasks compiled to an Argo WorkflowTemplate (and a CronWorkflow per schedule group). */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("Pipeline")
@Plural("pipelines")
@Singular("pipeline")
@ShortNames("pl")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Template", jsonPath = ".status.workflowTemplate", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".status.cronWorkflow", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last-Scheduled", jsonPath = ".status.lastScheduleTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = PipelineRules.PIPELINE_NAME_RULE, message = PipelineRules.PIPELINE_NAME)
public class Pipeline extends CustomResource<PipelineSpec, PipelineStatus> implements Namespaced {

  @Override
  @Required
  public PipelineSpec getSpec() {
    return super.getSpec();
  }
}
