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

/**
 * A multi-node torchrun/NCCL training job whose workers all run on one GPU product.
 *
 * <p>Rules at this level see {@code metadata.name} and, on update, the old object: they hold the
 * name checks and the "immutable once started" transition rules. Every rule's message is a
 * constant in {@link TrainingJobRules} so the reconciler reports exactly the same text.
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("TrainingJob")
@Plural("trainingjobs")
@Singular("trainingjob")
@ShortNames("tj")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Queue", jsonPath = ".status.queue.position", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".spec.nodes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "GPUs", jsonPath = ".status.gpus", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Product", jsonPath = ".status.gpuProduct", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Restarts", jsonPath = ".status.restarts", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = TrainingJobRules.NAME_DNS_RULE, message = TrainingJobRules.NAME_DNS)
@ValidationRule(value = TrainingJobRules.NAME_LENGTH_RULE, message = TrainingJobRules.NAME_LENGTH)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_IMAGE_RULE, message = TrainingJobRules.IMMUTABLE_IMAGE)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_COMMAND_RULE, message = TrainingJobRules.IMMUTABLE_COMMAND)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_ARGS_RULE, message = TrainingJobRules.IMMUTABLE_ARGS)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_WORKINGDIR_RULE, message = TrainingJobRules.IMMUTABLE_WORKINGDIR)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_NODES_RULE, message = TrainingJobRules.IMMUTABLE_NODES)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_GPUS_RULE, message = TrainingJobRules.IMMUTABLE_GPUS)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_GPU_RULE, message = TrainingJobRules.IMMUTABLE_GPU)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_RESOURCES_RULE, message = TrainingJobRules.IMMUTABLE_RESOURCES)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_SHM_RULE, message = TrainingJobRules.IMMUTABLE_SHM)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_NCCL_RULE, message = TrainingJobRules.IMMUTABLE_NCCL)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_NETWORK_RULE, message = TrainingJobRules.IMMUTABLE_NETWORK)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_VOLUMES_RULE, message = TrainingJobRules.IMMUTABLE_VOLUMES)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_REDIS_RULE, message = TrainingJobRules.IMMUTABLE_REDIS)
@ValidationRule(value = TrainingJobRules.IMMUTABLE_CHECKPOINT_RULE, message = TrainingJobRules.IMMUTABLE_CHECKPOINT)
public class TrainingJob extends CustomResource<TrainingJobSpec, TrainingJobStatus> implements Namespaced {

  public static final String GROUP = "mlops.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  @Required
  public TrainingJobSpec getSpec() {
    return super.getSpec();
  }
}
