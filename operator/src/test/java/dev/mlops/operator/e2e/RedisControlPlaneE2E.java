package dev.mlops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.common.Conditions;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.redis.RedisConnector;
import dev.mlops.operator.redis.RedisProbe;
import dev.mlops.operator.redis.RedisResources;
import dev.mlops.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RedisInstance on the real test plane, the operator acting with exactly the chart's RBAC: the CRD's
 * rules, the StatefulSet's pods and claims made by kube-controller-manager, the Services, PDB and
 * NetworkPolicy, and what the garbage collector and the StatefulSet controller keep or delete when
 * the instance goes (deletionPolicy). KWOK pods run no Redis: the operator is given a connector that
 * finds no server, and the live status is covered against real servers by {@code RedisFailoverIT}.
 */
class RedisControlPlaneE2E {

  private static final String OPERATOR_NS = "mlops-system";
  private static KubernetesClient client;
  private static ChartRbacOperator operator;
  private String namespace;

  /** KWOK pods have IPs but no server behind them: say so at once instead of waiting for a timeout. */
  static final RedisConnector NO_SERVERS = new RedisConnector() {
    @Override
    public Optional<Address> address(Pod pod) {
      return Optional.empty();
    }

    @Override
    public RedisProbe.Answer info(Address server, Credentials as) {
      throw new AssertionError("no address, no probe");
    }

    @Override
    public String replicaOf(Address server, Optional<Address> master, Credentials as) {
      throw new AssertionError("no server, no command");
    }
  };

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestPlane.kubeconfig().isPresent(), TestPlane.SKIPPED);
    client = TestPlane.clientWithCrds();
    operator = new ChartRbacOperator(client, "mlops-operator", OPERATOR_NS, values -> { },
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(2)).withRedisConnector(NO_SERVERS)
            .withOperatorNamespace(OPERATOR_NS));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @AfterEach
  void cleanUp() {
    if (namespace != null) {
      String ns = namespace;
      client.resources(RedisInstance.class).inNamespace(ns).delete();
      // The operator must not write into a terminating namespace (a 403 that is not RBAC's): its
      // RedisInstances are gone from its cache, and a pass in flight has ended, before the namespace goes.
      await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(RedisInstance.class).inNamespace(ns).list()
          .getItems().isEmpty() && client.apps().statefulSets().inNamespace(ns).list().getItems().isEmpty());
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.namespaces().withName(ns).delete();
    }
  }

  private String namespace() {
    namespace = "e2e-redis-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return namespace;
  }

  private RedisInstance create(String ns, String name, String deletionPolicy) {
    RedisInstance ri = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: %s}
        spec:
          mode: replication
          replicas: 2
          resources: {limits: {memory: 256Mi}}
          persistence: {mode: aof, size: 1Gi}
          exporter: {enabled: true}
          access: {allowedNamespaces: {matchLabels: {team: ml}}, networkPolicy: true}
          deletionPolicy: %s
        """.formatted(name, deletionPolicy), RedisInstance.class);
    ri.getMetadata().setNamespace(ns);
    return client.resource(ri).create();
  }

  /**
   * The policy's peer for the operator selects pods with the operator's label in the operator's namespace only: the
   * API server itself says which namespaces its namespaceSelector selects, and it sets kubernetes.io/metadata.name
   * on every namespace to that namespace's name, so a namespace cannot claim to be the operator's. (The plane runs no
   * CNI, so the traffic itself is not tried; what a CNI enforces is this selector.)
   */
  private void operatorPeerAdmitsTheOperatorsNamespaceOnly(NetworkPolicy policy) {
    var operatorPeers = policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
        .filter(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null
            && Labels.OPERATOR.equals(peer.getPodSelector().getMatchLabels().get(RedisResources.OPERATOR_POD_LABEL)))
        .toList();
    assertThat(operatorPeers).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
        .isEqualTo(java.util.Map.of("kubernetes.io/metadata.name", OPERATOR_NS)));
    String impostor = "impostor-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(impostor)
        .addToLabels("kubernetes.io/metadata.name", OPERATOR_NS).endMetadata().build()).create();
    try {
      var selected = client.namespaces().withLabelSelector(operatorPeers.get(0).getNamespaceSelector()).list().getItems();
      assertThat(selected).extracting(n -> n.getMetadata().getName()).containsExactly(OPERATOR_NS);
    } finally {
      client.namespaces().withName(impostor).delete();
    }
  }

  private String password(String ns, String name) {
    Secret s = client.secrets().inNamespace(ns).withName(RedisResources.generatedSecretName(name)).get();
    return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
  }

  /**
   * Pods that never ran are "unschedulable", in the scheduler's words, with the claim that stays Pending and
   * its storage class: not "unreachable" with no Event, as a storage class the cluster lacks used to show.
   */
  @Test
  void podsTheSchedulerCannotPlaceAreSaidWithTheSchedulersMessageAndTheirClaim() {
    String ns = namespace();
    RedisInstance ri = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: nowhere}
        spec:
          mode: replication
          replicas: 1
          resources: {limits: {memory: 256Mi}}
          persistence: {mode: aof, size: 1Gi, storageClassName: local-ssd}
        """, RedisInstance.class);
    ri.getMetadata().setNamespace(ns);
    client.resource(ri).create();
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      RedisInstance now = client.resources(RedisInstance.class).inNamespace(ns).withName("nowhere").get();
      return now.getStatus() != null && "PodsUnschedulable".equals(now.getStatus().getReason())
          && Conditions.find(now.getStatus().getConditions(), "Ready").orElseThrow().getMessage()
              .contains("claim data-nowhere-1 is Pending with storage class local-ssd");
    });
    RedisInstance stuck = client.resources(RedisInstance.class).inNamespace(ns).withName("nowhere").get();
    assertThat(stuck.getStatus().getPhase()).isEqualTo("Pending");
    String message = Conditions.find(stuck.getStatus().getConditions(), "Ready").orElseThrow().getMessage();
    assertThat(message).contains("Pod nowhere-0 cannot be scheduled: ").contains("unbound immediate PersistentVolumeClaims")
        .contains("claim data-nowhere-0 is Pending with storage class local-ssd").doesNotContainIgnoringCase("unreachable");
    await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
        .anyMatch(e -> "Warning".equals(e.getType()) && "PodsUnschedulable".equals(e.getReason())
            && "nowhere".equals(e.getInvolvedObject().getName())));
  }

  @Test
  void theApiServerRefusesWhatTheServerCouldNotRunAndAModeChange() {
    String ns = namespace();
    RedisInstance bad = Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: unbounded}
        spec: {resources: {requests: {memory: 1Gi}}}
        """, RedisInstance.class);
    bad.getMetadata().setNamespace(ns);
    assertThatThrownBy(() -> client.resource(bad).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.resources.limits.memory is required");
    create(ns, "modes", "Retain");
    // A merge patch (no resourceVersion): the operator writes the status meanwhile.
    assertThatThrownBy(() -> client.resources(RedisInstance.class).inNamespace(ns).withName("modes").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\": {\"mode\": \"standalone\", \"replicas\": null}}"))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.mode is immutable");
  }

  @Test
  void retainKeepsTheClaimsAndTheGeneratedSecretWhenTheInstanceIsDeleted() throws InterruptedException {
    String ns = namespace();
    String name = "feature-cache";
    create(ns, name, "Retain");
    // kube-controller-manager's StatefulSet controller makes the pods and a claim per server.
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(client.pods().inNamespace(ns).withLabel(RedisResources.INSTANCE_LABEL, name).list().getItems())
          .hasSize(3);
      assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems())
          .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("data-" + name + "-0",
              "data-" + name + "-1", "data-" + name + "-2");
    });
    assertThat(client.services().inNamespace(ns).list().getItems()).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder(name, name + "-replicas", name + "-headless");
    assertThat(client.services().inNamespace(ns).withName(name).get().getSpec().getSelector())
        .containsEntry(RedisResources.ROLE_LABEL, "master");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).get().getSpec()
        .getMaxUnavailable().getIntVal()).isEqualTo(1);
    var policy = client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
    assertThat(Serialization.asJson(policy.getSpec())).contains(RedisResources.clientLabel(ns, name)).contains("team")
        .contains("9121");
    operatorPeerAdmitsTheOperatorsNamespaceOnly(policy);
    String password = password(ns, name);
    assertThat(password).hasSize(40).matches("[A-Za-z0-9]+");
    assertThat(client.configMaps().inNamespace(ns).withName(RedisResources.configMapName(name)).get().getData()
        .get("redis.conf")).doesNotContain(password);
    // No server answers on KWOK: the status says so, with the Secret and endpoints, and nothing is invented.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      RedisInstance ri = client.resources(RedisInstance.class).inNamespace(ns).withName(name).get();
      assertThat(ri.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(ri.getStatus().getSecretName()).isEqualTo(name + "-auth");
      assertThat(ri.getStatus().getMaster()).isNull();
      // The plane provisions no volumes: the claims stay Pending and the pods are never placed, which the status
      // says in the scheduler's words (it used to say ElectingMaster).
      var ready = Conditions.find(ri.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getReason()).isEqualTo("PodsUnschedulable");
      assertThat(ready.getMessage()).contains("Pod " + name + "-0 cannot be scheduled: ").contains("claim data-" + name
          + "-0 is Pending");
    });
    String secretVersion = client.secrets().inNamespace(ns).withName(name + "-auth").get().getMetadata()
        .getResourceVersion();

    client.resources(RedisInstance.class).inNamespace(ns).withName(name).delete();
    // The garbage collector takes the owned children; the claims and the Secret stay.
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(client.apps().statefulSets().inNamespace(ns).withName(name).get()).isNull();
      assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(ns).withName(RedisResources.configMapName(name)).get()).isNull();
    });
    Thread.sleep(Duration.ofSeconds(3).toMillis());
    assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).hasSize(3);
    Secret kept = client.secrets().inNamespace(ns).withName(name + "-auth").get();
    assertThat(kept).isNotNull();
    assertThat(kept.getMetadata().getResourceVersion()).as("never rewritten").isEqualTo(secretVersion);

    // Re-created, it finds its Secret and keeps the password: nothing was regenerated.
    create(ns, name, "Retain");
    await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().statefulSets().inNamespace(ns).withName(name)
        .get() != null);
    assertThat(password(ns, name)).isEqualTo(password);
  }

  @Test
  void deleteTakesTheClaimsAndTheGeneratedSecretWithTheInstance() {
    String ns = namespace();
    String name = "scratch-cache";
    create(ns, name, "Delete");
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).hasSize(3);
      assertThat(client.secrets().inNamespace(ns).withName(name + "-auth").get()).isNotNull();
    });
    assertThat(client.secrets().inNamespace(ns).withName(name + "-auth").get().getMetadata().getOwnerReferences())
        .extracting(r -> r.getKind() + "/" + r.getName()).containsExactly("RedisInstance/" + name);
    client.resources(RedisInstance.class).inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      assertThat(client.secrets().inNamespace(ns).withName(name + "-auth").get()).isNull();
      assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).isEmpty();
    });
  }
}
