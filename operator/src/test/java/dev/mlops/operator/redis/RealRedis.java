package dev.mlops.operator.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final String password;
  private Process process;

  private RealRedis(int port, Path dir, String conf, String password) {
    this.port = port;
    this.dir = dir;
    this.conf = conf;
    this.password = password;
  }

  /** A plain server (no persistence) with extra redis.conf lines. */
  static RealRedis start(String... settings) {
    return withConf("save \"\"\n" + String.join("\n", settings) + "\n", null);
  }

  /**
   * A server from {@code redisConf} (the operator's ConfigMap text), with what the pod's start script
   * adds for {@code password} (null: none), on a loopback port and a temp directory instead of 6379 and /data.
   */
  static RealRedis withConf(String redisConf, String password) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      RealRedis redis = new RealRedis(port, Files.createTempDirectory("redis-" + port + "-"), redisConf, password);
      redis.launch();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() throws IOException {
    // The pod's dir and port replaced (redis-server changes into dir as it reads the line); the rest as written.
    StringBuilder text = new StringBuilder(conf.replaceAll("(?m)^(dir|port) .*$", "# $0 (replaced by the test)"));
    text.append("\nport ").append(port).append("\nbind 127.0.0.1\ndir ").append(dir).append("\n");
    if (password != null) {
      text.append("requirepass \"").append(password).append("\"\nmasterauth \"").append(password).append("\"\n");
    }
    Path file = dir.resolve("redis.conf");
    Files.writeString(file, text);
    File binary = ExecutableProvider.newJarResourceProvider().get();
    binary.setExecutable(true);
    List<String> command = new ArrayList<>(List.of(binary.getAbsolutePath(), file.toString()));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
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
