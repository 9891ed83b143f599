package dev.mlops.operator.redis;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisException;

/**
 * How the operator reaches the Redis server of a pod, and the two commands it sends: {@code INFO}
 * (through {@link RedisProbe}) and {@code REPLICAOF}. In a cluster a server is at its pod's IP, port
 * 6379; the tests map pods to redis-server processes they started on loopback ports (KWOK pods and
 * the mock API server's pods run nothing). The password is handed to the connection only.
 */
public interface RedisConnector {

  /** The port of every server in its pod. */
  int PORT = 6379;

  /** host and port of a server, as the operator dials it and as replicas are pointed at it. */
  record Address(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Who the operator connects as: its own ACL user, or the default user (null) on an instance without auth. */
  record Credentials(String user, String password) {
    public static final Credentials NONE = new Credentials(null, null);

    @Override
    public String toString() {
      return user == null ? "default user" : "user " + user;
    }
  }

  /** Where the server of {@code pod} is, or empty while it has none (not started, no IP yet). */
  Optional<Address> address(Pod pod);

  RedisProbe.Answer info(Address server, Credentials as);

  /**
   * {@code REPLICAOF host port}, or {@code REPLICAOF NO ONE} for an empty {@code master}.
   *
   * @return null when done, else why not (Redis's error or the connection's, never the password)
   */
  String replicaOf(Address server, Optional<Address> master, Credentials as);

  /**
   * Makes {@code password} the default user's (added: the passwords it has stay valid) and the
   * server's masterauth, for a password rotation: {@code ACL SETUSER default on >password},
   * {@code CONFIG SET masterauth password}.
   *
   * @return null when done, else why not
   */
  default String acceptPassword(Address server, String password, Credentials as) {
    return "not supported";
  }

  /** The default user's password hashes ({@code ACL GETUSER default}), or empty when the server did not say. */
  default Optional<java.util.List<String>> passwordHashes(Address server, Credentials as) {
    return Optional.empty();
  }

  /** Removes every password of the default user but {@code password} (the end of a rotation's grace period). */
  default String dropOtherPasswords(Address server, String password, Credentials as) {
    return "not supported";
  }

  /** The cluster's connector: the pod's IP, port 6379, a 2-second timeout. */
  static RedisConnector podIp() {
    return new Jedis(Duration.ofSeconds(2)) {
      @Override
      public Optional<Address> address(Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return ip == null || ip.isEmpty() || pod.getMetadata().getDeletionTimestamp() != null ? Optional.empty()
            : Optional.of(new Address(ip, PORT));
      }
    };
  }

  /** Jedis for the commands; subclasses say where each pod's server is. */
  abstract class Jedis implements RedisConnector {

    private final Duration timeout;
    private final RedisProbe probe;

    protected Jedis(Duration timeout) {
      this.timeout = timeout;
      this.probe = new RedisProbe(timeout);
    }

    @Override
    public RedisProbe.Answer info(Address server, Credentials as) {
      return probe.info(server.host(), server.port(), as.user(), as.password());
    }

    @Override
    public String replicaOf(Address server, Optional<Address> master, Credentials as) {
      return run(server, as, jedis -> {
        if (master.isPresent()) {
          jedis.replicaof(master.get().host(), master.get().port());
        } else {
          jedis.replicaofNoOne();
        }
      });
    }

    @Override
    public String acceptPassword(Address server, String password, Credentials as) {
      return run(server, as, jedis -> {
        jedis.aclSetUser("default", "on", ">" + password);
        jedis.configSet("masterauth", password);
      });
    }

    @Override
    public String dropOtherPasswords(Address server, String password, Credentials as) {
      String keep = RedisResources.sha256(password);
      return run(server, as, jedis -> {
        var user = jedis.aclGetUser("default");
        for (String hash : user.getPassword()) {
          if (!hash.equals(keep)) {
            jedis.aclSetUser("default", "!" + hash);
          }
        }
      });
    }

    @Override
    public Optional<java.util.List<String>> passwordHashes(Address server, Credentials as) {
      java.util.List<String> hashes = new java.util.ArrayList<>();
      String failed = run(server, as, jedis -> hashes.addAll(jedis.aclGetUser("default").getPassword()));
      return failed == null ? Optional.of(hashes) : Optional.empty();
    }

    private String run(Address server, Credentials as, java.util.function.Consumer<redis.clients.jedis.Jedis> commands) {
      var config = DefaultJedisClientConfig.builder().connectionTimeoutMillis((int) timeout.toMillis())
          .socketTimeoutMillis((int) timeout.toMillis()).user(as.user()).password(as.password())
          .clientName("mlops-operator")
          // No CLIENT SETINFO: the operator's ACL user may not run it (and redis 6.2 does not know it).
          .clientSetInfoConfig(redis.clients.jedis.ClientSetInfoConfig.DISABLED).build();
      try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(new HostAndPort(server.host(), server.port()),
          config)) {
        commands.accept(jedis);
        return null;
      } catch (JedisException e) {
        // Jedis's messages name the address and Redis's error, never the passwords sent.
        return server + ": " + RedisProbe.rootMessage(e);
      }
    }
  }
}
