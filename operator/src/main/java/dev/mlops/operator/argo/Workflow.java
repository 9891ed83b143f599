package dev.mlops.operator.argo;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Argo Workflow: one run. A PipelineRun creates one from its Pipeline's WorkflowTemplate. */
@Group(Argo.GROUP)
@Version(Argo.VERSION)
@Kind("Workflow")
@Plural("workflows")
public class Workflow extends CustomResource<WorkflowSpec, WorkflowStatus> implements Namespaced {}
