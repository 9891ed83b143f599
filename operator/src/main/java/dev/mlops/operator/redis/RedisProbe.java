package dev.mlops.operator.redis;

import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Asks one redis-server for its {@code INFO} over the Redis protocol (Jedis), with a short timeout:
 * the operator's view of a live instance. The password is passed to the connection only; it is never
 * logged or put into an error message (a failure says the address and Redis's own error).
 */
public final class RedisProbe {

  private final Duration timeout;

  public RedisProbe(Duration timeout) {
    this.timeout = timeout;
  }

  /** A server's answer, or why there was none. */
  public record Answer(Optional<RedisInfo> info, String error) {
    static Answer of(RedisInfo info) {
      return new Answer(Optional.of(info), null);
    }

    static Answer failed(String error) {
      return new Answer(Optional.empty(), error);
    }
  }

  /**
   * @param user     the ACL user, or null for the default user
   * @param password null without auth
   */
  public Answer info(String host, int port, String user, String password) {
    var config = DefaultJedisClientConfig.builder().connectionTimeoutMillis((int) timeout.toMillis())
        .socketTimeoutMillis((int) timeout.toMillis()).user(user).password(password).clientName("mlops-operator")
        .clientSetInfoConfig(redis.clients.jedis.ClientSetInfoConfig.DISABLED).build();
    try (Jedis jedis = new Jedis(new HostAndPort(host, port), config)) {
      return Answer.of(RedisInfo.parse(jedis.info("replication") + "\n" + jedis.info("memory") + "\n"
          + jedis.info("persistence")));
    } catch (JedisException e) {
      // Jedis's messages name the address and Redis's error ("WRONGPASS ..."), never the password sent.
      return Answer.failed(host + ":" + port + ": " + rootMessage(e));
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
