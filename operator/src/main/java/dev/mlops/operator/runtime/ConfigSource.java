package dev.mlops.operator.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Where fabric8's auto-configuration will take the cluster from, decided with fabric8's own lookups
 * ({@link Config#getKubeconfigFilenames()}, {@link Utils#getSystemPropertyOrEnvVar}) so that the answer
 * matches what the client does. It exists because fabric8 never says "nothing found": without a
 * kubeconfig and outside a pod it silently targets https://kubernetes.default.svc and the user only
 * learns that from a DNS error tens of seconds later.
 *
 * @param description for the log line: which file, the service account, or "none"
 * @param notFound    only for {@link Kind#NONE}: what was looked for and is missing
 */
public record ConfigSource(Kind kind, String description, String notFound) {

  public enum Kind {
    /** One or more kubeconfig files ($KUBECONFIG, the {@code kubeconfig} system property, or ~/.kube/config). */
    KUBECONFIG,
    /** The pod's service account: KUBERNETES_SERVICE_HOST is set. */
    IN_CLUSTER,
    /** Only a server URL from KUBERNETES_MASTER / the {@code kubernetes.master} system property. */
    MASTER_URL,
    /** None of the above: fabric8 would fall back to https://kubernetes.default.svc, which resolves only in a pod. */
    NONE
  }

  public static ConfigSource detect() {
    boolean tryKubeconfig = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, true);
    Collection<String> candidates = tryKubeconfig ? Config.getKubeconfigFilenames() : List.of();
    // The same filter fabric8 applies before merging: a listed file that does not exist is skipped.
    List<String> files = candidates.stream().filter(f -> Files.isRegularFile(Path.of(f))).toList();
    if (!files.isEmpty()) {
      boolean fromVariable = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_KUBECONFIG_FILE) != null;
      return new ConfigSource(Kind.KUBECONFIG, "kubeconfig " + String.join(File.pathSeparator, files)
          + (fromVariable ? " (from KUBECONFIG)" : ""), null);
    }
    String serviceHost = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_SERVICE_HOST_PROPERTY);
    if (serviceHost != null && !serviceHost.isBlank()) {
      return new ConfigSource(Kind.IN_CLUSTER, "in-cluster service account (KUBERNETES_SERVICE_HOST=" + serviceHost + ")",
          null);
    }
    String master = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    if (master != null && !master.isBlank()) {
      return new ConfigSource(Kind.MASTER_URL, "KUBERNETES_MASTER=" + master + " (no kubeconfig)", null);
    }
    String looked = candidates.isEmpty() ? "kubeconfig lookup is off (kubernetes.auth.tryKubeConfig=false)"
        : "no kubeconfig file at " + String.join(File.pathSeparator, candidates);
    return new ConfigSource(Kind.NONE, "none", looked + " and KUBERNETES_SERVICE_HOST is not set (not in a pod)");
  }

  public boolean found() {
    return kind != Kind.NONE;
  }
}
