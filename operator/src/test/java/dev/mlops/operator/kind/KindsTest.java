package dev.mlops.operator.kind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.RepoPaths;
import dev.mlops.operator.manifest.ResourceKinds;
import dev.mlops.operator.runtime.OperatorPermissions;
import dev.mlops.operator.sandbox.EmbeddedApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * One registration per kind, and every registry reads it: a kind added to {@link Kinds#ALL} is
 * served, readable, permitted and shipped, or this test says what is missing.
 */
class KindsTest {

  @Test
  void everyRegistryHasEveryKind() throws Exception {
    for (Kind<?> kind : Kinds.ALL) {
      String name = kind.resource().kind();
      assertThat(EmbeddedApiServer.CRD_RESOURCES).as(name + ": the embedded server's CRDs")
          .contains(kind.resource().crdResource());
      assertThat(ResourceKinds.own()).as(name + ": the kinds render and sandbox read").contains(kind.resource());
      assertThat(OperatorPermissions.RULES).as(name + ": the operator's RBAC").containsAll(kind.permissions());
      String file = Path.of(kind.resource().crdResource()).getFileName().toString();
      Path crd = RepoPaths.root().resolve("crds").resolve(file);
      Path chartCrd = RepoPaths.root().resolve("helm/mlops-operator/crds").resolve(file);
      assertThat(crd).as(name + ": crds/").exists();
      assertThat(Files.readString(chartCrd)).as(name + ": the chart's copy of its CRD").isEqualTo(Files.readString(crd));
      assertThat(RepoPaths.root().resolve("helm/mlops-operator/files/argocd-health/" + name + ".lua"))
          .as(name + ": its Argo CD health check").exists();
      assertThat(kind.childLabel()).as(name + ": the label its children carry and its informers select")
          .isEqualTo("mlops.dev/" + name.toLowerCase(java.util.Locale.ROOT));
      assertThat(kind.crdName()).isEqualTo(kind.resource().crdResource().replaceAll(".*/(.*)-v1\\.yml", "$1"));
    }
  }

  @Test
  void kindsShareOnlyEventsAndTheLease() {
    long shared = OperatorPermissions.RULES.stream()
        .filter(r -> Kinds.ALL.stream().noneMatch(k -> k.permissions().contains(r))).count();
    assertThat(shared).isEqualTo(2);
  }
}
