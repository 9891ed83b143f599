package dev.mlops.operator;

import java.nio.file.Path;

/** The repository root, for tests that check files outside the module (crds/, examples/, helm/). */
public final class RepoPaths {

  private RepoPaths() {}

  /** Surefire and failsafe set mlops.repoRoot; from an IDE the module directory's parent is the root. */
  public static Path root() {
    return Path.of(System.getProperty("mlops.repoRoot", "..")).toAbsolutePath().normalize();
  }
}
