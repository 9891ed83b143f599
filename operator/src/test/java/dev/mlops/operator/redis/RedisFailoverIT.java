package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceSpec;
import dev.mlops.operator.api.v1alpha1.RedisInstanceStatus;
import dev.mlops.operator.api.v1alpha1.RedisPersistence;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The failover manager against real redis-server processes started from the operator's own
 * redis.conf, with the operator running on the embedded API server: the pods are objects the test
 * creates (nothing runs them), and {@link LocalRedisServers} maps each pod to its server.
 */
public class RedisFailoverIT {

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

  static RedisInstance instance(String mode, String persistence, String failoverTimeout) {
    RedisInstance ri = new RedisInstance();
    ri.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NS).build());
    RedisInstanceSpec spec = new RedisInstanceSpec();
    spec.setMode(mode);
    if ("replication".equals(mode)) {
      spec.setReplicas(2);
    }
    spec.setResources(new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("256Mi")).build());
    RedisPersistence p = new RedisPersistence();
    p.setMode(persistence);
    if (!"none".equals(persistence)) {
      p.setSize("1Gi");
    }
    spec.setPersistence(p);
    spec.setFailoverTimeout(failoverTimeout);
    ri.setSpec(spec);
    return ri;
  }

  /** Creates the instance, waits for its StatefulSet and Secret, and starts a server per pod from its redis.conf. */
  List<String> deploy(RedisInstance ri) {
    client.resource(ri).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> sts() != null && secret() != null && client.secrets().inNamespace(NS)
        .withName(RedisResources.operatorSecretName(NAME)).get() != null);
    RedisInstance stored = client.resources(RedisInstance.class).inNamespace(NS).withName(NAME).get();
    assertThat(RedisResources.redisConf(stored)).doesNotContain(password());
    List<String> pods = new ArrayList<>();
    for (int i = 0; i < RedisResources.servers(stored.getSpec()); i++) {
      String pod = NAME + "-" + i;
      servers.startPod(client, NS, NAME, pod);
      client.resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(NS)
          .withLabels(sts().getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
          .withNewSpec().addNewContainer().withName("redis").withImage("redis:7.2").endContainer().endSpec().build())
          .create();
      pods.add(pod);
    }
    return pods;
  }

  StatefulSet sts() {
    return client.apps().statefulSets().inNamespace(NS).withName(NAME).get();
  }

  Secret secret() {
    return client.secrets().inNamespace(NS).withName(RedisResources.generatedSecretName(NAME)).get();
  }

  String password() {
    Secret s = secret();
    return s.getData() != null && s.getData().get("password") != null
        ? new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8)
        : s.getStringData().get("password");
  }

  RedisInstanceStatus status() {
    RedisInstance ri = client.resources(RedisInstance.class).inNamespace(NS).withName(NAME).get();
    return ri.getStatus() == null ? new RedisInstanceStatus() : ri.getStatus();
  }

  String role(String pod) {
    Pod p = client.pods().inNamespace(NS).withName(pod).get();
    return p.getMetadata().getLabels().get(RedisResources.ROLE_LABEL);
  }

  List<Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName())).toList();
  }

  void awaitReadyWithReplicas(int linked) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      RedisInstanceStatus s = status();
      assertThat(s.getPhase()).isEqualTo("Ready");
      assertThat(s.getReplicas()).filteredOn(r -> Boolean.TRUE.equals(r.getLinkUp())).hasSize(linked);
    });
  }

  @Test
  void aMasterKilledMidWriteFailsOverToTheMostUpToDateReplicaAndLosesNoReplicatedWrite() throws Exception {
    List<String> pods = deploy(instance("replication", "none", "2s"));
    awaitReadyWithReplicas(2);
    RedisInstanceStatus ready = status();
    String first = ready.getMaster();
    assertThat(ready.getLastFailover().getReason()).isEqualTo("Initial");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(role(first)).isEqualTo("master");
      pods.stream().filter(p -> !p.equals(first)).forEach(p -> assertThat(role(p)).isEqualTo("replica"));
    });
    assertThat(events("MasterElected")).hasSize(1);
    // The master Service selects the master's role label; the replicas Service the replicas'.
    Service master = client.services().inNamespace(NS).withName(NAME).get();
    assertThat(master.getSpec().getSelector()).containsEntry(RedisResources.ROLE_LABEL, "master");

    // A client writes; a write counts as acknowledged once a replica has it (WAIT 1), as the docs say
    // a client that cannot lose a write must ask.
    List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean failed = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      try (Jedis jedis = servers.byPod.get(first).client()) {
        for (int i = 0; i < 1_000_000 && !failed.get(); i++) {
          jedis.set("key-" + i, "value-" + i);
          if (jedis.waitReplicas(1, 1000) >= 1) {
            acknowledged.add("key-" + i);
          }
        }
      } catch (RuntimeException e) {
        failed.set(true);
      }
    });
    writer.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 300);
    servers.byPod.get(first).kill();
    writer.join(10_000);
    assertThat(failed).isTrue();

    // After failoverTimeout (2 s) the replica with the highest offset is promoted.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      RedisInstanceStatus s = status();
      assertThat(s.getMaster()).isNotEqualTo(first);
      assertThat(s.getLastFailover().getReason()).isEqualTo("MasterUnreachable");
      assertThat(s.getPhase()).isIn("Ready", "Degraded");
    });
    RedisInstanceStatus after = status();
    String promoted = after.getMaster();
    assertThat(after.getLastFailover().getFrom()).isEqualTo(first);
    assertThat(after.getLastFailover().getOffsets()).doesNotContainKey(first);
    long best = after.getLastFailover().getOffsets().values().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(after.getLastFailover().getOffsets().get(promoted)).isEqualTo(best);
    assertThat(events("FailedOver")).singleElement().satisfies(e -> assertThat(e.getMessage())
        .contains("Promoted " + promoted).contains(first + " unreachable").doesNotContain(password()));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(role(promoted)).isEqualTo("master"));

    // The old master comes back empty (persistence none) and fenced: it refuses writes and serves no
    // sync, so nobody resyncs to its empty dataset; the operator makes it a replica of the new master.
    RealRedis old = servers.byPod.get(first);
    old.restart();
    try (Jedis jedis = old.client()) {
      assertThatThrownBy(() -> jedis.set("split", "brain")).isInstanceOf(JedisDataException.class)
          .hasMessageContaining("READONLY");
    }
    awaitReadyWithReplicas(2);
    assertThat(status().getMaster()).isEqualTo(promoted);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(role(first)).isEqualTo("replica"));
    try (Jedis newMaster = servers.byPod.get(promoted).client(); Jedis rejoined = old.client()) {
      for (String key : acknowledged) {
        assertThat(newMaster.get(key)).as(key).isNotNull();
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rejoined.dbSize()).isEqualTo(newMaster.dbSize()));
      assertThat(rejoined.get(acknowledged.get(acknowledged.size() - 1))).isNotNull();
    }
    // Steady again: passes (woken here by a pod's change) probe every server and write nothing.
    Thread.sleep(1000);
    String version = client.resources(RedisInstance.class).inNamespace(NS).withName(NAME).get().getMetadata()
        .getResourceVersion();
    long passes = sandbox.operator().controller(RedisReconciler.class).reconcileCount();
    for (int i = 0; i < 3; i++) {
      int n = i;
      client.pods().inNamespace(NS).withName(first).edit(p -> {
        p.getMetadata().setAnnotations(java.util.Map.of("test/touch", String.valueOf(n)));
        return p;
      });
      Thread.sleep(300);
    }
    await().atMost(Duration.ofSeconds(5)).until(() ->
        sandbox.operator().controller(RedisReconciler.class).reconcileCount() >= passes + 3);
    assertThat(client.resources(RedisInstance.class).inNamespace(NS).withName(NAME).get().getMetadata()
        .getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aMasterThatRestartsFencedIsReplacedAtOnceWithoutWaitingForTheTimeout() {
    deploy(instance("replication", "none", "1h"));
    awaitReadyWithReplicas(2);
    String first = status().getMaster();
    try (Jedis jedis = servers.byPod.get(first).client()) {
      for (int i = 0; i < 100; i++) {
        jedis.set("k" + i, "v" + i);
      }
      jedis.waitReplicas(2, 2000);
    }
    RealRedis old = servers.byPod.get(first);
    old.kill();
    old.restart();
    // It came back empty and fenced: promoted at once (failoverTimeout is an hour), nothing lost.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(status().getMaster()).isNotEqualTo(first);
      assertThat(status().getLastFailover().getReason()).isEqualTo("MasterRestarted");
    });
    awaitReadyWithReplicas(2);
    try (Jedis master = servers.byPod.get(status().getMaster()).client(); Jedis rejoined = old.client()) {
      assertThat(master.dbSize()).isEqualTo(100);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rejoined.dbSize()).isEqualTo(100));
    }
  }

  @Test
  void aPartitionedFormerMasterIsMadeAReplicaOfTheCurrentOneFromItsReplicationIdNotItsName() {
    deploy(instance("replication", "none", "2s"));
    awaitReadyWithReplicas(2);
    String first = status().getMaster();
    try (Jedis jedis = servers.byPod.get(first).client()) {
      jedis.set("before", "1");
      jedis.waitReplicas(2, 2000);
    }
    // The operator loses sight of the master, which keeps running and taking writes.
    servers.partitioned.add(first);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status().getMaster()).isNotEqualTo(first));
    String promoted = status().getMaster();
    // The status is written just before the commands: wait until the promotion and the repointing are done
    // (a write that reaches the old master earlier still flows to the replica being promoted, and is kept).
    String third = List.of(NAME + "-0", NAME + "-1", NAME + "-2").stream().filter(p -> !p.equals(first)
        && !p.equals(promoted)).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      try (Jedis newMaster = servers.byPod.get(promoted).client(); Jedis other = servers.byPod.get(third).client()) {
        assertThat(newMaster.info("replication")).contains("role:master");
        assertThat(other.info("replication")).contains("master_port:" + servers.byPod.get(promoted).port);
      }
    });
    try (Jedis isolated = servers.byPod.get(first).client()) {
      isolated.set("during-partition", "lost");
      assertThat(isolated.info("replication")).contains("role:master");
    }
    servers.partitioned.remove(first);
    // Two servers answer as master; the one whose replication history the status records stays.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events("FormerMasterFenced")).hasSize(1));
    assertThat(events("FormerMasterFenced").get(0).getMessage()).contains(first).contains("answered as a master")
        .contains("replica of master " + promoted);
    awaitReadyWithReplicas(2);
    try (Jedis old = servers.byPod.get(first).client()) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(old.info("replication")).contains("role:slave");
        assertThat(old.get("during-partition")).isNull();
        assertThat(old.get("before")).isEqualTo("1");
      });
    }
    assertThat(status().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo(Conditions.TRUE);
    });
  }
}
