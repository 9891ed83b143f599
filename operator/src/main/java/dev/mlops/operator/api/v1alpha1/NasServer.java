package dev.mlops.operator.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * An administrator's approval of one NFS export (cluster-scoped): the server and export root, the
 * driver, the mount options every volume on it gets, and the namespaces that may use it.
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("NasServer")
@Plural("nasservers")
@Singular("nasserver")
@ShortNames("nas")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Server", jsonPath = ".spec.nfs.server", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Export", jsonPath = ".spec.nfs.exportRoot", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".status.profile", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Volumes", jsonPath = ".status.volumes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = NasRules.IMMUTABLE_NFS_RULE, message = NasRules.IMMUTABLE_NFS)
@ValidationRule(value = NasRules.IMMUTABLE_DRIVER_RULE, message = NasRules.IMMUTABLE_DRIVER)
public class NasServer extends CustomResource<NasServerSpec, NasServerStatus> {

  @Override
  @Required
  public NasServerSpec getSpec() {
    return super.getSpec();
  }
}
