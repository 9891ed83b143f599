package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The live-status probe against real redis-server processes: a master, a replica following it, auth. */
class RedisProbeIT {

  private final RedisProbe probe = new RedisProbe(Duration.ofSeconds(2));

  @Test
  void aMasterAndItsReplicaReportRoleOffsetsLagMemoryAndSaves() {
    try (RealRedis master = RealRedis.start("maxmemory 64mb");
        RealRedis replica = RealRedis.start()) {
      try (Jedis r = new Jedis("127.0.0.1", replica.port)) {
        r.replicaof("127.0.0.1", master.port);
      }
      try (Jedis m = new Jedis("127.0.0.1", master.port)) {
        for (int i = 0; i < 100; i++) {
          m.set("key-" + i, "value-" + i);
        }
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> {
        RedisInfo info = probe.info("127.0.0.1", replica.port, null, null).info().orElseThrow();
        return info.masterLinkUp() && info.offset() > 0;
      });
      RedisInfo m = probe.info("127.0.0.1", master.port, null, null).info().orElseThrow();
      RedisInfo r = probe.info("127.0.0.1", replica.port, null, null).info().orElseThrow();

      assertThat(m.isMaster()).isTrue();
      assertThat(m.maxMemoryBytes()).isEqualTo(64L * 1024 * 1024);
      assertThat(m.usedMemoryBytes()).isPositive().isLessThan(m.maxMemoryBytes());
      assertThat(m.lastSaveOk()).isTrue();
      assertThat(m.replicas()).singleElement().satisfies(c -> {
        assertThat(c.port()).isEqualTo(replica.port);
        assertThat(c.state()).isEqualTo("online");
      });
      assertThat(r.isMaster()).isFalse();
      assertThat(r.masterLinkUp()).isTrue();
      assertThat(r.replicationId()).as("one history: the replica follows the master's").isEqualTo(m.replicationId());
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.info("127.0.0.1", replica.port, null, null).info()
          .orElseThrow().offset() == probe.info("127.0.0.1", master.port, null, null).info().orElseThrow().offset());
    }
  }

  @Test
  void aServerThatRestartedEmptyHasANewHistoryAndOffsetZero() {
    String before;
    try (RealRedis server = RealRedis.start()) {
      try (Jedis j = new Jedis("127.0.0.1", server.port)) {
        j.set("k", "v");
      }
      before = probe.info("127.0.0.1", server.port, null, null).info().orElseThrow().replicationId();
    }
    try (RealRedis restarted = RealRedis.start()) {
      RedisInfo after = probe.info("127.0.0.1", restarted.port, null, null).info().orElseThrow();
      assertThat(after.replicationId()).isNotEqualTo(before);
      assertThat(after.offset()).isZero();
    }
  }

  @Test
  void aWrongPasswordIsAnErrorThatDoesNotRepeatThePassword() {
    try (RealRedis server = RealRedis.start("requirepass s3cret-Passw0rd")) {
      RedisProbe.Answer wrong = probe.info("127.0.0.1", server.port, null, "not-the-password-xyz");
      assertThat(wrong.info()).isEmpty();
      assertThat(wrong.error()).contains("127.0.0.1:" + server.port).containsIgnoringCase("pass")
          .doesNotContain("not-the-password-xyz").doesNotContain("s3cret-Passw0rd");
      assertThat(probe.info("127.0.0.1", server.port, null, "s3cret-Passw0rd").info()).isPresent();
      assertThat(probe.info("127.0.0.1", 1, null, null).error()).contains("127.0.0.1:1");
    }
  }
}
