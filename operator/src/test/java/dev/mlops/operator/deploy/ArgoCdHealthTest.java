package dev.mlops.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;


import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** The Argo CD health scripts, run by a real Lua interpreter against sample objects. */
class ArgoCdHealthTest {

  static final Path HEALTH = dev.mlops.operator.RepoPaths.root().resolve("helm/mlops-operator/files/argocd-health");

  record Health(String status, String message) {}

  static Health health(String kind, String yaml) throws IOException {
    Globals lua = JsePlatform.standardGlobals();
    lua.set("obj", toLua(Serialization.unmarshal(yaml, Map.class)));
    LuaValue result = lua.load(Files.readString(HEALTH.resolve(kind + ".lua")), kind + ".lua").call();
    return new Health(result.get("status").tojstring(), result.get("message").isnil() ? null : result.get("message").tojstring());
  }

  static LuaValue toLua(Object value) {
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return value == null ? LuaValue.NIL : LuaValue.valueOf(String.valueOf(value));
  }

  static String tj(String status) {
    return "apiVersion: mlops.dev/v1alpha1\nkind: TrainingJob\nmetadata: {name: j, namespace: ml, generation: 1}\n"
        + "spec: {image: i, nodes: 2, gpusPerNode: 8}\n" + status;
  }

  static String status(String phase, String conditions) {
    return "status:\n  phase: " + phase + "\n  observedGeneration: 1\n  conditions:\n" + conditions;
  }

  static String condition(String type, String status, String reason, String message) {
    return "  - {type: " + type + ", status: \"" + status + "\", reason: " + reason + ", message: \"" + message + "\"}\n";
  }

  static final String VALID = condition("Valid", "True", "SpecValid", "The spec is valid.");

  @Test
  void noStatusYetIsProgressing() throws IOException {
    assertThat(health("TrainingJob", tj("")).status()).isEqualTo("Progressing");
  }

  @Test
  void succeededIsHealthy() throws IOException {
    Health h = health("TrainingJob", tj(status("Succeeded", VALID
        + condition("Succeeded", "True", "AllWorkersSucceeded", "All 2 workers of attempt 1 exited with code 0."))));
    assertThat(h).isEqualTo(new Health("Healthy", "All 2 workers of attempt 1 exited with code 0."));
  }

  @Test
  void pendingStartingRunningAndRestartingAreProgressing() throws IOException {
    Health pending = health("TrainingJob", tj(status("Pending", VALID
        + condition("Schedulable", "False", "InsufficientGpuNodes", "Needs 4 nodes of one GPU product."))));
    assertThat(pending).isEqualTo(new Health("Progressing", "Pending (InsufficientGpuNodes): Needs 4 nodes of one GPU product."));
    Health queued = health("TrainingJob", tj(status("Queued", VALID + condition("Admitted", "False", "InsufficientFreeGpus",
        "Needs 2 × 8 nvidia.com/gpu on A100: 0 of 4 nodes of A100 have 8 free; 1 job ahead.")).replace("  conditions:",
        "  queue: {position: 2, since: '2026-12-08T10:00:00Z'}\n  conditions:")));
    assertThat(queued).isEqualTo(new Health("Progressing", "Queued #2 (InsufficientFreeGpus): Needs 2 × 8 nvidia.com/gpu"
        + " on A100: 0 of 4 nodes of A100 have 8 free; 1 job ahead."));
    for (String phase : List.of("Starting", "Running", "Restarting")) {
      Health h = health("TrainingJob", tj(status(phase, VALID + condition("Running", phase.equals("Running") ? "True" : "False",
          "X", "2 of 2 workers running (attempt 1)."))));
      assertThat(h.status()).as(phase).isEqualTo("Progressing");
      assertThat(h.message()).as(phase).startsWith(phase);
    }
  }

  @Test
  void failedAndInvalidAreDegraded() throws IOException {
    Health failed = health("TrainingJob", tj(status("Failed", VALID
        + condition("Failed", "True", "BackoffLimitExceeded", "Worker 1 exited with code 1"))));
    assertThat(failed).isEqualTo(new Health("Degraded", "BackoffLimitExceeded: Worker 1 exited with code 1"));
    Health invalid = health("TrainingJob", tj(status("Pending",
        condition("Valid", "False", "InvalidSpec", "spec.shmSize (64Gi) must not exceed the memory limit"))));
    assertThat(invalid.status()).isEqualTo("Degraded");
    assertThat(invalid.message()).contains("spec.shmSize");
  }

  @Test
  void suspendedIsSuspended() throws IOException {
    assertThat(health("TrainingJob", tj(status("Suspended", VALID))).status()).isEqualTo("Suspended");
  }

  @Test
  void aNewGenerationNotYetObservedIsProgressing() throws IOException {
    String yaml = tj(status("Succeeded", VALID)).replace("generation: 1", "generation: 2");
    assertThat(health("TrainingJob", yaml).status()).isEqualTo("Progressing");
  }

  static String nasVolume(String status) {
    return "apiVersion: mlops.dev/v1alpha1\nkind: NasVolume\nmetadata: {name: v, namespace: ml, generation: 1}\n"
        + "spec: {server: flash-nas, path: d, capacity: 1Ti}\n" + status;
  }

  @Test
  void aNasVolumeIsHealthyOnlyWhenBoundAndDegradedWhenLostOrInvalid() throws IOException {
    assertThat(health("NasVolume", nasVolume("")).status()).isEqualTo("Progressing");
    Health refused = health("NasVolume", nasVolume(status("Pending", VALID + condition("Ready", "False",
        "NamespaceNotAllowed", "NasServer flash-nas does not allow namespace ml"))));
    assertThat(refused).isEqualTo(new Health("Progressing", "NasServer flash-nas does not allow namespace ml"));
    assertThat(health("NasVolume", nasVolume(status("Bound", VALID + condition("Ready", "True", "Bound",
        "Claim v is bound to PersistentVolume nas-ml-v-1."))))).isEqualTo(new Health("Healthy",
        "Claim v is bound to PersistentVolume nas-ml-v-1."));
    assertThat(health("NasVolume", nasVolume(status("Lost", VALID + condition("Ready", "False", "Lost",
        "PersistentVolume nas-ml-v-1 is gone")))).status()).isEqualTo("Degraded");
    Health invalid = health("NasVolume", nasVolume(status("Invalid", condition("Valid", "False", "InvalidSpec",
        "spec.path must not contain '..'"))));
    assertThat(invalid.status()).isEqualTo("Degraded");
    assertThat(invalid.message()).contains("spec.path");
    assertThat(health("NasVolume", nasVolume(status("Bound", VALID)).replace("generation: 1", "generation: 2")).status())
        .isEqualTo("Progressing");
  }

  @Test
  void aNasServerIsHealthyWhenValid() throws IOException {
    String server = "apiVersion: mlops.dev/v1alpha1\nkind: NasServer\nmetadata: {name: flash-nas, generation: 1}\n"
        + "spec: {nfs: {server: 10.10.0.5, exportRoot: /export/ml}, allowedNamespaces: {}}\n";
    assertThat(health("NasServer", server).status()).isEqualTo("Progressing");
    Health healthy = health("NasServer", server + "status:\n  volumes: 2\n  observedGeneration: 1\n"
        + "  mountOptions: [nfsvers=4.1, nconnect=16]\n  conditions:\n" + VALID);
    assertThat(healthy).isEqualTo(new Health("Healthy", "2 NasVolume(s); mount options nfsvers=4.1,nconnect=16"));
    Health invalid = health("NasServer", server + "status:\n  observedGeneration: 1\n  conditions:\n"
        + condition("Valid", "False", "InvalidSpec", "spec.profile must be all-flash or hdd"));
    assertThat(invalid.status()).isEqualTo("Degraded");
  }

  static String redis(String status) {
    return "apiVersion: mlops.dev/v1alpha1\nkind: RedisInstance\nmetadata: {name: cache, namespace: platform, generation: 1}\n"
        + "spec: {resources: {limits: {memory: 1Gi}}}\n" + status;
  }

  @Test
  void aRedisInstanceIsHealthyWhileItsMasterServesAndDegradedWithTheReasonWhenNot() throws IOException {
    assertThat(health("RedisInstance", redis("")).status()).isEqualTo("Progressing");
    assertThat(health("RedisInstance", redis(status("Pending", VALID + condition("Ready", "False", "ElectingMaster",
        "Waiting for every server to answer"))))).isEqualTo(new Health("Progressing", "Waiting for every server to answer"));
    assertThat(health("RedisInstance", redis(status("Ready", VALID + condition("Ready", "True", "MasterServing",
        "Master cache-0 serves at cache.platform.svc:6379."))))).isEqualTo(new Health("Healthy",
        "Master cache-0 serves at cache.platform.svc:6379."));
    Health degraded = health("RedisInstance", redis(status("Degraded", VALID + condition("Ready", "True", "MasterServing",
        "m") + condition("Degraded", "True", "ReplicaLinkDown", "Replicas not linked to the master: cache-2."))));
    assertThat(degraded).isEqualTo(new Health("Degraded", "Replicas not linked to the master: cache-2."));
    Health invalid = health("RedisInstance", redis(status("Invalid", condition("Valid", "False", "InvalidSpec",
        "spec.maxMemory must be at most spec.resources.limits.memory"))));
    assertThat(invalid.status()).isEqualTo("Degraded");
    assertThat(invalid.message()).contains("spec.maxMemory");
  }

  static String pipeline(String status) {
    return "apiVersion: mlops.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: daily-train, namespace: ml-team, generation: 1}\n"
        + "spec: {tasks: [{name: a, container: {image: busybox}}]}\n" + status;
  }

  @Test
  void aPipelineIsHealthyOnceCompiledAndDegradedWhenInvalidOrWithoutArgo() throws IOException {
    assertThat(health("Pipeline", pipeline("")).status()).isEqualTo("Progressing");
    assertThat(health("Pipeline", pipeline(status("Ready", VALID + condition("ArgoWorkflowsAvailable", "True", "Installed", "ok")
        + condition("Ready", "True", "Compiled", "WorkflowTemplate daily-train in sync with generation 1.")))))
        .isEqualTo(new Health("Healthy", "WorkflowTemplate daily-train in sync with generation 1."));
    assertThat(health("Pipeline", pipeline(status("Pending", VALID + condition("ArgoWorkflowsAvailable", "False",
        "ArgoWorkflowsNotInstalled", "Argo Workflows is not installed: CRD workflows.argoproj.io not found.")))))
        .isEqualTo(new Health("Degraded", "Argo Workflows is not installed: CRD workflows.argoproj.io not found."));
    Health invalid = health("Pipeline", pipeline(status("Invalid", condition("Valid", "False", "InvalidSpec",
        "spec.tasks[0].dependsOn: unknown task 'b'"))));
    assertThat(invalid).isEqualTo(new Health("Degraded", "Invalid spec: spec.tasks[0].dependsOn: unknown task 'b'"));
    String ok = VALID + condition("ArgoWorkflowsAvailable", "True", "Installed", "ok");
    assertThat(health("Pipeline", pipeline(status("Pending", ok + condition("Ready", "False", "Syncing",
        "Writing WorkflowTemplate daily-train for generation 1.")))))
        .isEqualTo(new Health("Progressing", "Writing WorkflowTemplate daily-train for generation 1."));
    assertThat(health("Pipeline", pipeline(status("Pending", ok + condition("Ready", "False", "NameTaken",
        "WorkflowTemplate daily-train exists and is not this Pipeline's")))))
        .isEqualTo(new Health("Degraded", "WorkflowTemplate daily-train exists and is not this Pipeline's"));
  }

  static String run(String phase, String extra) {
    return "apiVersion: mlops.dev/v1alpha1\nkind: PipelineRun\nmetadata: {name: r, namespace: ml-team, generation: 1}\n"
        + "spec: {pipelineRef: daily-train}\n" + (phase == null ? "" : "status:\n  phase: " + phase + "\n  progress: 2/5\n"
        + "  message: m\n  observedGeneration: 1\n  conditions:\n" + extra);
  }

  @Test
  void aPipelineRunIsHealthyWhenSucceededAndDegradedWhenItFailedOrCannotRun() throws IOException {
    assertThat(health("PipelineRun", run(null, "")).status()).isEqualTo("Progressing");
    assertThat(health("PipelineRun", run("Running", VALID))).isEqualTo(new Health("Progressing", "Running 2/5: m"));
    assertThat(health("PipelineRun", run("Succeeded", VALID))).isEqualTo(new Health("Healthy", "Succeeded (2/5 tasks): m"));
    assertThat(health("PipelineRun", run("Failed", condition("Valid", "False", "InvalidParams", "x"))))
        .isEqualTo(new Health("Degraded", "Failed: m"));
    assertThat(health("PipelineRun", run("Error", VALID)).status()).isEqualTo("Degraded");
    assertThat(health("PipelineRun", run("Pending", condition("Valid", "False", "PipelineNotFound", "create it"))).status())
        .isEqualTo("Progressing");
    assertThat(health("PipelineRun", run("Pending", condition("Valid", "False", "PipelineInvalid", "bad pipeline"))))
        .isEqualTo(new Health("Degraded", "bad pipeline"));
    assertThat(health("PipelineRun", run("Pending", condition("ArgoWorkflowsAvailable", "False", "NotInstalled", "no argo"))))
        .isEqualTo(new Health("Degraded", "no argo"));
  }

  @Test
  void theArgoCdSnippetInTheRepositoryEmbedsEveryScriptVerbatim() throws IOException {
    String snippet = Files.readString(dev.mlops.operator.RepoPaths.root().resolve("argocd/argocd-cm-health.yaml"));
    Map<String, Object> cm = Serialization.unmarshal(snippet, Map.class);
    @SuppressWarnings("unchecked")
    Map<String, String> data = (Map<String, String>) cm.get("data");
    try (var scripts = Files.list(HEALTH)) {
      for (Path script : scripts.toList()) {
        String kind = script.getFileName().toString().replace(".lua", "");
        assertThat(data.get("resource.customizations.health.mlops.dev_" + kind))
            .as("argocd/argocd-cm-health.yaml must embed %s verbatim", script).isEqualTo(Files.readString(script));
      }
    }
  }
}
