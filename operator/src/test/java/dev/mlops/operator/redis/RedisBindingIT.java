package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * TrainingJob {@code spec.redis}: a job waits with RedisReady=False until its instance is Ready,
 * then every worker gets REDIS_HOST/PORT/URL and REDIS_PASSWORD from a Secret of its own namespace
 * that the operator keeps; a namespace the instance does not allow gets neither a Job nor the
 * password. The instance is served by a real redis-server process.
 */
public class RedisBindingIT {

  static final String PLATFORM = "platform";
  private Sandbox sandbox;
  private KubernetesClient client;
  private final LocalRedisServers servers = new LocalRedisServers();

  @BeforeEach
  void start() {
    sandbox = servers.sandbox();
    client = sandbox.client();
    namespace(PLATFORM, Map.of());
    namespace("ml-team", Map.of("team", "ml"));
    namespace("other-team", Map.of());
    sandbox.startOperator();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    servers.closeAll();
  }

  void namespace(String name, Map<String, String> labels) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
        .create();
  }

  TrainingJob job(String namespace, String name) {
    return client.resource(Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s, namespace: %s}
        spec:
          image: busybox:1.36
          command: [sh, -c, "echo $REDIS_URL"]
          nodes: 2
          gpusPerNode: 0
          redis: [{name: feature-cache, namespace: platform}]
        """.formatted(name, namespace), TrainingJob.class)).create();
  }

  TrainingJob awaitJob(String namespace, String name, Predicate<TrainingJob> reached) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      TrainingJob tj = client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
      return tj.getStatus() != null && reached.test(tj);
    });
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
  }

  static Predicate<TrainingJob> redisReason(String reason) {
    return tj -> Conditions.find(tj.getStatus().getConditions(), "RedisReady").map(c -> reason.equals(c.getReason()))
        .orElse(false);
  }

  @Test
  void aJobWaitsForItsRedisThenGetsItsAddressAndPasswordAndAnotherTeamGetsNeither() {
    client.resource(Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: feature-cache, namespace: platform}
        spec:
          resources: {limits: {memory: 256Mi}}
          access: {allowedNamespaces: {matchLabels: {team: ml}}}
        """, RedisInstance.class)).create();
    job("ml-team", "llama-ft");
    TrainingJob waiting = awaitJob("ml-team", "llama-ft", redisReason("RedisNotReady"));
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(client.batch().v1().jobs().inNamespace("ml-team").list().getItems()).isEmpty();

    // The instance comes up: a real server from its redis.conf, behind its pod.
    await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace(PLATFORM).withName("feature-cache-auth")
        .get() != null && client.configMaps().inNamespace(PLATFORM).withName("feature-cache-config").get() != null
        && client.secrets().inNamespace(PLATFORM).withName("feature-cache-operator").get() != null);
    String password = RedisResources.password(client.secrets().inNamespace(PLATFORM).withName("feature-cache-auth").get());
    servers.startPod(client, PLATFORM, "feature-cache", "feature-cache-0");
    LocalRedisServers.createPod(client, PLATFORM, "feature-cache", "feature-cache-0");

    TrainingJob started = awaitJob("ml-team", "llama-ft", tj -> Conditions.isTrue(tj.getStatus().getConditions(),
        "RedisReady"));
    assertThat(Conditions.find(started.getStatus().getConditions(), "RedisReady").orElseThrow().getMessage())
        .isEqualTo("RedisInstance platform/feature-cache is Ready.");
    await().atMost(Duration.ofSeconds(20)).until(() -> !client.batch().v1().jobs().inNamespace("ml-team").list()
        .getItems().isEmpty());
    Job job = client.batch().v1().jobs().inNamespace("ml-team").list().getItems().get(0);
    var pod = job.getSpec().getTemplate();
    List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
    assertThat(env).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
        .isEqualTo("REDIS_HOST=feature-cache.platform.svc"));
    assertThat(env).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("REDIS_PORT=6379"));
    assertThat(env).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
        .isEqualTo("REDIS_URL=redis://feature-cache.platform.svc:6379"));
    EnvVar secretRef = env.stream().filter(e -> e.getName().equals("REDIS_PASSWORD")).findFirst().orElseThrow();
    assertThat(secretRef.getValue()).isNull();
    assertThat(secretRef.getValueFrom().getSecretKeyRef().getName()).isEqualTo("llama-ft-redis");
    assertThat(Serialization.asJson(job)).doesNotContain(password);
    assertThat(pod.getMetadata().getLabels()).containsEntry("feature-cache.platform.redis.mlops.dev/client", "true");
    Secret copy = client.secrets().inNamespace("ml-team").withName("llama-ft-redis").get();
    assertThat(RedisResources.password(copy)).as("the job's copy opens the instance").isEqualTo(password);
    try (Jedis jedis = servers.byPod.get("feature-cache-0").client()) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }

    // Another team's namespace is not allowed: no Job and no copy of the password there.
    job("other-team", "stolen");
    TrainingJob refused = awaitJob("other-team", "stolen", redisReason("NamespaceNotAllowed"));
    assertThat(Conditions.find(refused.getStatus().getConditions(), "RedisReady").orElseThrow().getMessage())
        .contains("RedisInstance platform/feature-cache does not allow namespace other-team")
        .contains("team=ml");
    assertThat(client.v1().events().inNamespace("other-team").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("NamespaceNotAllowed"));
    assertThat(client.secrets().inNamespace("other-team").list().getItems()).isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace("other-team").list().getItems()).isEmpty();

    // Labelled into the team later, it starts by itself.
    client.namespaces().withName("other-team").edit(n -> {
      n.getMetadata().setLabels(Map.of("team", "ml"));
      return n;
    });
    awaitJob("other-team", "stolen", tj -> Conditions.isTrue(tj.getStatus().getConditions(), "RedisReady"));
    await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace("other-team").withName("stolen-redis")
        .get() != null);

    // Labelled out again: its copy of the password is taken back.
    client.namespaces().withName("other-team").edit(n -> {
      n.getMetadata().setLabels(Map.of("team", "web"));
      return n;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace("other-team").withName("stolen-redis")
        .get() == null);
  }
}
