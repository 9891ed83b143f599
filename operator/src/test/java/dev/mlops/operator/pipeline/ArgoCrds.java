package dev.mlops.operator.pipeline;

import dev.mlops.operator.argo.Argo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Argo Workflows' CRDs as its "minimal" manifests declare them: namespaced, {@code argoproj.io/v1alpha1},
 * no schema and no status subresource (Argo writes a Workflow's status with the object). Installing
 * them is what "Argo Workflows is installed" means to the operator.
 */
final class ArgoCrds {

  private ArgoCrds() {}

  static List<CustomResourceDefinition> minimal() {
    return List.of(crd("Workflow", "workflows", "wf"), crd("WorkflowTemplate", "workflowtemplates", "wftmpl"),
        crd("CronWorkflow", "cronworkflows", "cwf"));
  }

  static void install(KubernetesClient client) {
    minimal().forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
  }

  private static CustomResourceDefinition crd(String kind, String plural, String shortName) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + Argo.GROUP).endMetadata()
        .withNewSpec().withGroup(Argo.GROUP).withScope("Namespaced")
        .withNewNames().withKind(kind).withListKind(kind + "List").withPlural(plural)
        .withSingular(kind.toLowerCase(java.util.Locale.ROOT)).withShortNames(shortName).endNames()
        .addNewVersion().withName(Argo.VERSION).withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema().endVersion()
        .endSpec().build();
  }
}
