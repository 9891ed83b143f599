package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceSpec;
import dev.mlops.operator.api.v1alpha1.RedisRules;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.Quantities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired children of a RedisInstance, from its spec alone: the ConfigMap with redis.conf and the
 * start script, the StatefulSet, the Services, the PodDisruptionBudget, the NetworkPolicy and the
 * generated auth Secret. Each carries {@link #DESIRED_HASH} of what the operator wants of it, so a
 * pass compares one annotation and writes only when that changed.
 */
public final class RedisResources {

  private RedisResources() {}

  public static final String INSTANCE_LABEL = "mlops.dev/redisinstance";
  /** master, replica (following the master, link up) or none: set on each pod by the operator; the Services select on it. */
  public static final String ROLE_LABEL = "mlops.dev/redis-role";
  public static final String DESIRED_HASH = "mlops.dev/desired-hash";
  public static final String CONFIG_HASH = "mlops.dev/config-hash";
  public static final String DEFAULT_IMAGE = "redis:7.2";
  public static final String DEFAULT_EXPORTER_IMAGE = "oliver006/redis_exporter:v1.67.0";
  public static final String PASSWORD_KEY = "password";
  public static final int EXPORTER_PORT = 9121;
  /** Label of bound workloads' pods, {@code <instance>.<namespace>.redis.mlops.dev/client: "true"}: admitted. */
  public static final String CLIENT_LABEL_SUFFIX = ".redis.mlops.dev/client";
  /** Pods of the operator, admitted by the NetworkPolicy (it probes every server). */
  public static final String OPERATOR_POD_LABEL = "app.kubernetes.io/name";

  public static String configMapName(String name) {
    return name + "-config";
  }

  public static String generatedSecretName(String name) {
    return name + "-auth";
  }

  public static String headlessName(String name) {
    return name + "-headless";
  }

  public static String replicasServiceName(String name) {
    return name + "-replicas";
  }

  public static String clientLabel(String namespace, String name) {
    return name + "." + namespace + CLIENT_LABEL_SUFFIX;
  }

  public static boolean replication(RedisInstanceSpec spec) {
    return "replication".equals(spec.getMode());
  }

  public static int servers(RedisInstanceSpec spec) {
    return replication(spec) ? 1 + (spec.getReplicas() == null ? RedisRules.DEFAULT_REPLICAS : spec.getReplicas()) : 1;
  }

  public static boolean authEnabled(RedisInstanceSpec spec) {
    return spec.getAuth() == null || !Boolean.FALSE.equals(spec.getAuth().getEnabled());
  }

  /** The Secret holding the password, or null without auth. */
  public static String secretName(RedisInstance ri) {
    RedisInstanceSpec spec = ri.getSpec();
    if (!authEnabled(spec)) {
      return null;
    }
    String existing = spec.getAuth() == null ? null : spec.getAuth().getExistingSecret();
    return existing == null || existing.isEmpty() ? generatedSecretName(ri.getMetadata().getName()) : existing;
  }

  /** The key 'password' of a Secret (data, or stringData as a mock server may keep it), or null. */
  public static String password(Secret secret) {
    if (secret.getData() != null && secret.getData().get(PASSWORD_KEY) != null) {
      return new String(java.util.Base64.getDecoder().decode(secret.getData().get(PASSWORD_KEY)), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(PASSWORD_KEY);
  }

  public static boolean generatesSecret(RedisInstance ri) {
    return authEnabled(ri.getSpec()) && generatedSecretName(ri.getMetadata().getName()).equals(secretName(ri));
  }

  public static String persistenceMode(RedisInstanceSpec spec) {
    return spec.getPersistence() == null || spec.getPersistence().getMode() == null ? "none"
        : spec.getPersistence().getMode();
  }

  public static boolean deletes(RedisInstanceSpec spec) {
    return "Delete".equals(spec.getDeletionPolicy());
  }

  /** maxmemory in bytes: maxMemory, or the ratio of limits.memory (0.75 by default); 0 when neither is known. */
  public static long maxMemoryBytes(RedisInstanceSpec spec) {
    if (spec.getMaxMemory() != null) {
      return Quantities.amount(spec.getMaxMemory()).map(a -> a.setScale(0, RoundingMode.FLOOR).longValue()).orElse(0L);
    }
    Quantity limit = spec.getResources() == null || spec.getResources().getLimits() == null ? null
        : spec.getResources().getLimits().get("memory");
    if (limit == null) {
      return 0;
    }
    double ratio = spec.getMaxMemoryRatio() == null ? RedisRules.DEFAULT_MAX_MEMORY_RATIO : spec.getMaxMemoryRatio();
    return Quantities.amount(limit).map(a -> a.multiply(BigDecimal.valueOf(ratio)).setScale(0, RoundingMode.FLOOR)
        .longValue()).orElse(0L);
  }

  public static Map<String, String> labels(String name) {
    return Labels.forChild("redisinstance", name);
  }

  private static Map<String, String> selector(String name) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Labels.MANAGED_BY, Labels.OPERATOR);
    selector.put(INSTANCE_LABEL, name);
    return selector;
  }

  static OwnerReference ownerReference(RedisInstance ri) {
    return new OwnerReferenceBuilder().withApiVersion("mlops.dev/v1alpha1").withKind("RedisInstance")
        .withName(ri.getMetadata().getName()).withUid(ri.getMetadata().getUid()).withController(true).build();
  }

  private static ObjectMeta meta(RedisInstance ri, String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(ri.getMetadata().getNamespace())
        .withLabels(labels(ri.getMetadata().getName())).withOwnerReferences(ownerReference(ri)).build();
  }

  /** redis.conf as the ConfigMap holds it: no password (the start script adds it from the Secret's file). */
  public static String redisConf(RedisInstance ri) {
    RedisInstanceSpec spec = ri.getSpec();
    List<String> lines = new ArrayList<>();
    lines.add("# Written by mlops-operator for RedisInstance " + ri.getMetadata().getNamespace() + "/"
        + ri.getMetadata().getName() + ": change the RedisInstance, not this file.");
    lines.add("port " + RedisConnector.PORT);
    lines.add("bind * -::*");
    lines.add("protected-mode no");
    lines.add("dir /data");
    lines.add("maxmemory " + maxMemoryBytes(spec));
    lines.add("maxmemory-policy " + (spec.getEvictionPolicy() == null ? "noeviction" : spec.getEvictionPolicy()));
    String persistence = persistenceMode(spec);
    lines.add("rdb".equals(persistence) ? "save 3600 1 300 100 60 10000" : "save \"\"");
    lines.add("appendonly " + ("aof".equals(persistence) ? "yes" : "no"));
    lines.add("appendfsync everysec");
    if (replication(spec)) {
      lines.add("# Every server starts fenced, a replica of nothing: read-only, serving no sync, until the operator");
      lines.add("# gives it its role. A master that restarted empty can never make its replicas resync to empty.");
      lines.add("replicaof " + RedisTopology.FENCE.host() + " " + RedisTopology.FENCE.port());
      lines.add("replica-read-only yes");
      lines.add("replica-serve-stale-data yes");
    }
    if (spec.getConfig() != null) {
      new java.util.TreeMap<>(spec.getConfig()).forEach((k, v) -> lines.add(k + " " + (v.isEmpty() ? "\"\"" : v)));
    }
    return String.join("\n", lines) + "\n";
  }

  /** The ACL user the operator connects as: INFO, REPLICAOF, the default user's passwords and masterauth, nothing else. */
  public static final String OPERATOR_USER = "mlops-operator";
  public static final String OPERATOR_USER_RULES = "-@all +ping +info +replicaof +acl|setuser +acl|getuser +config|set"
      + " +client|setname +auth +hello";

  /**
   * Builds the running redis.conf from the ConfigMap's, the password file of the auth Secret (the
   * default user's, and masterauth) and the operator's own ACL user from its Secret: no password is in
   * a process argument or a ConfigMap. The paths can be moved by environment variables so that the
   * tests run this very script against a real redis-server.
   */
  public static final String START_SCRIPT = String.join("\n",
      "#!/bin/sh",
      "# Written by mlops-operator: redis.conf from the ConfigMap plus the passwords from the Secrets' files,",
      "# so no password is in a process argument or in a ConfigMap.",
      "set -eu",
      "umask 077",
      "etc=${MLOPS_REDIS_ETC:-/etc}",
      "run=${MLOPS_REDIS_RUN:-/run/redis}",
      "conf=$run/redis.conf",
      "cp \"$etc/redis/redis.conf\" \"$conf\"",
      "if [ -f \"$etc/redis-auth/password\" ]; then",
      "  pw=$(cat \"$etc/redis-auth/password\")",
      "  printf 'requirepass \"%s\"\\nmasterauth \"%s\"\\n' \"$pw\" \"$pw\" >> \"$conf\"",
      "fi",
      "if [ -f \"$etc/redis-operator/password\" ]; then",
      "  op=$(cat \"$etc/redis-operator/password\")",
      "  printf 'user " + OPERATOR_USER + " on >%s " + OPERATOR_USER_RULES + "\\n' \"$op\" >> \"$conf\"",
      "fi",
      "exec ${MLOPS_REDIS_SERVER:-redis-server} \"$conf\"",
      "");

  /**
   * The readiness probe: a server is Ready only as a master, or as a replica whose link to a real master
   * is up (its sync done). A fenced or resyncing server is not: a rolling update and an eviction (the
   * PodDisruptionBudget counts Ready pods) wait for it before they take down the next server.
   */
  public static final String READY_SCRIPT = String.join("\n",
      "#!/bin/sh",
      "# Written by mlops-operator: Ready = a master, or a replica linked to its master.",
      "etc=${MLOPS_REDIS_ETC:-/etc}",
      "if [ -f \"$etc/redis-operator/password\" ]; then",
      "  REDISCLI_AUTH=$(cat \"$etc/redis-operator/password\")",
      "  export REDISCLI_AUTH",
      "  info=$(${MLOPS_REDIS_CLI:-redis-cli} --no-auth-warning --user " + OPERATOR_USER + " -p "
          + RedisConnector.PORT + " info replication) || exit 1",
      "else",
      "  info=$(${MLOPS_REDIS_CLI:-redis-cli} -p " + RedisConnector.PORT + " info replication) || exit 1",
      "fi",
      "case \"$info\" in *role:master*) exit 0 ;; esac",
      "case \"$info\" in *master_host:" + RedisTopology.FENCE.host() + "*) exit 1 ;; esac",
      "case \"$info\" in *master_link_status:up*) exit 0 ;; esac",
      "exit 1",
      "");

  public static String operatorSecretName(String name) {
    return name + "-operator";
  }

  /** The operator's own credential: generated once, never overwritten; kept or deleted like the auth Secret. */
  public static Secret operatorSecret(RedisInstance ri, String password) {
    ObjectMeta meta = meta(ri, operatorSecretName(ri.getMetadata().getName()));
    meta.setOwnerReferences(secretOwners(ri));
    return new SecretBuilder().withMetadata(meta).withType("Opaque").withStringData(Map.of(PASSWORD_KEY, password))
        .build();
  }

  public static ConfigMap configMap(RedisInstance ri) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("redis.conf", redisConf(ri));
    data.put("start.sh", START_SCRIPT);
    data.put("ready.sh", READY_SCRIPT);
    return stamp(new ConfigMapBuilder().withMetadata(meta(ri, configMapName(ri.getMetadata().getName())))
        .withData(data).build(), data);
  }

  /** The generated Secret, with a fresh random password: built only when it is to be created, never to overwrite. */
  public static Secret generatedSecret(RedisInstance ri, String password) {
    ObjectMeta meta = meta(ri, generatedSecretName(ri.getMetadata().getName()));
    meta.setOwnerReferences(secretOwners(ri));
    return new SecretBuilder().withMetadata(meta).withType("Opaque").withStringData(Map.of(PASSWORD_KEY, password))
        .build();
  }

  /** With deletionPolicy Delete the generated Secret is owned by the instance (collected with it); with Retain by nothing. */
  public static List<OwnerReference> secretOwners(RedisInstance ri) {
    return deletes(ri.getSpec()) ? List.of(ownerReference(ri)) : List.of();
  }

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** 40 characters of [A-Za-z0-9] from SecureRandom: about 238 bits. */
  public static String newPassword() {
    StringBuilder b = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return b.toString();
  }

  public static StatefulSet statefulSet(RedisInstance ri) {
    return statefulSet(ri, null);
  }

  /**
   * @param operatorSecretUid the uid of the operator's Secret, in the pod template: should that Secret be
   *                          re-created (a new password), the servers roll to read it; null before it exists
   */
  public static StatefulSet statefulSet(RedisInstance ri, String operatorSecretUid) {
    RedisInstanceSpec spec = ri.getSpec();
    String name = ri.getMetadata().getName();
    String secret = secretName(ri);
    var redis = new ContainerBuilder().withName("redis")
        .withImage(spec.getImage() == null ? DEFAULT_IMAGE : spec.getImage())
        .withCommand("sh", "/etc/redis/start.sh")
        .addNewPort().withName("redis").withContainerPort(RedisConnector.PORT).endPort()
        .withResources(spec.getResources())
        .addNewVolumeMount().withName("config").withMountPath("/etc/redis").withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName("run").withMountPath("/run/redis").endVolumeMount()
        .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
        .withNewReadinessProbe().withNewExec().withCommand("sh", "/etc/redis/ready.sh").endExec()
        .withPeriodSeconds(5).withTimeoutSeconds(3).endReadinessProbe()
        .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(RedisConnector.PORT)).endTcpSocket()
        .withInitialDelaySeconds(30).withPeriodSeconds(10).withFailureThreshold(6).endLivenessProbe();
    if (secret != null) {
      redis.addNewVolumeMount().withName("auth").withMountPath("/etc/redis-auth").withReadOnly(true).endVolumeMount();
      redis.addNewVolumeMount().withName("operator").withMountPath("/etc/redis-operator").withReadOnly(true)
          .endVolumeMount();
    }
    List<io.fabric8.kubernetes.api.model.Container> containers = new ArrayList<>();
    containers.add(redis.build());
    boolean exporter = spec.getExporter() != null && Boolean.TRUE.equals(spec.getExporter().getEnabled());
    if (exporter) {
      var sidecar = new ContainerBuilder().withName("exporter")
          .withImage(spec.getExporter().getImage() == null ? DEFAULT_EXPORTER_IMAGE : spec.getExporter().getImage())
          .addNewPort().withName("metrics").withContainerPort(EXPORTER_PORT).endPort()
          .addNewEnv().withName("REDIS_ADDR").withValue("redis://localhost:" + RedisConnector.PORT).endEnv()
          .withNewResources().addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("32Mi"))
          .addToLimits("memory", new Quantity("128Mi")).endResources();
      if (secret != null) {
        sidecar.addNewEnv().withName("REDIS_PASSWORD").withNewValueFrom().withNewSecretKeyRef(PASSWORD_KEY, secret, false)
            .endValueFrom().endEnv();
      }
      containers.add(sidecar.build());
    }
    List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("config").withNewConfigMap().withName(configMapName(name)).endConfigMap()
        .build());
    volumes.add(new VolumeBuilder().withName("run").withNewEmptyDir().withMedium("Memory").endEmptyDir().build());
    if (secret != null) {
      volumes.add(new VolumeBuilder().withName("auth").withNewSecret().withSecretName(secret)
          .addNewItem().withKey(PASSWORD_KEY).withPath(PASSWORD_KEY).endItem().endSecret().build());
      volumes.add(new VolumeBuilder().withName("operator").withNewSecret().withSecretName(operatorSecretName(name))
          .addNewItem().withKey(PASSWORD_KEY).withPath(PASSWORD_KEY).endItem().endSecret().build());
    }
    boolean persistent = !"none".equals(persistenceMode(spec));
    if (!persistent) {
      volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    }
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put(CONFIG_HASH, hash(redisConf(ri) + START_SCRIPT + READY_SCRIPT));
    if (operatorSecretUid != null && secret != null) {
      podAnnotations.put("mlops.dev/operator-secret", operatorSecretUid);
    }
    if (exporter) {
      podAnnotations.put("prometheus.io/scrape", "true");
      podAnnotations.put("prometheus.io/port", String.valueOf(EXPORTER_PORT));
    }
    var builder = new StatefulSetBuilder().withMetadata(meta(ri, name)).withNewSpec()
        .withReplicas(servers(spec)).withServiceName(headlessName(name)).withPodManagementPolicy("Parallel")
        .withNewSelector().withMatchLabels(selector(name)).endSelector()
        .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted(deletes(spec) ? "Delete" : "Retain")
        .withWhenScaled("Retain").endPersistentVolumeClaimRetentionPolicy()
        .withNewTemplate().withNewMetadata().withLabels(labels(name)).withAnnotations(podAnnotations).endMetadata()
        .withNewSpec().withEnableServiceLinks(false).withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext().withRunAsUser(999L).withRunAsGroup(999L).withFsGroup(999L).withRunAsNonRoot(true)
        .endSecurityContext()
        .withContainers(containers).withVolumes(volumes).endSpec().endTemplate();
    if (persistent) {
      var claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withLabels(labels(name))
          .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
          .addToRequests("storage", new Quantity(spec.getPersistence().getSize())).endResources();
      String storageClass = spec.getPersistence().getStorageClassName();
      if (storageClass != null && !storageClass.isEmpty()) {
        claim.withStorageClassName(storageClass);
      }
      builder.withVolumeClaimTemplates(claim.endSpec().build());
    }
    StatefulSet sts = builder.endSpec().build();
    return stamp(sts, sts.getSpec());
  }

  /** The Service {@code <name>}: the master, selected by its pod's role label. */
  public static Service masterService(RedisInstance ri) {
    return service(ri, ri.getMetadata().getName(), "master", false);
  }

  /** {@code <name>-replicas}: the replicas that follow the master with their link up. */
  public static Service replicasService(RedisInstance ri) {
    return service(ri, replicasServiceName(ri.getMetadata().getName()), "replica", false);
  }

  /** {@code <name>-headless}: the StatefulSet's pod DNS names, ready or not. */
  public static Service headlessService(RedisInstance ri) {
    return service(ri, headlessName(ri.getMetadata().getName()), null, true);
  }

  private static Service service(RedisInstance ri, String serviceName, String role, boolean headless) {
    Map<String, String> selector = selector(ri.getMetadata().getName());
    if (role != null) {
      selector.put(ROLE_LABEL, role);
    }
    var spec = new ServiceBuilder().withMetadata(meta(ri, serviceName)).withNewSpec().withSelector(selector)
        .addNewPort().withName("redis").withPort(RedisConnector.PORT).withTargetPort(new IntOrString("redis")).endPort();
    if (headless) {
      spec.withClusterIP("None").withPublishNotReadyAddresses(true);
    }
    Service service = spec.endSpec().build();
    return stamp(service, List.of(service.getSpec().getSelector(), service.getSpec().getPorts(), headless));
  }

  /** One server may be evicted at a time (a drain of a standalone instance's only server is not blocked). */
  public static PodDisruptionBudget disruptionBudget(RedisInstance ri) {
    PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder().withMetadata(meta(ri, ri.getMetadata().getName()))
        .withNewSpec().withMaxUnavailable(new IntOrString(1)).withNewSelector()
        .withMatchLabels(selector(ri.getMetadata().getName())).endSelector().endSpec().build();
    return stamp(pdb, pdb.getSpec());
  }

  /** The label the API server puts on every namespace, valued with its name (immutable, cannot be spoofed). */
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  /**
   * Ingress to the servers: port 6379 from the instance's own servers, the operator, and pods labelled
   * {@link #clientLabel} in the namespaces allowed to bind it; the exporter's port from anywhere.
   *
   * @param operatorNamespace the operator's own namespace: it is admitted from pods with its label in that namespace
   *                          only (kubernetes.io/metadata.name, which the API server sets on every namespace), never
   *                          from a pod anywhere that copies the label; null (an operator outside the cluster): not at all
   */
  public static NetworkPolicy networkPolicy(RedisInstance ri, String operatorNamespace) {
    String name = ri.getMetadata().getName();
    String namespace = ri.getMetadata().getNamespace();
    var allowed = ri.getSpec().getAccess() == null ? null : ri.getSpec().getAccess().getAllowedNamespaces();
    var clients = new NetworkPolicyPeerBuilder().withNewPodSelector()
        .addToMatchLabels(clientLabel(namespace, name), "true").endPodSelector();
    if (allowed != null) {
      clients.withNamespaceSelector(allowed);
    }
    var builder = new NetworkPolicyBuilder().withMetadata(meta(ri, name)).withNewSpec()
        .withNewPodSelector().withMatchLabels(selector(name)).endPodSelector().withPolicyTypes("Ingress", "Egress")
        // Egress only to the instance's own servers and DNS: the exporter's /scrape?target= cannot be used
        // to make it send the password to another host, and a server replicates only from its peers.
        .addNewEgress().addNewTo().withNewPodSelector().withMatchLabels(selector(name)).endPodSelector().endTo()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(RedisConnector.PORT)).endPort().endEgress()
        .addNewEgress().addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort().endEgress()
        .addNewIngress()
        .addNewFrom().withNewPodSelector().withMatchLabels(selector(name)).endPodSelector().endFrom()
        .addToFrom(clients.build())
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(RedisConnector.PORT)).endPort()
        .endIngress();
    if (operatorNamespace != null) {
      builder.editFirstIngress().addNewFrom().withNewNamespaceSelector()
          .addToMatchLabels(NAMESPACE_NAME_LABEL, operatorNamespace).endNamespaceSelector().withNewPodSelector()
          .addToMatchLabels(OPERATOR_POD_LABEL, Labels.OPERATOR).endPodSelector().endFrom().endIngress();
    }
    if (allowed != null) {
      // The own namespace always may, whatever its labels.
      builder.editFirstIngress().addNewFrom().withNewPodSelector()
          .addToMatchLabels(clientLabel(namespace, name), "true").endPodSelector().endFrom().endIngress();
    }
    if (ri.getSpec().getExporter() != null && Boolean.TRUE.equals(ri.getSpec().getExporter().getEnabled())) {
      builder.addNewIngress().addNewPort().withProtocol("TCP").withPort(new IntOrString(EXPORTER_PORT))
          .endPort().endIngress();
    }
    NetworkPolicy policy = builder.endSpec().build();
    return stamp(policy, policy.getSpec());
  }

  /**
   * {@code observed} (as the server has it) with what the operator owns of {@code desired}: a
   * StatefulSet's replicas, pod template and claim retention (its selector, service name and claim
   * templates cannot change); a Service's selector and ports (its cluster IP stays); a ConfigMap's
   * data; a PodDisruptionBudget's or NetworkPolicy's spec; and the desired-hash annotation.
   */
  public static HasMetadata applyDesired(HasMetadata observed, HasMetadata desired) {
    Map<String, String> annotations = observed.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
        : new LinkedHashMap<>(observed.getMetadata().getAnnotations());
    annotations.put(DESIRED_HASH, desiredHash(desired));
    observed.getMetadata().setAnnotations(annotations);
    if (observed instanceof StatefulSet sts && desired instanceof StatefulSet want) {
      sts.getSpec().setReplicas(want.getSpec().getReplicas());
      sts.getSpec().setTemplate(want.getSpec().getTemplate());
      sts.getSpec().setPersistentVolumeClaimRetentionPolicy(want.getSpec().getPersistentVolumeClaimRetentionPolicy());
    } else if (observed instanceof Service svc && desired instanceof Service want) {
      svc.getSpec().setSelector(want.getSpec().getSelector());
      svc.getSpec().setPorts(want.getSpec().getPorts());
    } else if (observed instanceof ConfigMap cm && desired instanceof ConfigMap want) {
      cm.setData(want.getData());
    } else if (observed instanceof PodDisruptionBudget pdb && desired instanceof PodDisruptionBudget want) {
      pdb.setSpec(want.getSpec());
    } else if (observed instanceof NetworkPolicy np && desired instanceof NetworkPolicy want) {
      np.setSpec(want.getSpec());
    } else {
      throw new IllegalArgumentException("no update for " + observed.getKind());
    }
    return observed;
  }

  private static <T extends HasMetadata> T stamp(T object, Object desired) {
    object.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of(DESIRED_HASH, hash(Serialization.asJson(desired)))));
    return object;
  }

  /** The desired-hash annotation of an observed child, or null. */
  public static String desiredHash(HasMetadata object) {
    var annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DESIRED_HASH);
  }

  /** The hex SHA-256 Redis's ACL keeps of a password ({@code ACL GETUSER} lists these). */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
