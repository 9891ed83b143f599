package dev.mlops.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.operator.api.v1alpha1.TrainingJob;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The name index must answer exactly as the stock scan would: namesakes of other kinds and namespaces apart. */
class EmbeddedApiServerTest {

  private EmbeddedApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer();
    client = server.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static Pod pod(String ns, String name, String image) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", "w").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void namesakesInOtherNamespacesAndKindsStayApartThroughCreateUpdateAndDelete() {
    for (String ns : new String[] {"a", "b"}) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      client.pods().inNamespace(ns).resource(pod(ns, "w-0", "img-" + ns)).create();
    }
    client.services().inNamespace("a").resource(new ServiceBuilder().withNewMetadata().withName("w-0").endMetadata()
        .withNewSpec().withClusterIP("None").endSpec().build()).create();
    TrainingJob tj = new TrainingJob();
    tj.getMetadata().setName("w-0");
    tj.getMetadata().setNamespace("a");
    tj.setSpec(new dev.mlops.operator.api.v1alpha1.TrainingJobSpec());
    tj.getSpec().setImage("img");
    tj.getSpec().setNodes(1);
    tj.getSpec().setGpusPerNode(0);
    client.resources(TrainingJob.class).inNamespace("a").resource(tj).create();

    assertThat(client.pods().inNamespace("a").withName("w-0").get().getSpec().getContainers().get(0).getImage())
        .isEqualTo("img-a");
    assertThat(client.pods().inNamespace("b").withName("w-0").get().getSpec().getContainers().get(0).getImage())
        .isEqualTo("img-b");
    assertThat(client.services().inNamespace("a").withName("w-0").get()).isNotNull();
    assertThat(client.services().inNamespace("b").withName("w-0").get()).isNull();
    assertThat(client.resources(TrainingJob.class).inNamespace("a").withName("w-0").get().getSpec().getImage()).isEqualTo("img");
    assertThat(server.nameIndexInStep()).isTrue();

    // A second create of the same object is refused; an update lands on the right one only.
    assertThatThrownBy(() -> client.pods().inNamespace("a").resource(pod("a", "w-0", "x")).create())
        .isInstanceOf(KubernetesClientException.class).extracting(e -> ((KubernetesClientException) e).getCode()).isEqualTo(409);
    client.pods().inNamespace("a").withName("w-0").editStatus(p -> {
      p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
      return p;
    });
    client.pods().inNamespace("b").withName("w-0").edit(p -> {
      p.getMetadata().getLabels().put("edited", "yes");
      return p;
    });
    assertThat(client.pods().inNamespace("a").withName("w-0").get().getStatus().getPhase()).isEqualTo("Running");
    assertThat(client.pods().inNamespace("b").withName("w-0").get().getMetadata().getLabels()).containsEntry("edited", "yes");
    assertThat(client.pods().inNamespace("b").withName("w-0").get().getStatus()).satisfiesAnyOf(
        s -> assertThat(s).isNull(), s -> assertThat(s.getPhase()).isNull());
    assertThat(client.pods().inAnyNamespace().withLabel("edited", "yes").list().getItems()).hasSize(1);
    assertThat(server.nameIndexInStep()).isTrue();

    client.pods().inNamespace("a").withName("w-0").delete();
    assertThat(client.pods().inNamespace("a").withName("w-0").get()).isNull();
    assertThat(client.pods().inNamespace("b").withName("w-0").get()).isNotNull();
    assertThat(client.services().inNamespace("a").withName("w-0").get()).isNotNull();
    assertThat(server.nameIndexInStep()).isTrue();
  }

  @Test
  void resetEmptiesTheStoreAndTheIndexServesAgainAfterIt() {
    client.pods().inNamespace("default").resource(pod("default", "p", "img")).create();
    server.reset();
    assertThat(client.pods().inNamespace("default").withName("p").get()).isNull();
    client.pods().inNamespace("default").resource(pod("default", "p", "img2")).create();
    assertThat(client.pods().inNamespace("default").withName("p").get().getSpec().getContainers().get(0).getImage())
        .isEqualTo("img2");
    assertThat(server.nameIndexInStep()).isTrue();
  }
}
