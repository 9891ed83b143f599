package dev.mlops.operator.nas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark container's script, run for real by /bin/sh with GNU dd on this machine's disk: the
 * mount point and the termination-log path are swapped for a folder under target/. It writes the
 * result the operator parses, removes its file on success, on failure and on SIGTERM (stopping dd, which
 * the kubelet does not signal), and removes leftovers of runs killed hard.
 */
class NasBenchmarkScriptIT {

  static Path dir() throws Exception {
    Path dir = Path.of("target", "benchmark-script-it").toAbsolutePath();
    Files.createDirectories(dir);
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    return dir;
  }

  static Process run(Path dir, Path result, int sizeMiB, String extraSed) throws Exception {
    String script = NasBenchmarkJob.SCRIPT.replace(NasBenchmarkJob.MOUNT_PATH + "/", dir + "/")
        .replace("/dev/termination-log", result.toString());
    if (extraSed != null) {
      script = script.replace("of=\"$f\"", extraSed);
    }
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
    pb.environment().put("SIZE_MIB", String.valueOf(sizeMiB));
    pb.environment().put("RUN_HASH", "it");
    return pb.start();
  }

  @Test
  void writesReadsReportsAndCleansUp() throws Exception {
    Path dir = dir();
    Path result = dir.resolveSibling("benchmark-script-it.result");
    Files.writeString(dir.resolve(".mlops-benchmark-0ld0ld00"), "left by a run killed hard");
    Files.writeString(dir.resolve("dataset.bin"), "a user's file");
    Process p = run(dir, result, 32, null);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String message = Files.readString(result);
    assumeFalse(message.contains("Invalid argument"), "this filesystem refuses O_DIRECT: " + message);
    assertThat(p.exitValue()).as(message).isZero();
    assertThat(NasBenchmarkJob.result(message)).as(message).hasValueSatisfying(r -> {
      assertThat(r[0]).isPositive();
      assertThat(r[1]).isPositive();
    });
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("only the user's file is left")
          .containsExactly("dataset.bin");
    }
  }

  @Test
  void aFailedWriteIsReportedWithDdsOwnWords() throws Exception {
    Path dir = dir();
    Path result = dir.resolveSibling("benchmark-script-it.result");
    Process p = run(dir, result, 1, "of=/nonexistent/dir/file");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(result)).startsWith("write: dd: failed to open '/nonexistent/dir/file'");
  }

  @Test
  void sigtermStopsDdAndRemovesTheFile() throws Exception {
    Path dir = dir();
    Path result = dir.resolveSibling("benchmark-script-it.result");
    Process p = run(dir, result, 100_000, null);
    Path file = dir.resolve(".mlops-benchmark-it");
    long deadline = System.currentTimeMillis() + 20_000;
    while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(file).as("dd started writing").exists();
    Thread.sleep(300);
    p.toHandle().destroy(); // SIGTERM to the shell only, as the kubelet signals a container's PID 1
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    Thread.sleep(200);
    assertThat(file).as("removed, and dd no longer writing it").doesNotExist();
  }
}
