package dev.mlops.operator.argo;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** An Argo WorkflowTemplate: what a Pipeline compiles to. It has no status. */
@Group(Argo.GROUP)
@Version(Argo.VERSION)
@Kind("WorkflowTemplate")
@Plural("workflowtemplates")
public class WorkflowTemplate extends CustomResource<WorkflowSpec, Void> implements Namespaced {}
