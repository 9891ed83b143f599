package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceSpec;
import dev.mlops.operator.api.v1alpha1.RedisRules;
import dev.mlops.operator.common.KubernetesSyntax;
import dev.mlops.operator.common.LabelSelectors;
import dev.mlops.operator.common.Quantities;
import dev.mlops.operator.manifest.StructuralSchema;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a RedisInstance's spec must be, each problem one line naming the field and the value: what the
 * controller reports as {@code Valid=False} (no server is started on it) and {@code render} as exit 2.
 * The CRD's schema and CEL rules refuse most of it on the API server with the same sentences; the
 * rest (maxMemory above the limit, a config value redis-server would not start with) only here, so a
 * bad value is a condition and never a crash-looping server.
 */
public final class RedisValidator {

  private RedisValidator() {}

  public static final Duration DEFAULT_ROTATION_GRACE = Duration.ofMinutes(10);

  private static final Set<String> INTEGER_CONFIG = Set.of("timeout", "tcp-keepalive", "hz", "maxclients",
      "maxmemory-samples", "slowlog-max-len", "latency-monitor-threshold", "repl-timeout", "min-replicas-to-write",
      "min-replicas-max-lag", "io-threads", "databases");
  private static final Set<String> YES_NO_CONFIG = Set.of("lazyfree-lazy-eviction", "lazyfree-lazy-expire",
      "lazyfree-lazy-server-del", "lazyfree-lazy-user-del", "activedefrag");

  public static List<String> validate(RedisInstance ri) {
    List<String> errors = new ArrayList<>();
    String name = ri.getMetadata() == null ? null : ri.getMetadata().getName();
    if (name != null && (!name.matches("[a-z]([-a-z0-9]*[a-z0-9])?") || name.length() > RedisRules.MAX_NAME)) {
      errors.add(RedisRules.NAME + ", got " + KubernetesSyntax.quote(name));
    }
    RedisInstanceSpec spec = ri.getSpec();
    if (spec == null) {
      errors.add("spec is required");
      return errors;
    }
    if (spec.getMode() != null && !Set.of("standalone", "replication").contains(spec.getMode())) {
      errors.add(RedisRules.MODE + ", got " + KubernetesSyntax.quote(spec.getMode()));
    }
    boolean replication = "replication".equals(spec.getMode());
    if (spec.getReplicas() != null) {
      if (!replication && spec.getReplicas() != 0) {
        errors.add(RedisRules.REPLICAS_STANDALONE + ", got spec.replicas: " + spec.getReplicas());
      } else if (replication && spec.getReplicas() < 1) {
        errors.add(RedisRules.REPLICAS_REPLICATION + ", got " + spec.getReplicas());
      } else if (spec.getReplicas() > RedisRules.MAX_REPLICAS) {
        errors.add("spec.replicas must be at most " + RedisRules.MAX_REPLICAS + ", got " + spec.getReplicas());
      }
    }
    Quantity limit = spec.getResources() == null || spec.getResources().getLimits() == null ? null
        : spec.getResources().getLimits().get("memory");
    Optional<BigDecimal> limitBytes = limit == null ? Optional.empty() : Quantities.amount(limit);
    if (limit == null) {
      errors.add(RedisRules.MEMORY_LIMIT);
    } else if (limitBytes.isEmpty() || limitBytes.get().signum() <= 0) {
      errors.add("spec.resources.limits.memory must be a positive quantity such as 8Gi, got "
          + KubernetesSyntax.quote(limit.toString()));
    }
    if (spec.getMaxMemoryRatio() != null && spec.getMaxMemory() != null) {
      errors.add(RedisRules.MAX_MEMORY_ONE);
    }
    if (spec.getMaxMemoryRatio() != null && !(spec.getMaxMemoryRatio() > 0 && spec.getMaxMemoryRatio() <= 1)) {
      errors.add(RedisRules.MAX_MEMORY_RATIO + ", got " + spec.getMaxMemoryRatio());
    }
    if (spec.getMaxMemory() != null) {
      Optional<BigDecimal> max = Quantities.amount(spec.getMaxMemory());
      if (max.isEmpty() || max.get().signum() <= 0) {
        errors.add("spec.maxMemory must be a positive quantity such as 6Gi, got " + KubernetesSyntax.quote(spec.getMaxMemory()));
      } else if (limitBytes.isPresent() && max.get().compareTo(limitBytes.get()) > 0) {
        errors.add("spec.maxMemory must be at most spec.resources.limits.memory (" + limit + "), got "
            + spec.getMaxMemory() + ": the server would be OOM-killed before it evicts");
      }
    }
    if (spec.getEvictionPolicy() != null && !RedisRules.EVICTION_POLICIES.contains(spec.getEvictionPolicy())) {
      errors.add(RedisRules.EVICTION + ", got " + KubernetesSyntax.quote(spec.getEvictionPolicy()));
    }
    if (spec.getPersistence() != null) {
      String mode = spec.getPersistence().getMode();
      if (mode == null || !Set.of("none", "rdb", "aof").contains(mode)) {
        errors.add(RedisRules.PERSISTENCE_MODE + ", got " + (mode == null ? "nothing" : KubernetesSyntax.quote(mode)));
      } else if (!"none".equals(mode)) {
        String size = spec.getPersistence().getSize();
        if (size == null) {
          errors.add(RedisRules.PERSISTENCE_SIZE);
        } else if (Quantities.amount(size).map(a -> a.signum() <= 0).orElse(true)) {
          errors.add("spec.persistence.size must be a positive quantity such as 20Gi, got " + KubernetesSyntax.quote(size));
        }
      }
    }
    if (spec.getAuth() != null && spec.getAuth().getExistingSecret() != null && !spec.getAuth().getExistingSecret().isEmpty()) {
      KubernetesSyntax.dns1123Subdomain(spec.getAuth().getExistingSecret()).ifPresent(problem ->
          errors.add("spec.auth.existingSecret must be a Secret name: " + problem + ", got "
              + KubernetesSyntax.quote(spec.getAuth().getExistingSecret())));
      if (Boolean.FALSE.equals(spec.getAuth().getEnabled())) {
        errors.add("spec.auth.existingSecret needs spec.auth.enabled: true, got enabled: false");
      }
    }
    if (spec.getAuth() != null && spec.getAuth().getRotationGracePeriod() != null
        && duration(spec.getAuth().getRotationGracePeriod()).isEmpty()) {
      errors.add("spec.auth.rotationGracePeriod must be a duration such as 10m, got "
          + KubernetesSyntax.quote(spec.getAuth().getRotationGracePeriod()));
    }
    if (spec.getConfig() != null) {
      for (Map.Entry<String, String> e : new TreeMap<>(spec.getConfig()).entrySet()) {
        configProblem(e.getKey(), e.getValue()).ifPresent(errors::add);
      }
    }
    if (spec.getAccess() != null && spec.getAccess().getAllowedNamespaces() != null) {
      LabelSelectors.problem(spec.getAccess().getAllowedNamespaces(), "spec.access.allowedNamespaces")
          .ifPresent(errors::add);
    }
    if (spec.getDeletionPolicy() != null && !Set.of("Retain", "Delete").contains(spec.getDeletionPolicy())) {
      errors.add(RedisRules.DELETION_POLICY + ", got " + KubernetesSyntax.quote(spec.getDeletionPolicy()));
    }
    if (spec.getFailoverTimeout() != null) {
      Optional<Duration> timeout = duration(spec.getFailoverTimeout());
      if (timeout.isEmpty() || timeout.get().compareTo(Duration.ofSeconds(1)) < 0) {
        errors.add("spec.failoverTimeout must be a duration of at least 1s such as 30s, got "
            + KubernetesSyntax.quote(spec.getFailoverTimeout()));
      }
    }
    return errors;
  }

  static Optional<String> configProblem(String key, String value) {
    String field = "spec.config." + key;
    if (!RedisRules.CONFIG_ALLOWED.contains(key)) {
      return Optional.of(unknownConfigKey(key));
    }
    if (value == null || value.contains("\n") || value.contains("\r")) {
      return Optional.of(RedisRules.CONFIG_VALUES + ": " + field + " is not");
    }
    boolean ok;
    String expected;
    if (INTEGER_CONFIG.contains(key)) {
      ok = value.matches("[0-9]{1,10}");
      expected = "a whole number";
    } else if ("slowlog-log-slower-than".equals(key)) {
      ok = value.matches("-1|[0-9]{1,12}");
      expected = "microseconds, or -1";
    } else if (YES_NO_CONFIG.contains(key)) {
      ok = value.equals("yes") || value.equals("no");
      expected = "yes or no";
    } else if ("appendfsync".equals(key)) {
      ok = Set.of("always", "everysec", "no").contains(value);
      expected = "always, everysec or no";
    } else if ("save".equals(key)) {
      ok = value.isEmpty() || value.matches("[0-9]+ [0-9]+( [0-9]+ [0-9]+)*");
      expected = "\"\" or pairs of seconds and changes such as \"3600 1 300 100\"";
    } else if ("repl-backlog-size".equals(key)) {
      ok = value.matches("(?i)[0-9]{1,15}(b|k|kb|m|mb|g|gb)?");
      expected = "a size such as 64mb";
    } else {
      ok = value.matches("[KEg$lshzxetmdnA]*");
      expected = "letters of KEg$lshzxetmdnA";
    }
    return ok ? Optional.empty() : Optional.of(field + " must be " + expected + ", got " + KubernetesSyntax.quote(value)
        + ": redis-server would refuse to start");
  }

  /** "30s", "1m30s", "500ms", "2h". */
  public static Optional<Duration> duration(String text) {
    if (text == null || !text.matches(RedisRules.DURATION_PATTERN)) {
      return Optional.empty();
    }
    var m = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(text);
    Duration total = Duration.ZERO;
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(total);
  }

  public static Duration failoverTimeout(RedisInstanceSpec spec) {
    return duration(spec.getFailoverTimeout() == null ? RedisRules.DEFAULT_FAILOVER_TIMEOUT : spec.getFailoverTimeout())
        .orElse(Duration.ofSeconds(30));
  }

  /** A password the start script can write into redis.conf: no whitespace, quotes, backslashes or control characters. */
  public static Optional<String> passwordProblem(String secret, String password) {
    if (password == null || password.isEmpty()) {
      return Optional.of("Secret " + secret + " has no key 'password'");
    }
    if (!password.matches("[\\x21-\\x7e&&[^\"'\\\\]]{8,512}")) {
      return Optional.of("the key 'password' of Secret " + secret + " must be 8 to 512 printable characters without"
          + " spaces, quotes or backslashes (its value is not shown)");
    }
    return Optional.empty();
  }

  /**
   * The API server's line for a key spec.config does not take, then the closest key, allowed or owned, when one is
   * a small typo away: "... got "maxmemory-polcy". Did you mean maxmemory-policy? It is set with spec.evictionPolicy."
   */
  static String unknownConfigKey(String key) {
    String owned = RedisRules.CONFIG_FIELDS.get(key);
    if (owned != null) {
      return "spec.config may not set " + key + ": set it with " + owned;
    }
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    Optional<String> close = java.util.stream.Stream.concat(RedisRules.CONFIG_ALLOWED.stream(),
            RedisRules.CONFIG_FIELDS.keySet().stream())
        .filter(k -> StructuralSchema.distance(lower, k) <= Math.max(1, Math.min(3, key.length() / 4)))
        .min(java.util.Comparator.comparingInt((String k) -> StructuralSchema.distance(lower, k)).thenComparing(k -> k));
    return RedisRules.CONFIG_KEYS + ", got " + KubernetesSyntax.quote(key) + close.map(k -> ". Did you mean " + k + "?"
        + (RedisRules.CONFIG_FIELDS.containsKey(k) ? " It is set with " + RedisRules.CONFIG_FIELDS.get(k) + "." : ""))
        .orElse("");
  }


}
