package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.common.Times;
import dev.mlops.operator.redis.RedisConnector.Address;
import dev.mlops.operator.redis.RedisTopology.Command;
import dev.mlops.operator.redis.RedisTopology.Decision;
import dev.mlops.operator.redis.RedisTopology.Server;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failover manager's decisions from INFO answers alone: offsets and replication IDs, never names. */
class RedisTopologyTest {

  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String HISTORY = "a".repeat(40);
  static final String ZEROS = "0".repeat(40);

  static Server server(int ordinal, String info) {
    return new Server("cache-" + ordinal, ordinal, Optional.of(new Address("10.0.0." + ordinal, 6379)),
        new RedisProbe.Answer(Optional.of(RedisInfo.parse(info)), null));
  }

  static Server fenced(int ordinal, String replid, long offset) {
    return server(ordinal, "role:slave\nmaster_host:127.0.0.1\nmaster_port:1\nmaster_link_status:down\nmaster_replid:"
        + replid + "\nmaster_replid2:" + ZEROS + "\nmaster_repl_offset:" + offset);
  }

  static Server replicaOf(int ordinal, int master, String replid, long offset) {
    return server(ordinal, "role:slave\nmaster_host:10.0.0." + master + "\nmaster_port:6379\nmaster_link_status:up\n"
        + "master_replid:" + replid + "\nmaster_replid2:" + ZEROS + "\nmaster_repl_offset:" + offset);
  }

  static Server master(int ordinal, String replid, long offset) {
    return server(ordinal, "role:master\nmaster_replid:" + replid + "\nmaster_replid2:" + ZEROS
        + "\nmaster_repl_offset:" + offset);
  }

  static Server unreachable(int ordinal) {
    return new Server("cache-" + ordinal, ordinal, Optional.of(new Address("10.0.0." + ordinal, 6379)),
        new RedisProbe.Answer(Optional.empty(), "connection refused"));
  }

  static List<String> commands(Decision d) {
    return d.commands().stream().map(c -> c.pod() + "->" + c.master().map(Address::toString).orElse("NO ONE")).toList();
  }

  @Test
  void theFirstMasterWaitsForEveryServerThenTakesTheLowestOrdinalAmongEqualOffsets() {
    Decision waiting = RedisTopology.decide(List.of(fenced(0, "x".repeat(40), 0), unreachable(1)), null, null, null,
        TIMEOUT, NOW);
    assertThat(waiting.master()).isNull();
    assertThat(waiting.commands()).isEmpty();
    assertThat(waiting.waiting()).contains("cache-1 unreachable");
    Decision elected = RedisTopology.decide(List.of(fenced(1, "y".repeat(40), 0), fenced(0, "x".repeat(40), 0)), null,
        null, null, TIMEOUT, NOW);
    assertThat(elected.master()).isEqualTo("cache-0");
    assertThat(commands(elected)).containsExactly("cache-0->NO ONE", "cache-1->10.0.0.0:6379");
    assertThat(elected.failover().orElseThrow().getReason()).isEqualTo("Initial");
  }

  @Test
  void anUnreachableMasterIsWaitedForUntilTheTimeoutThenTheHighestOffsetOfItsHistoryWins() {
    List<Server> servers = List.of(unreachable(0), replicaOf(1, 0, HISTORY, 900), replicaOf(2, 0, HISTORY, 1000));
    String since = Times.format(NOW.minusSeconds(10));
    Decision early = RedisTopology.decide(servers, "cache-0", HISTORY, since, TIMEOUT, NOW);
    assertThat(early.master()).isEqualTo("cache-0");
    assertThat(early.commands()).isEmpty();
    assertThat(early.wake()).contains(Duration.ofSeconds(20));
    Decision late = RedisTopology.decide(servers, "cache-0", HISTORY, Times.format(NOW.minusSeconds(31)), TIMEOUT, NOW);
    assertThat(late.master()).isEqualTo("cache-2");
    assertThat(commands(late)).containsExactly("cache-2->NO ONE", "cache-1->10.0.0.2:6379");
    assertThat(late.failover().orElseThrow().getOffsets()).containsEntry("cache-1", 900L).containsEntry("cache-2", 1000L)
        .doesNotContainKey("cache-0");
    assertThat(late.commands().get(0)).extracting(Command::reason).isEqualTo("FailedOver");
  }

  @Test
  void aServerOfAnotherHistoryLosesToOneOfTheMastersHistoryWhateverItsOffset() {
    // cache-1 restarted from an AOF: a fresh replication ID, a big offset of its own; cache-2 has the master's history.
    List<Server> servers = List.of(unreachable(0), fenced(1, "f".repeat(40), 5_000_000), replicaOf(2, 0, HISTORY, 1000));
    Decision d = RedisTopology.decide(servers, "cache-0", HISTORY, Times.format(NOW.minusSeconds(60)), TIMEOUT, NOW);
    assertThat(d.master()).isEqualTo("cache-2");
  }

  @Test
  void aMasterThatCameBackFencedIsReplacedAtOnceAndFollowsTheNewOne() {
    List<Server> servers = List.of(fenced(0, "e".repeat(40), 0), replicaOf(1, 0, HISTORY, 700), replicaOf(2, 0, HISTORY, 800));
    Decision d = RedisTopology.decide(servers, "cache-0", HISTORY, null, TIMEOUT, NOW);
    assertThat(d.master()).isEqualTo("cache-2");
    assertThat(d.failover().orElseThrow().getReason()).isEqualTo("MasterRestarted");
    assertThat(commands(d)).containsExactly("cache-2->NO ONE", "cache-0->10.0.0.2:6379", "cache-1->10.0.0.2:6379");
  }

  @Test
  void aSecondMasterIsFencedAndAPromotionWhoseStatusWasLostIsKept() {
    // cache-0 (on record) serves; cache-2 answers as master too: it is made a replica, with a Warning.
    List<Server> two = List.of(master(0, HISTORY, 1200), replicaOf(1, 0, HISTORY, 1200), master(2, "b".repeat(40), 1500));
    Decision fenced = RedisTopology.decide(two, "cache-0", HISTORY, null, TIMEOUT, NOW);
    assertThat(fenced.master()).isEqualTo("cache-0");
    assertThat(fenced.commands()).singleElement().satisfies(c -> {
      assertThat(c.pod()).isEqualTo("cache-2");
      assertThat(c.reason()).isEqualTo("FormerMasterFenced");
      assertThat(c.message()).contains("offset 1500").contains("discarded");
    });
    // The record names cache-0, which is now a replica of cache-1 that a previous pass promoted: kept, no second promotion.
    List<Server> promoted = List.of(replicaOf(0, 1, "c".repeat(40), 900), master(1, "c".repeat(40), 900),
        replicaOf(2, 1, "c".repeat(40), 900));
    Decision kept = RedisTopology.decide(promoted, "cache-0", HISTORY, null, TIMEOUT, NOW);
    assertThat(kept.master()).isEqualTo("cache-1");
    assertThat(kept.commands()).isEmpty();
  }

  @Test
  void nothingAnswersNothingIsPromoted() {
    Decision d = RedisTopology.decide(List.of(unreachable(0), unreachable(1)), "cache-0", HISTORY,
        Times.format(NOW.minusSeconds(120)), TIMEOUT, NOW);
    assertThat(d.master()).isEqualTo("cache-0");
    assertThat(d.commands()).isEmpty();
    assertThat(d.waiting()).contains("no server answers");
  }

  @Test
  void aRestartedMasterWaitsForTheTimeoutWhileAServerThatMayHoldMoreDataDoesNotAnswer() {
    List<Server> servers = List.of(fenced(0, "e".repeat(40), 0), replicaOf(1, 0, HISTORY, 700), unreachable(2));
    Decision d = RedisTopology.decide(servers, "cache-0", HISTORY, null, TIMEOUT, NOW);
    assertThat(d.commands()).isEmpty();
    assertThat(d.master()).isEqualTo("cache-0");
    Decision late = RedisTopology.decide(servers, "cache-0", HISTORY, Times.format(NOW.minusSeconds(31)), TIMEOUT, NOW);
    assertThat(late.master()).isEqualTo("cache-1");
  }

  @Test
  void ofTwoMastersTheOneThatContinuedTheOthersHistoryIsKept() {
    // cache-1 was promoted from cache-0 (its replid2 is cache-0's replid) but the status still names cache-0.
    Server old = master(0, HISTORY, 1000);
    Server promoted = server(1, "role:master\nmaster_replid:" + "d".repeat(40) + "\nmaster_replid2:" + HISTORY
        + "\nmaster_repl_offset:1300");
    Decision d = RedisTopology.decide(List.of(old, promoted, replicaOf(2, 1, "d".repeat(40), 1300)), "cache-0", HISTORY,
        null, TIMEOUT, NOW);
    assertThat(d.master()).isEqualTo("cache-1");
    assertThat(commands(d)).containsExactly("cache-0->10.0.0.1:6379");
  }
}
