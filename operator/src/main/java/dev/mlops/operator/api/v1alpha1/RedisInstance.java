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

/** A Redis server (standalone) or a master with replicas the operator fails over, bound into jobs by name. */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("RedisInstance")
@Plural("redisinstances")
@Singular("redisinstance")
@ShortNames("redis")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Master", jsonPath = ".status.master", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Used", jsonPath = ".status.usedMemoryBytes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = RedisRules.NAME_RULE, message = RedisRules.NAME)
@ValidationRule(value = RedisRules.IMMUTABLE_MODE_RULE, message = RedisRules.IMMUTABLE_MODE)
@ValidationRule(value = RedisRules.IMMUTABLE_STORAGE_RULE, message = RedisRules.IMMUTABLE_STORAGE)
public class RedisInstance extends CustomResource<RedisInstanceSpec, RedisInstanceStatus> implements Namespaced {

  @Override
  @Required
  public RedisInstanceSpec getSpec() {
    return super.getSpec();
  }
}
