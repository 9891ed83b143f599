package dev.mlops.operator.nas;

import java.util.Optional;

/**
 * The rules of a NasVolume's {@code spec.path} and a NasServer's {@code exportRoot}: a volume can
 * never reach outside the export an administrator approved.
 */
public final class NasPaths {

  private NasPaths() {}

  /** Why {@code path} is not a volume path (relative, no '..', no empty or '.' segment), or empty when it is. */
  public static Optional<String> volumePathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (path.startsWith("/")) {
      return Optional.of("must be relative to the NasServer's exportRoot, not absolute");
    }
    if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("must not contain control characters");
    }
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (String segment : trimmed.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("must not contain '..': a volume stays under its export");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return Optional.of("must not contain empty or '.' segments");
      }
    }
    return Optional.empty();
  }

  /** Why {@code root} is not an export root (absolute, no '..'), or empty when it is. */
  public static Optional<String> exportRootProblem(String root) {
    if (root == null || !root.startsWith("/")) {
      return Optional.of("must be an absolute path");
    }
    for (String segment : root.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        return Optional.of("must not contain '.' or '..' segments");
      }
    }
    return Optional.empty();
  }

  /** The export root and the volume path joined: {@code /export/ml} + {@code datasets/imagenet/}. */
  public static String join(String exportRoot, String path) {
    String root = exportRoot.endsWith("/") ? exportRoot.substring(0, exportRoot.length() - 1) : exportRoot;
    String rel = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return root + "/" + rel;
  }
}
