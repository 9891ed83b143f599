package dev.mlops.operator.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;

/** A team's volume on an approved NFS export: a PersistentVolume and a PersistentVolumeClaim named after it. */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("NasVolume")
@Plural("nasvolumes")
@Singular("nasvolume")
@ShortNames("nasvol")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Server", jsonPath = ".spec.server", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Path", jsonPath = ".spec.path", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Capacity", jsonPath = ".spec.capacity", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Claim", jsonPath = ".status.persistentVolumeClaimName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = NasRules.VOLUME_NAME_RULE, message = NasRules.VOLUME_NAME)
@ValidationRule(value = NasRules.IMMUTABLE_SERVER_RULE, message = NasRules.IMMUTABLE_SERVER)
@ValidationRule(value = NasRules.IMMUTABLE_PATH_RULE, message = NasRules.IMMUTABLE_PATH)
@ValidationRule(value = NasRules.IMMUTABLE_CAPACITY_RULE, message = NasRules.IMMUTABLE_CAPACITY)
@ValidationRule(value = NasRules.IMMUTABLE_READONLY_RULE, message = NasRules.IMMUTABLE_READONLY)
public class NasVolume extends CustomResource<NasVolumeSpec, NasVolumeStatus> implements Namespaced {

  @Override
  @Required
  public NasVolumeSpec getSpec() {
    return super.getSpec();
  }
}
