package dev.mlops.operator.kind;

import dev.mlops.operator.nas.NasKinds;
import dev.mlops.operator.pipeline.PipelineKinds;
import dev.mlops.operator.redis.RedisKinds;
import dev.mlops.operator.trainingjob.TrainingJobKind;
import java.util.List;

/** Every kind the operator serves, in the order their controllers start. Add a kind here, and only here. */
public final class Kinds {

  private Kinds() {}

  public static final List<Kind<?>> ALL = List.of(TrainingJobKind.KIND, NasKinds.SERVER, NasKinds.VOLUME,
      RedisKinds.INSTANCE, PipelineKinds.PIPELINE, PipelineKinds.RUN);

  /** The generated CRDs of every kind, as classpath resources. */
  public static List<String> crdResources() {
    return ALL.stream().map(k -> k.resource().crdResource()).toList();
  }

  /** Kind names ("TrainingJob"): the owners whose children the simulated garbage collector collects. */
  public static List<String> names() {
    return ALL.stream().map(k -> k.resource().kind()).toList();
  }
}
