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

  /**
   * Starts the server of {@code pod} as its container would: the operator's own start script, the
   * ConfigMap's redis.conf and the Secrets' password files, read from the API server now.
   */
  RealRedis startPod(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String instance, String pod) {
    var ri = client.resources(dev.mlops.operator.api.v1alpha1.RedisInstance.class).inNamespace(namespace).withName(instance)
        .get();
    String conf = client.configMaps().inNamespace(namespace).withName(RedisResources.configMapName(instance)).get()
        .getData().get("redis.conf");
    RealRedis server = RealRedis.withConf(conf, secret(client, namespace, RedisResources.secretName(ri)),
        secret(client, namespace, RedisResources.operatorSecretName(instance)));
    byPod.put(pod, server);
    return server;
  }

  /** The key 'password' of a Secret, or null (no auth). */
  static String secret(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String name) {
    if (name == null) {
      return null;
    }
    var secret = client.secrets().inNamespace(namespace).withName(name).get();
    return secret == null ? null : RedisResources.password(secret);
  }

  /** The embedded API server and the simulated cluster, the operator (not started yet) dialling these servers. */
  dev.mlops.operator.sandbox.Sandbox sandbox() {
    return new dev.mlops.operator.sandbox.Sandbox(
        dev.mlops.operator.sandbox.NodePool.parseAll(dev.mlops.operator.sandbox.NodePool.DEFAULT),
        new dev.mlops.operator.sandbox.SimulatedCluster.Settings(Duration.ofMillis(100), null, Duration.ofMillis(50)),
        dev.mlops.operator.runtime.OperatorSettings.defaults().withResyncInterval(Duration.ofMillis(500))
            .withReconcileThreads(4).withRedisConnector(this));
  }

  /** The pod of a server as the StatefulSet would make it (nothing runs it; {@link #startPod} starts its server). */
  static void createPod(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String instance,
      String pod) {
    client.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(pod)
        .withNamespace(namespace).withLabels(RedisResources.labels(instance)).endMetadata().withNewSpec()
        .addNewContainer().withName("redis").withImage("redis:7.2").endContainer().endSpec().build()).create();
  }

  void closeAll() {
    byPod.values().forEach(RealRedis::close);
  }
}
