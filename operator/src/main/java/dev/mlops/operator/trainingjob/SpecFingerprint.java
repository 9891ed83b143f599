package dev.mlops.operator.trainingjob;

import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Short hashes of the spec fields that are locked once a job started, stored on the Job. The CRD's
 * CEL transition rules lock them on a real API server; the fingerprint lets the reconciler notice a
 * change that got past admission (an old CRD, a test server) and name the field.
 */
public final class SpecFingerprint {

  public static final String ANNOTATION = "mlops.dev/spec-fingerprint";

  private static final Map<String, Function<TrainingJobSpec, Object>> LOCKED = new LinkedHashMap<>();

  static {
    LOCKED.put("image", TrainingJobSpec::getImage);
    LOCKED.put("command", TrainingJobSpec::getCommand);
    LOCKED.put("args", TrainingJobSpec::getArgs);
    LOCKED.put("workingDir", TrainingJobSpec::getWorkingDir);
    LOCKED.put("nodes", TrainingJobSpec::getNodes);
    LOCKED.put("gpusPerNode", TrainingJobSpec::getGpusPerNode);
    LOCKED.put("gpu", TrainingJobSpec::getGpu);
    LOCKED.put("resources", TrainingJobSpec::getResources);
    LOCKED.put("shmSize", TrainingJobSpec::getShmSize);
    LOCKED.put("nccl", TrainingJobSpec::getNccl);
    LOCKED.put("network", TrainingJobSpec::getNetwork);
    LOCKED.put("volumes", TrainingJobSpec::getVolumes);
    LOCKED.put("checkpoint", TrainingJobSpec::getCheckpoint);
    LOCKED.put("redis", TrainingJobSpec::getRedis);
  }

  private SpecFingerprint() {}

  /** {@code field=hash,field=hash,...} in a fixed order. */
  public static String of(TrainingJobSpec spec) {
    List<String> parts = new ArrayList<>();
    LOCKED.forEach((field, getter) -> parts.add(field + "=" + hash(getter.apply(spec))));
    return String.join(",", parts);
  }

  private static final Map<String, List<String>> CHANGED = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * As {@link #changedFields(Job, TrainingJobSpec)}, remembered per job, spec generation and Job
   * fingerprint: the answer cannot change without one of them changing, and working it out hashes the
   * canonical JSON of every locked field, on every reconcile of a running job.
   */
  public static List<String> changedFields(Job job, dev.mlops.operator.api.v1alpha1.TrainingJob tj) {
    String uid = tj.getMetadata().getUid();
    Long generation = tj.getMetadata().getGeneration();
    String recorded = job.getMetadata().getAnnotations() == null ? null
        : job.getMetadata().getAnnotations().get(ANNOTATION);
    if (uid == null || generation == null || recorded == null) {
      return changedFields(job, tj.getSpec());
    }
    if (CHANGED.size() > 4096) {
      CHANGED.clear();
    }
    return CHANGED.computeIfAbsent(uid + "/" + generation + "/" + recorded,
        k -> List.copyOf(changedFields(job, tj.getSpec())));
  }

  /** Locked fields whose value differs from the one the Job was built from. */
  public static List<String> changedFields(Job job, TrainingJobSpec spec) {
    String recorded = job.getMetadata().getAnnotations() == null ? null
        : job.getMetadata().getAnnotations().get(ANNOTATION);
    List<String> changed = new ArrayList<>();
    if (recorded == null) {
      return changed;
    }
    Map<String, String> old = new LinkedHashMap<>();
    for (String part : recorded.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length == 2) {
        old.put(kv[0], kv[1]);
      }
    }
    LOCKED.forEach((field, getter) -> {
      String before = old.get(field);
      if (before != null && !before.equals(hash(getter.apply(spec)))) {
        changed.add(field);
      }
    });
    return changed;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = new com.fasterxml.jackson.databind.ObjectMapper()
      .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

  /** Hash of canonical JSON (sorted keys): the same value written in another order is not a change. */
  private static String hash(Object value) {
    String json;
    try {
      // Through a tree first, so maps nested in fabric8 model objects are sorted too.
      json = value == null ? "null" : CANONICAL.writeValueAsString(
          CANONICAL.readValue(Serialization.asJson(value), Object.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        hex.append(String.format("%02x", digest[i]));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
