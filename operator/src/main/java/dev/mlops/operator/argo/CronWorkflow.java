package dev.mlops.operator.argo;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Argo CronWorkflow: a Pipeline's schedules, each starting a Workflow from its WorkflowTemplate. */
@Group(Argo.GROUP)
@Version(Argo.VERSION)
@Kind("CronWorkflow")
@Plural("cronworkflows")
public class CronWorkflow extends CustomResource<CronWorkflowSpec, CronWorkflowStatus> implements Namespaced {}
