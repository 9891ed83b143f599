package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Each problem of a Pipeline is said before anything runs, naming the field and the value. */
class PipelineValidatorTest {

  static List<String> errors(String specYaml) {
    Pipeline p = Pipelines.yaml("apiVersion: mlops.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: p, namespace: ml-team}\n"
        + "spec:\n" + specYaml.indent(2));
    return PipelineValidator.validate(p.getMetadata().getName(), p.getSpec());
  }

  @Test
  void theExamplesAreValid() {
    for (String file : List.of("pipeline-daily-train.yaml", "pipeline-portfolio-rebalance.yaml")) {
      Pipeline p = Pipelines.example(file);
      assertThat(PipelineValidator.validate(p.getMetadata().getName(), p.getSpec())).as(file).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvFileSource(resources = "/pipeline/validator-problems.psv", delimiter = '|', quoteCharacter = '"')
  void eachProblemNamesItsField(String what, String spec, String expected) {
    assertThat(errors(spec.replace("\\n", "\n"))).as(what).anySatisfy(e -> assertThat(e).startsWith(expected));
  }

  @Test
  void aTrainingSpecIsCheckedByTheTrainingJobRules() {
    assertThat(errors("tasks: [{name: t, trainingJob: {spec: {image: x, nodes: 0, gpusPerNode: 0}}}]"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.tasks[0].trainingJob.spec.nodes"));
    // References are text until the run: a param in the image is checked as a name, not refused.
    assertThat(errors("params: [{name: tag}]\ntasks: [{name: t, trainingJob: {spec: {image: 'repo/train:{{params.tag}}',"
        + " nodes: 2, gpusPerNode: 8}}}]")).isEmpty();
  }

  @Test
  void aLongChainWithABackEdgeIsFoundWithoutOverflowingTheStack() {
    Pipeline chain = Pipelines.large(1000, 1);
    chain.getSpec().getTasks().get(0).setDependsOn(List.of("t999"));
    assertThat(PipelineValidator.validate("large", chain.getSpec()))
        .anySatisfy(e -> assertThat(e).isEqualTo("spec.tasks: dependency cycle t0 -> t999 -> t998 -> t997 -> t996"
            + " -> ... -> t2 -> t1 -> t0 (each depends on the next; 1000 tasks)"));
  }
}
