package dev.mlops.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's params against the Pipeline's types: every value resolved, defaults included, or a line per problem. */
class PipelineParamsTest {

  static PipelineParams.Resolved resolve(String paramsJson) {
    Map<String, JsonNode> given = Serialization.jsonMapper().convertValue(Serialization.unmarshal(paramsJson, Map.class),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, JsonNode>>() {});
    return PipelineParams.resolve(Pipelines.dailyTrain().getSpec().getParams(), given);
  }

  @Test
  void everyParamIsResolvedDefaultsIncluded() {
    var r = resolve("{\"date\": \"2026-11-28\", \"epochs\": 5}");
    assertThat(r.problems()).isEmpty();
    assertThat(r.values()).containsExactly(Map.entry("date", "2026-11-28"), Map.entry("epochs", "5"),
        Map.entry("lr", "0.001"), Map.entry("promote", "true"), Map.entry("shards", "[\"a\",\"b\"]"),
        Map.entry("region", "kr"));
  }

  @Test
  void valuesOfEachTypeAreAcceptedInTheirNaturalForm() {
    var r = resolve("{\"date\": \"d\", \"epochs\": \"7\", \"lr\": 0.5, \"promote\": false, \"shards\": [\"x\", 1],"
        + " \"region\": \"us\"}");
    assertThat(r.problems()).isEmpty();
    assertThat(r.values()).containsEntry("epochs", "7").containsEntry("lr", "0.5").containsEntry("promote", "false")
        .containsEntry("shards", "[\"x\",1]").containsEntry("region", "us");
  }

  @Test
  void wrongTypesEnumsUnknownAndMissingParamsAreEachNamed() {
    var r = resolve("{\"epochs\": \"five\", \"lr\": [1], \"promote\": \"yes\", \"shards\": \"[a\", \"region\": \"eu\","
        + " \"dropout\": 0.1}");
    assertThat(r.problems()).containsExactlyInAnyOrder(
        "spec.params.dropout: the Pipeline has no param dropout (it has date, epochs, lr, promote, shards, region)",
        "spec.params.date: required (string, no default)",
        "spec.params.epochs: 'five' is not an int",
        "spec.params.lr: a list is not a float",
        "spec.params.promote: 'yes' is not a bool (true or false)",
        "spec.params.shards: '[a' is not JSON (it does not parse)",
        "spec.params.region: 'eu' is not one of kr, us");
    assertThat(resolve("{\"date\": \"d\", \"epochs\": 2.5}").problems()).containsExactly("spec.params.epochs: '2.5' is not"
        + " an int");
  }
}
