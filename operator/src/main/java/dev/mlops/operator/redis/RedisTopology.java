package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisFailoverStatus;
import dev.mlops.operator.common.Times;
import dev.mlops.operator.redis.RedisConnector.Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The failover manager of a replication-mode instance, pure: from what every server says of itself
 * ({@code INFO replication}) and what the status recorded, which server is master and which
 * {@code REPLICAOF} commands to send. Decided from replication IDs and offsets, never from pod names
 * (an ordinal only breaks a tie between equal offsets).
 *
 * <p>Every server starts <em>fenced</em>: its redis.conf makes it a replica of {@link #FENCE}, an
 * address where nothing listens. A fenced server loads its data, refuses writes ({@code READONLY})
 * and refuses to serve a sync to anyone ({@code NOMASTERLINK}), so a master that restarted empty, or
 * with an old snapshot, can never make its replicas resync to what it has. Only the operator gives a
 * server its role: it promotes the most up-to-date server when the master is lost (at once when the
 * master came back fenced, after {@code failoverTimeout} when it is unreachable) and points every
 * other server at the master.
 */
public final class RedisTopology {

  private RedisTopology() {}

  /** Where a fenced server is told its master is: a port on its own loopback where nothing listens. */
  public static final Address FENCE = new Address("127.0.0.1", 1);

  /** One pod of the StatefulSet, and its server's answer. */
  public record Server(String pod, int ordinal, Optional<Address> address, RedisProbe.Answer answer) {

    State state() {
      Optional<RedisInfo> info = answer == null ? Optional.empty() : answer.info();
      if (address.isEmpty() || info.isEmpty()) {
        return State.UNREACHABLE;
      }
      RedisInfo i = info.get();
      if (i.loading()) {
        return State.LOADING;
      }
      if (i.isMaster()) {
        return State.MASTER;
      }
      return FENCE.host().equals(i.masterHost()) && FENCE.port() == i.masterPort() ? State.FENCED : State.REPLICA;
    }

    RedisInfo info() {
      return answer.info().orElseThrow();
    }

    boolean follows(Address master) {
      RedisInfo i = info();
      return master.host().equals(i.masterHost()) && master.port() == i.masterPort();
    }
  }

  enum State { UNREACHABLE, LOADING, FENCED, MASTER, REPLICA }

  /** A REPLICAOF to send: {@code master} empty for {@code REPLICAOF NO ONE}; the Event that says it once done. */
  public record Command(String pod, Address server, Optional<Address> master, String type, String reason, String message) {}

  /**
   * @param master        the master now (null: none yet)
   * @param lostSince     since when the master has not been serving (null while it is)
   * @param failover      the promotion made by this decision, if any
   * @param waiting       while no master serves, why (for the Ready condition)
   * @param wake          when to decide again without an event (the failover deadline)
   */
  public record Decision(String master, String lostSince, Optional<RedisFailoverStatus> failover, List<Command> commands,
      String waiting, Optional<Duration> wake) {}

  /**
   * @param servers   every pod of the StatefulSet, in ordinal order
   * @param master    the master the status records, or null
   * @param history   the replication ID the status records for that master, or null
   * @param lostSince the status's masterLostSince, or null
   */
  public static Decision decide(List<Server> servers, String master, String history, String lostSince, Duration timeout,
      Instant now) {
    Map<String, Server> byPod = new LinkedHashMap<>();
    servers.forEach(s -> byPod.put(s.pod(), s));
    Server current = master == null ? null : byPod.get(master);
    if (current == null) {
      // No master on record (a new instance, or a status that was lost): adopt the one server that
      // already serves as master, or elect the most up-to-date of the others.
      List<Server> masters = servers.stream().filter(s -> s.state() == State.MASTER).toList();
      if (masters.size() == 1) {
        return follow(masters.get(0), servers);
      }
      if (masters.size() > 1) {
        Server best = rank(masters, history);
        return follow(best, servers);
      }
      boolean allAnswer = !servers.isEmpty() && servers.stream().allMatch(s -> s.state() == State.FENCED
          || s.state() == State.REPLICA);
      String since = lostSince == null ? Times.format(now) : lostSince;
      Duration waited = Duration.between(Times.parse(since), now);
      if (!allAnswer && waited.compareTo(timeout) < 0) {
        return new Decision(null, since, Optional.empty(), List.of(), "waiting for every server to answer before the"
            + " first master is chosen (" + answering(servers) + ")", Optional.of(timeout.minus(waited)));
      }
      return promote(candidates(servers), servers, null, history, "Initial", now, since);
    }
    State state = current.state();
    if (state == State.MASTER) {
      // A master that continued the recorded one's history (its replid2 is that master's replid) was
      // promoted from it by a pass whose status write did not land: it is the newer one; keep it.
      Server newer = servers.stream().filter(s -> s != current && s.state() == State.MASTER
          && current.info().replicationId() != null && current.info().replicationId().equals(s.info().replicationId2()))
          .findFirst().orElse(current);
      return follow(newer, servers);
    }
    // Another server already serves as master: one this operator promoted in a pass whose status
    // write did not land. Keep it, never promote a second one.
    List<Server> others = servers.stream().filter(s -> s != current && s.state() == State.MASTER).toList();
    if (!others.isEmpty()) {
      return follow(rank(others, history), servers);
    }
    String since = lostSince == null ? Times.format(now) : lostSince;
    if (state == State.LOADING) {
      return new Decision(master, since, Optional.empty(), List.of(), "master " + master + " is loading its data",
          Optional.of(Duration.ofSeconds(2)));
    }
    boolean restarted = state == State.FENCED || state == State.REPLICA;
    Duration waited = Duration.between(Times.parse(since), now);
    // A restarted master is replaced at once only while every server answers: one that misses a probe
    // or is still loading may hold the most data. Otherwise the timeout applies to it too.
    boolean allAnswer = servers.stream().allMatch(s -> s.state() == State.FENCED || s.state() == State.REPLICA
        || s.state() == State.MASTER);
    if ((!restarted || !allAnswer) && waited.compareTo(timeout) < 0) {
      Duration left = timeout.minus(waited);
      return new Decision(master, since, Optional.empty(), List.of(), "master " + master + " is unreachable since "
          + since + "; the most up-to-date replica is promoted in " + left.toSeconds() + "s", Optional.of(left));
    }
    return promote(candidates(servers), servers, master, history, restarted ? "MasterRestarted" : "MasterUnreachable",
        now, since);
  }

  private static List<Server> candidates(List<Server> servers) {
    return servers.stream().filter(s -> s.state() == State.FENCED || s.state() == State.REPLICA).toList();
  }

  /** Highest offset among those that share the recorded history first, then any; the lower ordinal on a tie. */
  private static Server rank(List<Server> candidates, String history) {
    return candidates.stream().min(Comparator.<Server>comparingInt(s -> sharesHistory(s, history) ? 0 : 1)
        .thenComparing(Comparator.comparingLong((Server s) -> s.info().offset()).reversed())
        .thenComparingInt(Server::ordinal)).orElseThrow();
  }

  private static boolean sharesHistory(Server s, String history) {
    return history != null && (history.equals(s.info().replicationId()) || history.equals(s.info().replicationId2()));
  }

  private static Decision promote(List<Server> candidates, List<Server> servers, String from, String history,
      String reason, Instant now, String since) {
    if (candidates.isEmpty()) {
      return new Decision(from, since, Optional.empty(), List.of(), (from == null ? "no master yet" : "master " + from
          + " is lost") + " and no server answers to be promoted (" + answering(servers) + ")",
          Optional.of(Duration.ofSeconds(5)));
    }
    Server best = rank(candidates, history);
    Map<String, Long> offsets = new LinkedHashMap<>();
    servers.stream().filter(s -> s.state() != State.UNREACHABLE).forEach(s -> offsets.put(s.pod(), s.info().offset()));
    RedisFailoverStatus failover = new RedisFailoverStatus();
    failover.setTime(Times.format(now));
    failover.setFrom(from);
    failover.setTo(best.pod());
    failover.setReason(reason);
    failover.setOffsets(offsets);
    String why = switch (reason) {
      case "Initial" -> "the first master";
      case "MasterRestarted" -> "master " + from + " restarted and came back fenced, without its role";
      default -> "master " + from + " unreachable since " + since;
    };
    List<Command> commands = new ArrayList<>();
    commands.add(new Command(best.pod(), best.address().orElseThrow(), Optional.empty(),
        "Initial".equals(reason) ? "Normal" : "Warning", "Initial".equals(reason) ? "MasterElected" : "FailedOver",
        "Promoted " + best.pod() + " (replication offset " + best.info().offset() + ") as " + why + "; offsets: "
            + describe(offsets)));
    for (Server s : servers) {
      if (s != best && (s.state() == State.FENCED || s.state() == State.REPLICA || s.state() == State.MASTER)) {
        commands.add(followCommand(s, best));
      }
    }
    return new Decision(best.pod(), null, Optional.of(failover), commands, null, Optional.empty());
  }

  /** The master serves: every other server that answers and does not follow it is pointed at it. */
  private static Decision follow(Server master, List<Server> servers) {
    Address at = master.address().orElseThrow();
    List<Command> commands = new ArrayList<>();
    for (Server s : servers) {
      if (s == master) {
        continue;
      }
      State state = s.state();
      if (state == State.FENCED || state == State.MASTER || state == State.REPLICA && !s.follows(at)) {
        commands.add(followCommand(s, master));
      }
    }
    return new Decision(master.pod(), null, Optional.empty(), commands, null, Optional.empty());
  }

  private static Command followCommand(Server s, Server master) {
    RedisInfo i = s.info();
    RedisInfo m = master.info();
    String what = switch (s.state()) {
      case MASTER -> "answered as a master (replication ID " + i.replicationId() + ", offset " + i.offset()
          + "): a former master, fenced";
      case FENCED -> "started fenced (replication ID " + i.replicationId() + ", offset " + i.offset() + ")";
      default -> "followed " + i.masterHost() + ":" + i.masterPort();
    };
    boolean formerMaster = s.state() == State.MASTER;
    return new Command(s.pod(), s.address().orElseThrow(), master.address(), formerMaster ? "Warning" : "Normal",
        formerMaster ? "FormerMasterFenced" : "ReplicaAttached", s.pod() + " " + what + "; now a replica of master "
            + master.pod() + " (replication ID " + m.replicationId() + ", offset " + m.offset() + ")"
            + (formerMaster ? ": writes it took that the master does not have are discarded" : ""));
  }

  private static String answering(List<Server> servers) {
    List<String> parts = new ArrayList<>();
    for (Server s : servers) {
      parts.add(s.pod() + " " + s.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    return parts.isEmpty() ? "no pods" : String.join(", ", parts);
  }

  private static String describe(Map<String, Long> offsets) {
    List<String> parts = new ArrayList<>();
    offsets.forEach((pod, offset) -> parts.add(pod + "=" + offset));
    return String.join(", ", parts);
  }
}
