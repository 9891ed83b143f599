package dev.mlops.operator.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server process for a test (the binary embedded-redis ships, redis 6.2), on a free
 * loopback port with its own data directory; stopped on close. No mock of the Redis protocol.
 */
final class RealRedis implements AutoCloseable {

  final int port;
  final Path dir;
  private final RedisServer server;

  private RealRedis(int port, Path dir, RedisServer server) {
    this.port = port;
    this.dir = dir;
    this.server = server;
  }

  static RealRedis start(String... settings) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path dir = Files.createTempDirectory("redis-" + port + "-");
      var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("dir " + dir)
          .setting("save \"\"").onShutdownForceStop(true);
      for (String setting : settings) {
        builder.setting(setting);
      }
      RedisServer server = builder.build();
      server.start();
      return new RealRedis(port, dir, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
