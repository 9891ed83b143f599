package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceStatus;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Password rotation against real redis-server processes: the generated Secret's password is
 * changed; a client that always uses what its job's copy of the Secret says is never refused; both
 * passwords work during the grace period, only the new one after it; a replica restarted with the
 * new files links to the master again (masterauth), and no Event carries a password.
 */
public class RedisRotationIT {

  static final String NS = "platform";
  static final String NAME = "feature-cache";
  private Sandbox sandbox;
  private KubernetesClient client;
  private final LocalRedisServers servers = new LocalRedisServers();

  @BeforeEach
  void start() {
    sandbox = servers.sandbox();
    client = sandbox.client();
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    sandbox.startOperator();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    servers.closeAll();
  }

  RedisInstanceStatus status() {
    RedisInstance ri = client.resources(RedisInstance.class).inNamespace(NS).withName(NAME).get();
    return ri.getStatus() == null ? new RedisInstanceStatus() : ri.getStatus();
  }

  String secret(String name) {
    return LocalRedisServers.secret(client, NS, name);
  }

  @Test
  void aRotatedPasswordReachesEveryServerBeforeAnyClientAndTheOldOneGoesAfterTheGracePeriod() throws Exception {
    client.resource(Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: feature-cache, namespace: platform}
        spec:
          mode: replication
          replicas: 1
          resources: {limits: {memory: 256Mi}}
          auth: {rotationGracePeriod: 4s}
          failoverTimeout: 1h
        """, RedisInstance.class)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> secret(NAME + "-auth") != null && secret(NAME + "-operator") != null
        && client.configMaps().inNamespace(NS).withName(NAME + "-config").get() != null);
    for (String pod : List.of(NAME + "-0", NAME + "-1")) {
      servers.startPod(client, NS, NAME, pod);
      LocalRedisServers.createPod(client, NS, NAME, pod);
    }
    client.resource(Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: trainer, namespace: platform}
        spec:
          image: busybox:1.36
          nodes: 1
          gpusPerNode: 0
          redis: [{name: feature-cache}]
        """, TrainingJob.class)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(status().getPhase()).isEqualTo("Ready");
      assertThat(status().getReplicas()).allMatch(r -> Boolean.TRUE.equals(r.getLinkUp()));
      assertThat(secret("trainer-redis")).isNotNull();
    });
    String master = status().getMaster();
    String replica = master.equals(NAME + "-0") ? NAME + "-1" : NAME + "-0";
    String old = secret(NAME + "-auth");
    assertThat(secret("trainer-redis")).isEqualTo(old);
    assertThat(status().getAuth().getAppliedSecret()).startsWith(NAME + "-auth@");

    // A client that connects again and again with whatever its job's Secret says.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger connections = new AtomicInteger();
    List<String> refused = Collections.synchronizedList(new ArrayList<>());
    Thread clientLoop = new Thread(() -> {
      while (!stop.get()) {
        String password = secret("trainer-redis");
        try (Jedis jedis = servers.byPod.get(master).client(password)) {
          jedis.ping();
          connections.incrementAndGet();
        } catch (RuntimeException e) {
          refused.add(e.getMessage());
        }
      }
    });
    clientLoop.start();
    Thread.sleep(500);

    String fresh = "Rotated" + RedisResources.newPassword();
    client.secrets().inNamespace(NS).withName(NAME + "-auth").edit(s -> {
      s.setStringData(null);
      s.setData(Map.of("password", Base64.getEncoder().encodeToString(fresh.getBytes(StandardCharsets.UTF_8))));
      return s;
    });
    // Step 2: every server accepts both; the job's copy has the new one.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(status().getAuth().getOldPasswordAcceptedUntil()).isNotNull();
      assertThat(secret("trainer-redis")).isEqualTo(fresh);
    });
    for (String pod : List.of(master, replica)) {
      try (Jedis withOld = servers.byPod.get(pod).client(old); Jedis withNew = servers.byPod.get(pod).client(fresh)) {
        assertThat(withOld.ping()).isEqualTo("PONG");
        assertThat(withNew.ping()).isEqualTo("PONG");
      }
    }
    // Step 3: after the grace period only the new one.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status().getAuth().getRotatingTo()).isNull());
    stop.set(true);
    clientLoop.join();
    assertThat(refused).as("connections refused during the rotation").isEmpty();
    assertThat(connections.get()).isGreaterThan(20);
    for (String pod : List.of(master, replica)) {
      try (Jedis withNew = servers.byPod.get(pod).client(fresh)) {
        assertThat(withNew.ping()).isEqualTo("PONG");
      }
      assertThatThrownBy(() -> {
        try (Jedis withOld = servers.byPod.get(pod).client(old)) {
          withOld.ping();
        }
      }).isInstanceOf(JedisDataException.class).hasMessageContaining("WRONGPASS");
    }
    // The replica, restarted with the new files, authenticates to the master with its new masterauth.
    servers.byPod.get(replica).kill();
    servers.byPod.get(replica).restart(fresh, secret(NAME + "-operator"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status().getReplicas())
        .singleElement().satisfies(r -> assertThat(r.getLinkUp()).isTrue()));
    List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
    assertThat(events).extracting(Event::getReason).contains("PasswordRotationStarted", "PasswordRotated",
        "PasswordRotationFinished");
    assertThat(Serialization.asJson(events)).doesNotContain(old).doesNotContain(fresh);
    assertThat(Serialization.asJson(client.resources(RedisInstance.class).inNamespace(NS).withName(NAME).get()))
        .doesNotContain(old).doesNotContain(fresh);
  }
}
