package dev.mlops.operator.nas;

import static dev.mlops.operator.nas.NasVolumeResourcesTest.server;
import static dev.mlops.operator.nas.NasVolumeResourcesTest.volume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each problem of a NAS spec is one line naming the field and the value. */
class NasValidatorTest {

  static NasServerSpec approved() {
    NasServerSpec spec = server(null, null, null);
    spec.setAllowedNamespaces(new LabelSelector());
    return spec;
  }

  @Test
  void aCompleteServerAndVolumeAreValid() {
    assertThat(NasValidator.validateServer(approved())).isEmpty();
    assertThat(NasValidator.validateVolume("imagenet", volume(true))).isEmpty();
  }

  @Test
  void aServerWithoutAllowedNamespacesIsRefused() {
    NasServerSpec spec = server(null, null, null);
    assertThat(NasValidator.validateServer(spec)).containsExactly("spec.allowedNamespaces is required: a label selector"
        + " of the namespaces that may use this export ({} for every namespace)");
  }

  @Test
  void everyBadServerFieldIsNamedWithItsValue() {
    NasServerSpec spec = approved();
    spec.setDriver("fuse");
    spec.setProfile("ssd");
    spec.setMountOptions(List.of("hard,nconnect=8"));
    spec.getNfs().setExportRoot("export/ml");
    spec.getNfs().setServer("nas server");
    assertThat(NasValidator.validateServer(spec)).containsExactly(
        "spec.nfs.server must be a host name or an IP address, got \"nas server\"",
        "spec.nfs.exportRoot must be an absolute path, got \"export/ml\"",
        "spec.driver must be in-tree or csi, got \"fuse\"",
        "spec.profile must be all-flash or hdd, got \"ssd\"",
        "spec.mountOptions[0] must be one mount option without ',' or spaces, got \"hard,nconnect=8\"");
  }

  @Test
  void everyBadVolumeFieldIsNamedWithItsValue() {
    var spec = volume(true);
    spec.setPath("../other-team");
    spec.setCapacity("lots");
    spec.setDeletionPolicy("Purge");
    spec.setServer("Flash_NAS");
    assertThat(NasValidator.validateVolume("ImageNet", spec)).containsExactly(
        "metadata.name must be a DNS-1123 label of at most 63 characters: it names the PersistentVolumeClaim and"
            + " labels the PersistentVolume, got \"ImageNet\"",
        "spec.server must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit,"
            + " got \"Flash_NAS\"",
        "spec.path must not contain '..': a volume stays under its export, got \"../other-team\"",
        "spec.capacity must be a positive quantity such as 10Ti, got \"lots\"",
        "spec.deletionPolicy must be Retain or Delete, got \"Purge\"");
  }

  @Test
  void aZeroCapacityIsRefused() {
    var spec = volume(true);
    spec.setCapacity("0");
    assertThat(NasValidator.validateVolume("v", spec)).containsExactly(
        "spec.capacity must be a positive quantity such as 10Ti, got \"0\"");
  }
}
