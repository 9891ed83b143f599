package dev.mlops.operator.e2e;

import static org.awaitility.Awaitility.await;

import dev.mlops.operator.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * Kueue's real controller manager (v0.17.1, built unmodified from the Go module proxy by testcluster/build) on the
 * test plane, with its webhooks: its CRDs (with their conversion webhook) and its mutating and validating webhook
 * configurations are registered with the plane by URL, https://127.0.0.1:PORT, the port of the manager's webhook
 * server, with a CA made by testcluster/kueue/certs. Kueue's own cert rotator stays on (with it off, v0.17.1 insists on
 * /etc/kueue/metrics/certs) and keeps that CA and certificate, found in the Secret it reads. So a Job with Kueue's
 * queue label is suspended by Kueue's own webhook, and ResourceFlavors, ClusterQueues and LocalQueues are defaulted and
 * validated by it. Its log is {@code target/kueue.log}.
 */
final class KueueController implements AutoCloseable {

  static final String NAMESPACE = "kueue-system";
  static final String SKIPPED = "no Kueue: testcluster/build builds it (Kueue's manager from the Go module proxy)";

  private final Process process;
  private final KubernetesClient admin;

  private KueueController(Process process, KubernetesClient admin) {
    this.process = process;
    this.admin = admin;
  }

  /** The build's folder with bin/kueue and kueue-config/, where testcluster/build made them. */
  static Optional<Path> built() {
    Path dir = TestPlane.buildDirectory();
    return Files.isExecutable(dir.resolve("bin/kueue")) && Files.isDirectory(dir.resolve("kueue-config"))
        ? Optional.of(dir) : Optional.empty();
  }

  static KueueController start(KubernetesClient admin, Path built, Path kubeconfig) throws IOException,
      InterruptedException {
    Path work = Files.createTempDirectory("kueue");
    Path certs = work.resolve("certs");
    Process made = new ProcessBuilder(RepoPaths.root().resolve("testcluster/kueue/certs").toString(), certs.toString())
        .redirectErrorStream(true).start();
    if (!made.waitFor(60, TimeUnit.SECONDS) || made.exitValue() != 0) {
      throw new IllegalStateException("testcluster/kueue/certs failed: " + new String(made.getInputStream().readAllBytes()));
    }
    int webhook = freePort();
    int health = freePort();
    int metrics = freePort();
    String base = "https://127.0.0.1:" + webhook;
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(certs.resolve("ca.crt")));

    if (admin.namespaces().withName(NAMESPACE).get() == null) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }
    Map<String, String> secret = new LinkedHashMap<>();
    for (String file : List.of("ca.crt", "ca.key", "tls.crt", "tls.key")) {
      secret.put(file, Files.readString(certs.resolve(file)));
    }
    admin.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
        .withName("kueue-webhook-server-cert").endMetadata().withStringData(secret).build()).forceConflicts()
        .serverSideApply();

    for (GenericKubernetesResource object : registrations(built.resolve("kueue-config"), base, caBundle)) {
      admin.resource(object).forceConflicts().serverSideApply();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> admin.apiextensions().v1().customResourceDefinitions().list()
        .getItems().stream().filter(c -> c.getSpec().getGroup().equals("kueue.x-k8s.io"))
        .allMatch(c -> c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions()
            .stream().anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus()))));

    Path config = work.resolve("config.yaml");
    Files.writeString(config, """
        apiVersion: config.kueue.x-k8s.io/v1beta2
        kind: Configuration
        namespace: kueue-system
        leaderElection: {leaderElect: false}
        health: {healthProbeBindAddress: "127.0.0.1:%d"}
        metrics: {bindAddress: "127.0.0.1:%d"}
        webhook: {host: 127.0.0.1, port: %d, certDir: "%s"}
        internalCertManagement:
          enable: true
          webhookServiceName: kueue-webhook-service
          webhookSecretName: kueue-webhook-server-cert
        clientConnection: {qps: 50, burst: 100}
        integrations: {frameworks: [batch/job]}
        featureGates: {VisibilityOnDemand: false}
        """.formatted(health, metrics, webhook, certs));
    Path log = Path.of("target", "kueue.log").toAbsolutePath();
    Process process = new ProcessBuilder(List.of(built.resolve("bin/kueue").toString(), "--config", config.toString(),
        "--kubeconfig", kubeconfig.toString(), "--zap-log-level=2"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    KueueController controller = new KueueController(process, admin);
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("kueue exited (" + process.exitValue() + "): see " + log);
        }
        try {
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/readyz")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (RuntimeException e) {
      controller.close();
      throw e;
    }
    return controller;
  }

  /**
   * Kueue's CRDs as its kustomization lists them, with the conversion webhook its patches add, and its two webhook
   * configurations kept to the webhooks of batch Jobs and Kueue's own objects: every clientConfig by URL.
   */
  @SuppressWarnings("unchecked")
  static List<GenericKubernetesResource> registrations(Path config, String base, String caBundle) throws IOException {
    Yaml yaml = new Yaml();
    Path crds = config.resolve("crd");
    Map<String, Object> kustomization = yaml.load(Files.readString(crds.resolve("kustomization.yaml")));
    Map<String, Object> conversions = new LinkedHashMap<>();
    for (Object entry : (List<Object>) kustomization.getOrDefault("patches", List.of())) {
      Map<String, Object> patch = yaml.load(Files.readString(crds.resolve((String) ((Map<String, Object>) entry).get("path"))));
      Map<String, Object> conversion = (Map<String, Object>) ((Map<String, Object>) patch.get("spec")).get("conversion");
      Map<String, Object> webhook = (Map<String, Object>) conversion.get("webhook");
      Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) webhook.get("clientConfig")).get("service");
      webhook.put("clientConfig", Map.of("url", base + service.getOrDefault("path", "/convert"), "caBundle", caBundle));
      conversions.put((String) ((Map<String, Object>) patch.get("metadata")).get("name"), conversion);
    }
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (Object resource : (List<Object>) kustomization.get("resources")) {
      Map<String, Object> crd = yaml.load(Files.readString(crds.resolve((String) resource)));
      String name = (String) ((Map<String, Object>) crd.get("metadata")).get("name");
      if (conversions.containsKey(name)) {
        ((Map<String, Object>) crd.get("spec")).put("conversion", conversions.get(name));
      }
      objects.add(Serialization.jsonMapper().convertValue(crd, GenericKubernetesResource.class));
    }
    for (Object document : yaml.loadAll(Files.readString(config.resolve("webhooks.yaml")))) {
      if (document == null) {
        continue;
      }
      Map<String, Object> configuration = (Map<String, Object>) document;
      String kind = (String) configuration.get("kind");
      configuration.put("metadata", Map.of("name", "kueue-" + (kind.startsWith("Mutating") ? "mutating" : "validating")
          + "-webhook-configuration"));
      List<Object> kept = new ArrayList<>();
      for (Object item : (List<Object>) configuration.get("webhooks")) {
        Map<String, Object> webhook = (Map<String, Object>) item;
        boolean ours = ((List<Object>) webhook.get("rules")).stream()
            .flatMap(r -> ((List<String>) ((Map<String, Object>) r).get("apiGroups")).stream())
            .allMatch(g -> g.equals("batch") || g.equals("kueue.x-k8s.io"));
        if (!ours) {
          continue;
        }
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) webhook.get("clientConfig")).get("service");
        webhook.put("clientConfig", Map.of("url", base + service.get("path"), "caBundle", caBundle));
        kept.add(webhook);
      }
      configuration.put("webhooks", kept);
      objects.add(Serialization.jsonMapper().convertValue(configuration, GenericKubernetesResource.class));
    }
    return objects;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * Stops the manager and takes its webhook configurations away: they match every Job of the cluster, and with nobody
   * at their URL the API server would refuse the Jobs of the tests that follow. Its CRDs stay.
   */
  @Override
  public void close() {
    for (String kind : List.of("mutatingwebhookconfigurations", "validatingwebhookconfigurations")) {
      String which = kind.startsWith("mutating") ? "mutating" : "validating";
      admin.genericKubernetesResources("admissionregistration.k8s.io/v1",
          kind.startsWith("mutating") ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration")
          .withName("kueue-" + which + "-webhook-configuration").delete();
    }
    TestPlane.stop(process);
  }
}
