package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** INFO as redis-server 6.2 and 7.x print it (CRLF, section headers, slaveN lines). */
class RedisInfoTest {

  static final String MASTER = String.join("\r\n",
      "# Replication",
      "role:master",
      "connected_slaves:2",
      "slave0:ip=10.0.0.12,port=6379,state=online,offset=5000,lag=0",
      "slave1:ip=10.0.0.13,port=6379,state=wait_bgsave,offset=0,lag=7",
      "master_failover_state:no-failover",
      "master_replid:8f1c0c5e6a3c4d1f9a0b1c2d3e4f5a6b7c8d9e0f",
      "master_replid2:0000000000000000000000000000000000000000",
      "master_repl_offset:5012",
      "",
      "# Memory",
      "used_memory:1048576",
      "maxmemory:6442450944",
      "",
      "# Persistence",
      "loading:0",
      "rdb_last_save_time:1764662400",
      "rdb_last_bgsave_status:ok",
      "aof_enabled:1",
      "aof_last_write_status:err",
      "");

  @Test
  void aMastersReplicasOffsetsAndSaveState() {
    RedisInfo info = RedisInfo.parse(MASTER);
    assertThat(info.isMaster()).isTrue();
    assertThat(info.offset()).isEqualTo(5012);
    assertThat(info.replicationId()).startsWith("8f1c0c5e");
    assertThat(info.replicas()).hasSize(2);
    assertThat(info.replicaAt("10.0.0.13", 6379)).hasValueSatisfying(r -> {
      assertThat(r.state()).isEqualTo("wait_bgsave");
      assertThat(r.lagSeconds()).isEqualTo(7);
    });
    assertThat(info.usedMemoryBytes()).isEqualTo(1048576);
    assertThat(info.maxMemoryBytes()).isEqualTo(6442450944L);
    assertThat(info.lastSaveTime()).isEqualTo(1764662400);
    assertThat(info.lastSaveOk()).as("AOF on and its last write failed").isFalse();
    assertThat(info.loading()).isFalse();
  }

  @Test
  void aReplicaWithItsLinkDown() {
    RedisInfo info = RedisInfo.parse("role:slave\nmaster_host:feature-cache-0.feature-cache-headless\n"
        + "master_port:6379\nmaster_link_status:down\nmaster_repl_offset:4000\nrdb_last_bgsave_status:ok\n");
    assertThat(info.isMaster()).isFalse();
    assertThat(info.masterHost()).isEqualTo("feature-cache-0.feature-cache-headless");
    assertThat(info.masterLinkUp()).isFalse();
    assertThat(info.offset()).isEqualTo(4000);
    assertThat(info.lastSaveOk()).isTrue();
  }

  @Test
  void garbageIsNotACrash() {
    RedisInfo info = RedisInfo.parse("no colon here\nused_memory:lots\n:x\n");
    assertThat(info.role()).isNull();
    assertThat(info.usedMemoryBytes()).isZero();
  }
}
