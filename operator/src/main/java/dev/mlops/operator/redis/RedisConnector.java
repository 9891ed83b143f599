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

  /** Where the server of {@code pod} is, or empty while it has none (not started, no IP yet). */
  Optional<Address> address(Pod pod);

  RedisProbe.Answer info(Address server, String password);

  /**
   * {@code REPLICAOF host port}, or {@code REPLICAOF NO ONE} for an empty {@code master}.
   *
   * @return null when done, else why not (Redis's error or the connection's, never the password)
   */
  String replicaOf(Address server, Optional<Address> master, String password);

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
    public RedisProbe.Answer info(Address server, String password) {
      return probe.info(server.host(), server.port(), null, password);
    }

    @Override
    public String replicaOf(Address server, Optional<Address> master, String password) {
      var config = DefaultJedisClientConfig.builder().connectionTimeoutMillis((int) timeout.toMillis())
          .socketTimeoutMillis((int) timeout.toMillis()).password(password).clientName("mlops-operator").build();
      try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(new HostAndPort(server.host(), server.port()),
          config)) {
        if (master.isPresent()) {
          jedis.replicaof(master.get().host(), master.get().port());
        } else {
          jedis.replicaofNoOne();
        }
        return null;
      } catch (JedisException e) {
        return server + ": " + RedisProbe.rootMessage(e);
      }
    }
  }
}
