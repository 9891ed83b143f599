package dev.mlops.operator.api.v1alpha1;

import java.util.List;

/**
 * The validation rules of the RedisInstance API: CEL expressions for the CRD and the messages the
 * reconciler's validator starts its lines with, so {@code kubectl apply} and {@code Valid=False} say
 * the same sentence.
 */
public final class RedisRules {

  private RedisRules() {}

  /** 52: a StatefulSet's pods carry {@code controller-revision-hash: <name>-<10 characters>}, at most 63. */
  public static final int MAX_NAME = 52;
  public static final String NAME_RULE = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')"
      + " && size(self.metadata.name) <= " + MAX_NAME;
  public static final String NAME = "metadata.name must be a DNS-1035 label of at most " + MAX_NAME + " characters: it"
      + " names the StatefulSet (whose pods' revision label adds 11) and the Services";

  public static final String MODE_RULE = "self in ['standalone', 'replication']";
  public static final String MODE = "spec.mode must be standalone or replication";
  public static final String IMMUTABLE_MODE_RULE =
      "(has(self.spec.mode) ? self.spec.mode : 'standalone') == (has(oldSelf.spec.mode) ? oldSelf.spec.mode : 'standalone')";
  public static final String IMMUTABLE_MODE = "spec.mode is immutable: create a new RedisInstance to change it";

  public static final String REPLICAS_STANDALONE_RULE =
      "!has(self.replicas) || self.replicas == 0 || (has(self.mode) && self.mode == 'replication')";
  public static final String REPLICAS_STANDALONE = "spec.replicas needs spec.mode: replication (a standalone instance is"
      + " one server)";
  public static final String REPLICAS_REPLICATION_RULE =
      "!has(self.mode) || self.mode != 'replication' || !has(self.replicas) || self.replicas >= 1";
  public static final String REPLICAS_REPLICATION = "spec.replicas must be at least 1 in replication mode";
  public static final int MAX_REPLICAS = 8;
  public static final int DEFAULT_REPLICAS = 2;

  public static final String MEMORY_LIMIT_RULE = "has(self.resources) && has(self.resources.limits)"
      + " && 'memory' in self.resources.limits";
  public static final String MEMORY_LIMIT = "spec.resources.limits.memory is required: maxmemory is derived from it, and"
      + " a Redis without a memory limit can take a node's memory";
  public static final String MAX_MEMORY_ONE_RULE = "!(has(self.maxMemoryRatio) && has(self.maxMemory))";
  public static final String MAX_MEMORY_ONE = "spec.maxMemoryRatio and spec.maxMemory are exclusive: give one";
  public static final String MAX_MEMORY_RATIO_RULE = "self > 0.0 && self <= 1.0";
  public static final String MAX_MEMORY_RATIO = "spec.maxMemoryRatio must be greater than 0 and at most 1";
  public static final double DEFAULT_MAX_MEMORY_RATIO = 0.75;

  public static final List<String> EVICTION_POLICIES = List.of("noeviction", "allkeys-lru", "allkeys-lfu",
      "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");
  // The rule and the message are literals (annotation values); a test checks they list EVICTION_POLICIES.
  public static final String EVICTION_RULE = "self in ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random',"
      + " 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']";
  public static final String EVICTION = "spec.evictionPolicy must be one of noeviction, allkeys-lru, allkeys-lfu,"
      + " allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl";

  public static final String PERSISTENCE_MODE_RULE = "self in ['none', 'rdb', 'aof']";
  public static final String PERSISTENCE_MODE = "spec.persistence.mode must be none, rdb or aof";
  public static final String PERSISTENCE_SIZE_RULE = "self.mode == 'none' || has(self.size)";
  public static final String PERSISTENCE_SIZE = "spec.persistence.size is required with mode rdb or aof: it sizes each"
      + " server's PersistentVolumeClaim";
  private static final String STORAGE_OLD = "(has(oldSelf.spec.persistence) && oldSelf.spec.persistence.mode != 'none'"
      + " ? oldSelf.spec.persistence.size + '/' + (has(oldSelf.spec.persistence.storageClassName)"
      + " ? oldSelf.spec.persistence.storageClassName : '') : '')";
  private static final String STORAGE_NEW = "(has(self.spec.persistence) && self.spec.persistence.mode != 'none'"
      + " ? self.spec.persistence.size + '/' + (has(self.spec.persistence.storageClassName)"
      + " ? self.spec.persistence.storageClassName : '') : '')";
  public static final String IMMUTABLE_STORAGE_RULE = STORAGE_NEW + " == " + STORAGE_OLD;
  public static final String IMMUTABLE_STORAGE = "spec.persistence.size, spec.persistence.storageClassName and whether"
      + " the mode is none are immutable: a StatefulSet's volume claims cannot change (rdb and aof may be swapped)";

  public static final String DELETION_POLICY_RULE = "self in ['Retain', 'Delete']";
  public static final String DELETION_POLICY = "spec.deletionPolicy must be Retain or Delete";

  /** A Secret name, or empty (the generated one). */
  public static final String SECRET_NAME_PATTERN = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$";

  /** redis.conf settings a user may add; the operator owns the rest (memory, persistence, replication, auth, network). */
  public static final List<String> CONFIG_ALLOWED = List.of("timeout", "tcp-keepalive", "hz", "maxclients",
      "maxmemory-samples", "lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del",
      "lazyfree-lazy-user-del", "activedefrag", "slowlog-log-slower-than", "slowlog-max-len",
      "latency-monitor-threshold", "notify-keyspace-events", "appendfsync", "save", "repl-backlog-size", "repl-timeout",
      "min-replicas-to-write", "min-replicas-max-lag", "io-threads", "databases");
  /** redis.conf settings the operator owns that have a field of their own: where to set them instead. */
  public static final java.util.Map<String, String> CONFIG_FIELDS = new java.util.LinkedHashMap<>();

  static {
    CONFIG_FIELDS.put("maxmemory", "spec.maxMemory or spec.maxMemoryRatio");
    CONFIG_FIELDS.put("maxmemory-policy", "spec.evictionPolicy");
    CONFIG_FIELDS.put("appendonly", "spec.persistence.mode");
    CONFIG_FIELDS.put("requirepass", "spec.auth");
    CONFIG_FIELDS.put("masterauth", "spec.auth");
    CONFIG_FIELDS.put("replicaof", "spec.mode and spec.replicas");
    CONFIG_FIELDS.put("slaveof", "spec.mode and spec.replicas");
  }

  /**
   * Keys spec.config takes, or that have a field of their own (refused by CONFIG_OWNED_RULE with a line that names
   * it): the API server cannot name an unknown key itself (a messageExpression over the map's keys, whose length
   * is unbounded, exceeds its cost budget 100 times), so this line is short, and the operator and render add
   * "did you mean" to it.
   */
  public static final String CONFIG_KEYS_RULE = "self.all(k, k in ["
      + "'timeout', 'tcp-keepalive', 'hz', 'maxclients', 'maxmemory-samples', "
      + "'lazyfree-lazy-eviction', 'lazyfree-lazy-expire', 'lazyfree-lazy-server-del', "
      + "'lazyfree-lazy-user-del', 'activedefrag', 'slowlog-log-slower-than', 'slowlog-max-len', "
      + "'latency-monitor-threshold', 'notify-keyspace-events', 'appendfsync', 'save', "
      + "'repl-backlog-size', 'repl-timeout', 'min-replicas-to-write', 'min-replicas-max-lag', "
      + "'io-threads', 'databases', "
      + "'maxmemory', 'maxmemory-policy', 'appendonly', 'requirepass', 'masterauth', 'replicaof', 'slaveof'])";
  public static final String CONFIG_KEYS = "spec.config may set only the redis.conf keys docs/redis.md lists (timeout,"
      + " maxclients, save, appendfsync, ...); the operator owns memory, persistence, replication and auth";
  public static final String CONFIG_OWNED_RULE = "!self.exists(k, k in ["
      + "'maxmemory', 'maxmemory-policy', 'appendonly', 'requirepass', 'masterauth', 'replicaof', 'slaveof'])";
  /** Constant strings only, so its cost is that of a few map look-ups. */
  public static final String CONFIG_OWNED_MESSAGE_EXPRESSION = ""
      + "'maxmemory' in self ? 'spec.config may not set maxmemory: set it with spec.maxMemory or spec.maxMemoryRatio' : "
      + "'maxmemory-policy' in self ? 'spec.config may not set maxmemory-policy: set it with spec.evictionPolicy' : "
      + "'appendonly' in self ? 'spec.config may not set appendonly: set it with spec.persistence.mode' : "
      + "'requirepass' in self ? 'spec.config may not set requirepass: set it with spec.auth' : "
      + "'masterauth' in self ? 'spec.config may not set masterauth: set it with spec.auth' : "
      + "'replicaof' in self ? 'spec.config may not set replicaof: set it with spec.mode and spec.replicas' : "
      + "'slaveof' in self ? 'spec.config may not set slaveof: set it with spec.mode and spec.replicas' : "
      + "'spec.config may not set a setting the operator owns'";
  public static final String CONFIG_OWNED = "spec.config may not set memory, persistence, replication or"
      + " auth settings: use spec.maxMemory, spec.evictionPolicy, spec.persistence, spec.mode and spec.auth";
  // No CEL rule for the values: over a map of unbounded strings its estimated cost exceeds the API
  // server's budget (the real kube-apiserver refuses the CRD); the reconciler checks each value.
  public static final String CONFIG_VALUES = "spec.config values must be one line";

  public static final String DURATION_PATTERN = "^([0-9]+(ms|s|m|h))+$";
  public static final String DEFAULT_FAILOVER_TIMEOUT = "30s";
}
