package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasBenchmark;
import dev.mlops.operator.api.v1alpha1.NasVolume;
import dev.mlops.operator.common.Labels;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark of a NasVolume: a one-shot Job that mounts the volume, writes a test file of
 * {@code sizeMiB} with direct I/O ({@code dd oflag=direct}, so the page cache does not flatter the
 * NAS), reads it back the same way, removes it, and reports both throughputs as its container's
 * termination message ({@code {"writeMiBps":…,"readMiBps":…}}): the operator reads the pod's status,
 * never its logs.
 */
public final class NasBenchmarkJob {

  private NasBenchmarkJob() {}

  public static final String CONTAINER = "benchmark";
  public static final String RUN_LABEL = "mlops.dev/benchmark-run";
  public static final String MOUNT_PATH = "/nas";
  /** Any image with a POSIX shell, GNU dd (oflag=direct) and awk; {@code MLOPS_BENCHMARK_IMAGE} overrides it. */
  public static final String DEFAULT_IMAGE = "debian:12-slim";
  /** A run that has not finished in an hour (an image that cannot be pulled, a hung mount) fails, saying so. */
  public static final long DEADLINE_SECONDS = 3600;

  private static final Pattern RESULT = Pattern.compile(
      "\\{\\s*\"writeMiBps\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?)\\s*,\\s*\"readMiBps\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?)\\s*}");

  /**
   * Writes, then reads, with direct I/O; {@code date +%s%N} brackets each dd; the file is removed on
   * any exit (trap). A failed dd exits non-zero with dd's own words as the termination message.
   */
  static final String SCRIPT = String.join("\n",
      "set -u",
      "f=\"" + MOUNT_PATH + "/.mlops-benchmark-$RUN_HASH\"",
      "pid=\"\"",
      // The file goes on any exit: normal, a failed dd, and SIGTERM (a deadline, a deleted pod). The kubelet
      // signals PID 1 only, so dd runs in the background and the trap stops it before removing its file.
      "cleanup() { if [ -n \"$pid\" ]; then kill \"$pid\" 2>/dev/null; wait \"$pid\" 2>/dev/null; fi; rm -f \"$f\"; }",
      "trap cleanup EXIT",
      "trap 'cleanup; trap - EXIT; exit 143' TERM INT HUP",
      // A run killed hard (SIGKILL, a lost node) cannot clean up: the next run removes such leftovers, and
      // only files of this exact pattern, at the volume's top level.
      "rm -f " + MOUNT_PATH + "/.mlops-benchmark-*",
      "fail() { printf '%s: %s' \"$1\" \"$(cat /tmp/dd.err 2>/dev/null)\" | tail -c 1000 > /dev/termination-log; exit 1; }",
      "run() { \"$@\" 2>/tmp/dd.err & pid=$!; wait \"$pid\"; rc=$?; pid=\"\"; return $rc; }",
      "t0=$(date +%s%N)",
      "run dd if=/dev/zero of=\"$f\" bs=1M count=\"$SIZE_MIB\" oflag=direct conv=fsync || fail write",
      "t1=$(date +%s%N)",
      "run dd if=\"$f\" of=/dev/null bs=1M iflag=direct || fail read",
      "t2=$(date +%s%N)",
      "rm -f \"$f\"",
      "awk -v s=\"$SIZE_MIB\" -v a=\"$t0\" -v b=\"$t1\" -v c=\"$t2\" 'BEGIN {"
          + " printf \"{\\\"writeMiBps\\\":%.1f,\\\"readMiBps\\\":%.1f}\", s / ((b - a) / 1e9), s / ((c - b) / 1e9) }'"
          + " > /dev/termination-log");

  /** A short hash of the run id: the Job's name and label, and the test file's name. */
  public static String runHash(String runId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code <volume>-bench-<hash>}, at most 63 characters (the Job controller labels pods with it). */
  public static String jobName(String volume, String runId) {
    String base = volume.length() > 46 ? volume.substring(0, 46).replaceAll("-+$", "") : volume;
    return base + "-bench-" + runHash(runId);
  }

  public static String image() {
    String image = System.getenv("MLOPS_BENCHMARK_IMAGE");
    return image == null || image.isBlank() ? DEFAULT_IMAGE : image;
  }

  public static Job desired(NasVolume nv, String image) {
    NasBenchmark bench = nv.getSpec().getBenchmark();
    String runId = bench.runIdOrDefault();
    Map<String, String> labels = Labels.forChild("nasvolume", nv.getMetadata().getName());
    labels.put(RUN_LABEL, runHash(runId));
    return new JobBuilder()
        .withNewMetadata().withName(jobName(nv.getMetadata().getName(), runId))
        .withNamespace(nv.getMetadata().getNamespace()).withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(nv.getApiVersion()).withKind(nv.getKind())
            .withName(nv.getMetadata().getName()).withUid(nv.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(DEADLINE_SECONDS)
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName(CONTAINER).withImage(image).withCommand("sh", "-c", SCRIPT)
        .addNewEnv().withName("SIZE_MIB").withValue(String.valueOf(bench.sizeMiBOrDefault())).endEnv()
        .addNewEnv().withName("RUN_HASH").withValue(runHash(runId)).endEnv()
        .withTerminationMessagePolicy("File")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")))
        .withLimits(Map.of("memory", new Quantity("256Mi"))).endResources()
        .addNewVolumeMount().withName("nas").withMountPath(MOUNT_PATH).endVolumeMount()
        .endContainer()
        .addNewVolume().withName("nas").withNewPersistentVolumeClaim().withClaimName(nv.getMetadata().getName())
        .endPersistentVolumeClaim().endVolume()
        .endSpec().endTemplate().endSpec().build();
  }

  /** The benchmark container's termination, once it has one. */
  public static Optional<ContainerStateTerminated> terminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream().filter(s -> CONTAINER.equals(s.getName()))
        .map(ContainerStatus::getState).filter(s -> s != null && s.getTerminated() != null)
        .map(s -> s.getTerminated()).findFirst();
  }

  /** Write and read MiB/s from a termination message, or empty when it holds no result. */
  public static Optional<double[]> result(String message) {
    if (message == null) {
      return Optional.empty();
    }
    Matcher m = RESULT.matcher(message.trim());
    return m.matches() ? Optional.of(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))})
        : Optional.empty();
  }
}
