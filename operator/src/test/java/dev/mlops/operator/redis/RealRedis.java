package dev.mlops.operator.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server process for a test (the binary embedded-redis ships, redis 6.2), on a free
 * loopback port with its own data directory, started from a redis.conf (the operator's own, for the
 * failover tests); killed with SIGKILL or restarted on the same port and directory. No mock of the
 * Redis protocol.
 */
final class RealRedis implements AutoCloseable {

  final int port;
  final Path dir;
  private final String conf;
  private String password;
  private String operatorPassword;
  private Process process;

  private RealRedis(int port, Path dir, String conf, String password, String operatorPassword) {
    this.port = port;
    this.dir = dir;
    this.conf = conf;
    this.password = password;
    this.operatorPassword = operatorPassword;
  }

  /** A plain server (no persistence) with extra redis.conf lines. */
  static RealRedis start(String... settings) {
    return withConf("save \"\"\n" + String.join("\n", settings) + "\n", null);
  }

  static RealRedis withConf(String redisConf, String password) {
    return withConf(redisConf, password, null);
  }

  /**
   * A server started by the operator's own start script ({@link RedisResources#START_SCRIPT}, run by
   * sh) from {@code redisConf} (the ConfigMap's text) and the Secrets' password files (null: no file),
   * on a loopback port and a temp directory instead of 6379 and /data.
   */
  static RealRedis withConf(String redisConf, String password, String operatorPassword) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      RealRedis redis = new RealRedis(port, Files.createTempDirectory("redis-" + port + "-"), redisConf, password,
          operatorPassword);
      redis.launch();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() throws IOException {
    // The pod's dir and port replaced (redis-server changes into dir as it reads the line); the rest as written.
    String text = conf.replaceAll("(?m)^(dir|port) .*$", "# $0 (replaced by the test)") + "\nport " + port
        + "\nbind 127.0.0.1\ndir " + dir + "\n";
    Path etc = dir.resolve("etc");
    Files.createDirectories(etc.resolve("redis"));
    Files.createDirectories(dir.resolve("run"));
    Files.writeString(etc.resolve("redis/redis.conf"), text);
    secretFile(etc.resolve("redis-auth"), password);
    secretFile(etc.resolve("redis-operator"), operatorPassword);
    Path script = Files.writeString(dir.resolve("start.sh"), RedisResources.START_SCRIPT);
    File binary = ExecutableProvider.newJarResourceProvider().get();
    binary.setExecutable(true);
    ProcessBuilder builder = new ProcessBuilder(List.of("sh", script.toString())).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    builder.environment().put("MLOPS_REDIS_ETC", etc.toString());
    builder.environment().put("MLOPS_REDIS_RUN", dir.resolve("run").toString());
    builder.environment().put("MLOPS_REDIS_SERVER", binary.getAbsolutePath());
    process = builder.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      try (Jedis jedis = client()) {
        jedis.ping();
        return;
      } catch (redis.clients.jedis.exceptions.JedisDataException answered) {
        return; // it answered (NOAUTH, LOADING): it is up
      } catch (RuntimeException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("redis-server did not answer on port " + port, e);
        }
        sleep(50);
      }
    }
  }

  /** A client of this server, with its password. */
  Jedis client() {
    return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(password)
        .socketTimeoutMillis(2000).connectionTimeoutMillis(2000).build());
  }

  /** SIGKILL: a crash, nothing flushed beyond what the persistence mode already wrote. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void secretFile(Path folder, String value) throws IOException {
    Path file = folder.resolve("password");
    if (value == null) {
      Files.deleteIfExists(file);
    } else {
      Files.createDirectories(folder);
      Files.writeString(file, value);
    }
  }

  /** A restarted container whose Secret files the kubelet has updated meanwhile. */
  void restart(String newPassword, String newOperatorPassword) {
    this.password = newPassword;
    this.operatorPassword = newOperatorPassword;
    restart();
  }

  /** A client authenticated as the default user with {@code with}. */
  Jedis client(String with) {
    return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(with)
        .socketTimeoutMillis(2000).connectionTimeoutMillis(2000).build());
  }

  /** Starts the process again on the same port and directory (what a restarted container does). */
  void restart() {
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
