package dev.mlops.operator.redis;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' {@link RedisConnector}: each pod's server is a {@link RealRedis} process on a loopback
 * port (pods on the embedded API server and KWOK pods run nothing). A partitioned pod is dialled at a
 * port where nothing listens, while its server keeps running: what the operator sees of a network
 * partition.
 */
final class LocalRedisServers extends RedisConnector.Jedis {

  final Map<String, RealRedis> byPod = new ConcurrentHashMap<>();
  final Set<String> partitioned = ConcurrentHashMap.newKeySet();

  LocalRedisServers() {
    super(Duration.ofMillis(500));
  }

  @Override
  public Optional<Address> address(Pod pod) {
    RealRedis server = byPod.get(pod.getMetadata().getName());
    if (server == null) {
      return Optional.empty();
    }
    return Optional.of(new Address("127.0.0.1", partitioned.contains(pod.getMetadata().getName()) ? 1 : server.port));
  }

  void closeAll() {
    byPod.values().forEach(RealRedis::close);
  }
}
