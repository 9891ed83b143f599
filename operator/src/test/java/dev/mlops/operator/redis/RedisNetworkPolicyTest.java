package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.common.Labels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who the servers' NetworkPolicy admits on 6379: the operator only from its own namespace, never by label alone. */
class RedisNetworkPolicyTest {

  static RedisInstance instance() {
    return Serialization.unmarshal("""
        apiVersion: mlops.dev/v1alpha1
        kind: RedisInstance
        metadata: {name: cache, namespace: platform, uid: u-1}
        spec:
          resources: {limits: {memory: 1Gi}}
          access: {allowedNamespaces: {matchLabels: {team: ml}}, networkPolicy: true}
        """, RedisInstance.class);
  }

  static List<NetworkPolicyPeer> operatorPeers(String operatorNamespace) {
    return RedisResources.networkPolicy(instance(), operatorNamespace).getSpec().getIngress().stream()
        .flatMap(rule -> rule.getFrom().stream())
        .filter(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null
            && Labels.OPERATOR.equals(peer.getPodSelector().getMatchLabels().get(RedisResources.OPERATOR_POD_LABEL)))
        .toList();
  }

  @Test
  void theOperatorIsAdmittedFromItsOwnNamespaceOnly() {
    assertThat(operatorPeers("mlops-system")).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
        .getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "mlops-system")));
  }

  @Test
  void anOperatorOutsideThePodNetworkGetsNoPeerRatherThanEveryNamespace() {
    assertThat(operatorPeers(null)).isEmpty();
  }
}
