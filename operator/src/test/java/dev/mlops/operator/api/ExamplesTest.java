package dev.mlops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.YamlDocs;
import dev.mlops.operator.api.v1alpha1.NasServer;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineRun;
import dev.mlops.operator.pipeline.PipelineParams;
import dev.mlops.operator.pipeline.PipelineValidator;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.redis.RedisValidator;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.nas.NasValidator;
import dev.mlops.operator.sandbox.Sandbox;
import dev.mlops.operator.trainingjob.TrainingJobValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest in examples/ (and the sandbox's built-in set) is one the API server and the operator accept. */
class ExamplesTest {

  private static final CrdSchemaValidator TRAINING_JOB = new CrdSchemaValidator(TrainingJobCrdRulesTest.openApiSchema());

  static List<Path> yamlFiles() throws IOException {
    Path examples = dev.mlops.operator.RepoPaths.root().resolve("examples");
    try (Stream<Path> files = Files.walk(examples)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  static List<String> documents(String yaml) {
    return YamlDocs.documents(yaml);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyExampleValidatesAgainstTheCrds() throws IOException {
    List<String> checked = new ArrayList<>();
    Map<String, Pipeline> pipelines = new java.util.HashMap<>();
    List<PipelineRun> runs = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (Path file : yamlFiles()) {
      sources.add(file + "\n" + Files.readString(file));
    }
    try (var in = getClass().getClassLoader().getResourceAsStream("sandbox/default-jobs.yaml")) {
      sources.add("sandbox/default-jobs.yaml\n" + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    for (String source : sources) {
      String origin = source.substring(0, source.indexOf('\n'));
      for (String doc : documents(source.substring(source.indexOf('\n') + 1))) {
        GenericKubernetesResource generic = Serialization.unmarshal(doc, GenericKubernetesResource.class);
        assertThat(generic.getApiVersion()).as("%s: apiVersion", origin).isNotBlank();
        assertThat(generic.getKind()).as("%s: kind", origin).isNotBlank();
        if (!generic.getApiVersion().startsWith("mlops.dev/")) {
          continue;
        }
        assertThat(generic.getKind()).as("%s: a kind this operator serves", origin)
            .isIn("TrainingJob", "NasServer", "NasVolume", "RedisInstance", "Pipeline", "PipelineRun");
        String name = origin + " " + generic.getKind() + " " + generic.getMetadata().getName();
        Map<String, Object> object = Serialization.unmarshal(doc, Map.class);
        switch (generic.getKind()) {
          case "TrainingJob" -> {
            assertThat(TRAINING_JOB.validateCreate(object)).as("CRD errors in %s", name).isEmpty();
            assertThat(TrainingJobValidator.validate(Serialization.unmarshal(doc, TrainingJob.class), Optional.empty()))
                .as("operator errors in %s", name).isEmpty();
          }
          case "NasServer" -> {
            assertThat(KindCrdRulesTest.crd("nasserver").validateCreate(object)).as("CRD errors in %s", name).isEmpty();
            assertThat(NasValidator.validateServer(Serialization.unmarshal(doc, NasServer.class).getSpec()))
                .as("operator errors in %s", name).isEmpty();
          }
          case "RedisInstance" -> {
            assertThat(KindCrdRulesTest.crd("redisinstance").validateCreate(object)).as("CRD errors in %s", name).isEmpty();
            assertThat(RedisValidator.validate(Serialization.unmarshal(doc, RedisInstance.class)))
                .as("operator errors in %s", name).isEmpty();
          }
          case "Pipeline" -> {
            assertThat(KindCrdRulesTest.crd("pipeline").validateCreate(object)).as("CRD errors in %s", name).isEmpty();
            Pipeline pipeline = Serialization.unmarshal(doc, Pipeline.class);
            assertThat(PipelineValidator.validate(pipeline.getMetadata().getName(), pipeline.getSpec()))
                .as("operator errors in %s", name).isEmpty();
            pipelines.put(pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName(), pipeline);
          }
          case "PipelineRun" -> {
            assertThat(KindCrdRulesTest.crd("pipelinerun").validateCreate(object)).as("CRD errors in %s", name).isEmpty();
            runs.add(Serialization.unmarshal(doc, PipelineRun.class));
          }
          default -> {
            assertThat(KindCrdRulesTest.crd("nasvolume").validateCreate(object)).as("CRD errors in %s", name).isEmpty();
            NasVolume nv = Serialization.unmarshal(doc, NasVolume.class);
            assertThat(NasValidator.validateVolume(nv.getMetadata().getName(), nv.getSpec()))
                .as("operator errors in %s", name).isEmpty();
          }
        }
        checked.add(name);
      }
    }
    // Each example run names an example Pipeline and gives it params of the right types.
    for (PipelineRun run : runs) {
      Pipeline pipeline = pipelines.get(run.getMetadata().getNamespace() + "/" + run.getSpec().getPipelineRef());
      assertThat(pipeline).as("the Pipeline of PipelineRun %s among the examples", run.getMetadata().getName()).isNotNull();
      assertThat(PipelineParams.resolve(pipeline.getSpec().getParams(), run.getSpec().getParams()).problems())
          .as("params of PipelineRun %s", run.getMetadata().getName()).isEmpty();
    }
    assertThat(runs).isNotEmpty();
    assertThat(checked).hasSizeGreaterThanOrEqualTo(10);
  }

  /** The files a user hands to render and the sandbox are read by the same reader without a complaint. */
  @Test
  void everyTrainingJobAndNodeExampleIsReadByTheCommandsReader() throws Exception {
    int read = 0;
    for (Path file : yamlFiles()) {
      if (file.toString().contains("argocd")) {
        continue; // Argo CD Applications, not for render or the sandbox
      }
      read += Sandbox.READER.read(file).size();
    }
    assertThat(read).isGreaterThanOrEqualTo(7);
  }
}
