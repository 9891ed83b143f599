package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.RedisRules;
import org.junit.jupiter.api.Test;

/** A spec.config key the operator does not take: one line that says what was meant, not the whole allow-list. */
class RedisConfigKeysTest {

  @Test
  void aMisspeltKeyGetsTheKeyItWasMeantToBeAndTheFieldThatSetsIt() {
    assertThat(RedisValidator.configProblem("maxmemory-polcy", "allkeys-lru")).hasValue(RedisRules.CONFIG_KEYS
        + ", got \"maxmemory-polcy\". Did you mean maxmemory-policy? It is set with spec.evictionPolicy.");
    assertThat(RedisValidator.configProblem("tcp-keeplive", "60")).get().asString()
        .endsWith(", got \"tcp-keeplive\". Did you mean tcp-keepalive?");
    assertThat(RedisRules.CONFIG_KEYS).as("one line, not the whole allow-list").hasSizeLessThan(200);
  }

  @Test
  void anOwnedKeyPointsToItsFieldAndAnUnrelatedKeyListsNothing() {
    assertThat(RedisValidator.configProblem("requirepass", "x")).hasValue("spec.config may not set requirepass: set it"
        + " with spec.auth");
    assertThat(RedisValidator.configProblem("enable-debug-command", "yes")).get().asString()
        .endsWith(", got \"enable-debug-command\"");
  }

  @Test
  void theApiServersLineNamesEachOwnedKeyWithItsField() {
    for (var owned : RedisRules.CONFIG_FIELDS.entrySet()) {
      assertThat(RedisRules.CONFIG_OWNED_MESSAGE_EXPRESSION).contains("'" + owned.getKey() + "' in self ? 'spec.config"
          + " may not set " + owned.getKey() + ": set it with " + owned.getValue() + "'");
    }
  }
}
