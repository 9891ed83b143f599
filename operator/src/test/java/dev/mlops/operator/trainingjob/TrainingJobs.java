package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.GpuSpec;
import dev.mlops.operator.api.v1alpha1.RunPolicy;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Test fixtures: small valid TrainingJobs to vary. */
final class TrainingJobs {

  private TrainingJobs() {}

  static TrainingJob gpuJob(String name, int nodes, int gpusPerNode) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ml-team").withUid("uid-" + name)
        .withGeneration(1L).build());
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.setImage("nvcr.io/nvidia/pytorch:24.05-py3");
    spec.setCommand(List.of("torchrun", "train.py"));
    spec.setNodes(nodes);
    spec.setGpusPerNode(gpusPerNode);
    spec.setRunPolicy(new RunPolicy());
    tj.setSpec(spec);
    return tj;
  }

  static TrainingJob withProduct(TrainingJob tj, String product) {
    GpuSpec gpu = new GpuSpec();
    gpu.setProduct(product);
    tj.getSpec().setGpu(gpu);
    return tj;
  }

  /** A copy without server-side fields, ready to create. */
  static TrainingJob fresh(TrainingJob tj) {
    tj.getMetadata().setUid(null);
    tj.getMetadata().setGeneration(null);
    return tj;
  }
}
