package dev.mlops.operator.nas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A volume never reaches outside its approved export. */
class NasPathsTest {

  @Test
  void relativePathsUnderTheExportAreVolumePaths() {
    assertThat(NasPaths.volumePathProblem("datasets/imagenet")).isEmpty();
    assertThat(NasPaths.volumePathProblem("checkpoints/")).isEmpty();
    assertThat(NasPaths.volumePathProblem("a..b/c")).as("'..' inside a name is a name").isEmpty();
  }

  @Test
  void absoluteEscapingOrEmptyPathsAreRefused() {
    assertThat(NasPaths.volumePathProblem("/etc")).contains("must be relative to the NasServer's exportRoot, not absolute");
    assertThat(NasPaths.volumePathProblem("datasets/../../etc"))
        .contains("must not contain '..': a volume stays under its export");
    assertThat(NasPaths.volumePathProblem("..")).contains("must not contain '..': a volume stays under its export");
    assertThat(NasPaths.volumePathProblem("a//b")).contains("must not contain empty or '.' segments");
    assertThat(NasPaths.volumePathProblem("./a")).contains("must not contain empty or '.' segments");
    assertThat(NasPaths.volumePathProblem("")).contains("must not be empty");
    assertThat(NasPaths.volumePathProblem("a\nb")).contains("must not contain control characters");
  }

  @Test
  void exportRootsAreAbsolute() {
    assertThat(NasPaths.exportRootProblem("/export/ml")).isEmpty();
    assertThat(NasPaths.exportRootProblem("export/ml")).contains("must be an absolute path");
    assertThat(NasPaths.exportRootProblem("/export/../etc")).contains("must not contain '.' or '..' segments");
    assertThat(NasPaths.join("/export/ml/", "datasets/imagenet/")).isEqualTo("/export/ml/datasets/imagenet");
  }
}
