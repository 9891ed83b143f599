package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.Pipeline;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      unknown dependency | tasks: [{name: a, container: {image: x}, dependsOn: [b]}] | spec.tasks[0].dependsOn: unknown task 'b' (known: a)
      duplicate task | tasks: [{name: a, container: {image: x}}, {name: a, container: {image: y}}] | spec.tasks[1].name: duplicate task name 'a'
      cycle | tasks: [{name: a, container: {image: x}, dependsOn: [c]}, {name: b, container: {image: x}, dependsOn: [a]}, {name: c, container: {image: x}, dependsOn: [b]}] | spec.tasks: dependency cycle a -> c -> b -> a (each depends on the next)
      self dependency | tasks: [{name: a, container: {image: x}, dependsOn: [a]}] | spec.tasks[0].dependsOn: task 'a' depends on itself
      unknown param | tasks: [{name: a, container: {image: x, args: ['{{params.dat}}']}}] | spec.tasks[0].container.args[0]: {{params.dat}} names no param (there are none)
      unknown output task | tasks: [{name: a, container: {image: x, args: ['{{tasks.z.outputs.o}}']}}] | spec.tasks[0].container.args[0]: {{tasks.z.outputs.o}} names unknown task 'z' (known: a)
      unknown output | tasks: [{name: a, container: {image: x}}, {name: b, dependsOn: [a], container: {image: x, env: [{name: X, value: '{{tasks.a.outputs.o}}'}]}}] | spec.tasks[1].container.env[0].value: {{tasks.a.outputs.o}}: task 'a' has no output 'o' (it has none)
      output of a task that runs later | tasks: [{name: a, container: {image: x}, outputs: [{name: o, path: /o}]}, {name: b, container: {image: x, args: ['{{tasks.a.outputs.o}}']}}] | spec.tasks[1].container.args[0]: {{tasks.a.outputs.o}}: task 'b' must depend on 'a' (directly or through dependsOn) to read its output
      item outside a map | tasks: [{name: a, container: {image: x, args: ['{{item}}']}}] | spec.tasks[0].container.args[0]: {{item}} is only defined in a task with map
      run.status outside onExit | tasks: [{name: a, container: {image: x, args: ['{{run.status}}']}}] | spec.tasks[0].container.args[0]: {{run.status}} is only defined in onExit
      Argo syntax | tasks: [{name: a, container: {image: x, args: ['{{workflow.name}}']}}] | spec.tasks[0].container.args[0]: unknown reference {{workflow.name}} (use {{params.<name>}}, {{tasks.<task>.outputs.<name>}}, {{item}} or {{run.name}})
      wrong int default | params: [{name: n, type: int, default: three}]\\ntasks: [{name: a, container: {image: x}}] | spec.params[0].default of param n: 'three' is not an int
      wrong json default | params: [{name: j, type: json, default: '[a'}]\\ntasks: [{name: a, container: {image: x}}] | spec.params[0].default of param j: '[a' is not JSON (it does not parse)
      default outside enum | params: [{name: r, enum: [kr, us], default: eu}]\\ntasks: [{name: a, container: {image: x}}] | spec.params[0].default of param r: 'eu' is not one of kr, us
      duplicate param | params: [{name: r}, {name: r}]\\ntasks: [{name: a, container: {image: x}}] | spec.params[1].name: duplicate param 'r'
      map over a string param | params: [{name: s}]\\ntasks: [{name: a, map: {fromParam: s}, container: {image: x}}] | spec.tasks[0].map.fromParam: param 's' must be of type json (a list), it is string
      bad cron | tasks: [{name: a, container: {image: x}}]\\nschedules: [{cron: '0 25 * * *'}] | spec.schedules[0].cron: '0 25 * * *': the hour '25' is not 0-23
      cron with six fields | tasks: [{name: a, container: {image: x}}]\\nschedules: [{cron: '0 0 3 * * *'}] | spec.schedules[0].cron: '0 0 3 * * *' has 6 fields; a cron has 5 (minute hour day-of-month month day-of-week)
      bad time zone | tasks: [{name: a, container: {image: x}}]\\nschedules: [{cron: '@daily', timezone: Asia/Sejong}] | spec.schedules[0].timezone: 'Asia/Sejong' is not an IANA time zone such as Asia/Seoul or UTC
      schedule without a required param | params: [{name: date}]\\ntasks: [{name: a, container: {image: x}}]\\nschedules: [{cron: '@daily'}] | spec.schedules[0].params: param date has no default, so the schedule must give it
      schedule with a wrong value | params: [{name: n, type: int, default: '1'}]\\ntasks: [{name: a, container: {image: x}}]\\nschedules: [{cron: '@daily', params: {n: many}}] | spec.schedules[0].params.n: 'many' is not an int
      retries on a training task | tasks: [{name: t, retries: {limit: 2}, trainingJob: {spec: {image: x, nodes: 1, gpusPerNode: 0}}}] | spec.tasks[0].retries is not supported on a trainingJob task: a TrainingJob restarts its workers itself (trainingJob.spec.runPolicy)
      unknown field of a training spec | tasks: [{name: t, trainingJob: {spec: {image: x, nodes: 1, gpusPerNode: 0, replicas: 2}}}] | spec.tasks[0].trainingJob.spec.replicas: unknown field
      both container and training job | tasks: [{name: t, container: {image: x}, trainingJob: {spec: {image: x}}}] | spec.tasks[0]: a task has exactly one of container or trainingJob
      """)
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
        .anySatisfy(e -> assertThat(e).isEqualTo("spec.tasks: dependency cycle t0 -> t999 -> t998 -> t997 -> t996 -> ... -> t2 -> t1 -> t0"
            + " (each depends on the next; 1000 tasks)"));
  }
}
