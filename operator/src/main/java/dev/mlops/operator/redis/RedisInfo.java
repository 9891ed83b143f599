package dev.mlops.operator.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one redis-server says of itself in {@code INFO} (sections replication, memory, persistence),
 * parsed: the facts the operator decides on. Replication decisions use the replication ID and offset,
 * never pod names: a server that restarted empty has a new replication ID and offset 0.
 *
 * @param role            {@code master} or {@code slave}
 * @param replicationId   {@code master_replid}: the history this server's data belongs to
 * @param replicationId2  {@code master_replid2}: the history it continued from after a promotion, or all zeros
 * @param offset          {@code master_repl_offset}: how far into that history its data goes
 * @param masterHost      for a replica, the master it follows ({@code master_host})
 * @param masterPort      for a replica, that master's port ({@code master_port})
 * @param masterLinkUp    for a replica, {@code master_link_status:up}
 * @param replicas        for a master, its connected replicas ({@code slaveN:ip=…,port=…,state=…,offset=…,lag=…})
 * @param usedMemoryBytes {@code used_memory}
 * @param maxMemoryBytes  {@code maxmemory}, 0 when unlimited
 * @param lastSaveOk      {@code rdb_last_bgsave_status:ok} and, with AOF on, {@code aof_last_write_status:ok}
 * @param lastSaveTime    {@code rdb_last_save_time}, seconds since the epoch
 * @param loading         {@code loading:1}: still reading its data file, not to be trusted yet
 */
public record RedisInfo(String role, String replicationId, String replicationId2, long offset, String masterHost,
    int masterPort, boolean masterLinkUp, List<ConnectedReplica> replicas, long usedMemoryBytes, long maxMemoryBytes,
    boolean lastSaveOk, long lastSaveTime, boolean loading) {

  /** A replica as its master lists it. */
  public record ConnectedReplica(String ip, int port, String state, long offset, long lagSeconds) {}

  public boolean isMaster() {
    return "master".equals(role);
  }

  /** Parses the text of {@code INFO} (any subset of sections; unknown lines are ignored). */
  public static RedisInfo parse(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    List<ConnectedReplica> replicas = new ArrayList<>();
    for (int i = 0; fields.containsKey("slave" + i); i++) {
      Map<String, String> r = new LinkedHashMap<>();
      for (String pair : fields.get("slave" + i).split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          r.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
      replicas.add(new ConnectedReplica(r.get("ip"), (int) number(r.get("port")), r.get("state"), number(r.get("offset")),
          number(r.get("lag"))));
    }
    boolean aofOn = "1".equals(fields.get("aof_enabled"));
    boolean saveOk = !"err".equals(fields.get("rdb_last_bgsave_status"))
        && (!aofOn || !"err".equals(fields.get("aof_last_write_status")));
    return new RedisInfo(fields.get("role"), fields.get("master_replid"), fields.get("master_replid2"),
        number(fields.get("master_repl_offset")), fields.get("master_host"),
        (int) number(fields.get("master_port")), "up".equals(fields.get("master_link_status")),
        List.copyOf(replicas), number(fields.get("used_memory")), number(fields.get("maxmemory")), saveOk,
        number(fields.get("rdb_last_save_time")), "1".equals(fields.get("loading")));
  }

  private static long number(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The replica the master lists at this address, if it lists it. */
  public Optional<ConnectedReplica> replicaAt(String ip, int port) {
    return replicas.stream().filter(r -> ip.equals(r.ip()) && port == r.port()).findFirst();
  }
}
