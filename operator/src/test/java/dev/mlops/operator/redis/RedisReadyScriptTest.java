package dev.mlops.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness script run by sh, with a stand-in redis-cli that prints the INFO a server would: Ready
 * only as a master or a replica linked to its master, never fenced or resyncing.
 */
class RedisReadyScriptTest {

  @TempDir
  Path dir;

  int ready(String info, boolean auth) throws IOException, InterruptedException {
    Path cli = dir.resolve("redis-cli");
    // Records its arguments and the password it was given, then answers like INFO replication (CRLF lines).
    Files.writeString(cli, "#!/bin/sh\necho \"$@\" > \"" + dir.resolve("args") + "\"\necho \"${REDISCLI_AUTH:-}\" > \""
        + dir.resolve("auth") + "\"\n" + (info == null ? "exit 1\n" : "printf '" + info.replace("\n", "\\r\\n") + "'\n"));
    cli.toFile().setExecutable(true);
    Path etc = dir.resolve("etc");
    if (auth) {
      Files.createDirectories(etc.resolve("redis-operator"));
      Files.writeString(etc.resolve("redis-operator/password"), "op-secret");
    }
    Path script = Files.writeString(dir.resolve("ready.sh"), RedisResources.READY_SCRIPT);
    ProcessBuilder builder = new ProcessBuilder(List.of("sh", script.toString())).redirectErrorStream(true);
    builder.environment().put("MLOPS_REDIS_ETC", etc.toString());
    builder.environment().put("MLOPS_REDIS_CLI", cli.toString());
    Process process = builder.start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  @Test
  void aMasterAndALinkedReplicaAreReadyAFencedOrSyncingServerIsNot() throws Exception {
    assertThat(ready("# Replication\nrole:master\nconnected_slaves:2\n", true)).isZero();
    assertThat(Files.readString(dir.resolve("args"))).contains("--user mlops-operator").contains("info replication");
    assertThat(Files.readString(dir.resolve("auth")).strip()).isEqualTo("op-secret");
    assertThat(ready("role:slave\nmaster_host:10.0.0.7\nmaster_port:6379\nmaster_link_status:up\n", true)).isZero();
    assertThat(ready("role:slave\nmaster_host:10.0.0.7\nmaster_port:6379\nmaster_link_status:down\n"
        + "master_sync_in_progress:1\n", true)).isEqualTo(1);
    assertThat(ready("role:slave\nmaster_host:127.0.0.1\nmaster_port:1\nmaster_link_status:down\n", true)).isEqualTo(1);
    assertThat(ready(null, true)).as("no answer").isEqualTo(1);
  }

  @Test
  void withoutAuthItAsksWithoutAUser() throws Exception {
    assertThat(ready("role:master\n", false)).isZero();
    assertThat(Files.readString(dir.resolve("args"))).doesNotContain("--user");
  }
}
