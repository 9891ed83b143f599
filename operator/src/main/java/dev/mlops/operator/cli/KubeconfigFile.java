package dev.mlops.operator.cli;

import dev.mlops.operator.runtime.ErrorText;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubeconfig named by {@code --kubeconfig} ({@code sandbox}, {@code bench}), read once. fabric8 loads
 * any YAML as a kubeconfig and falls back to the in-cluster defaults for what it lacks, so a file that
 * is not one (no current context) would later fail as an unreachable {@code kubernetes.default.svc};
 * here it is bad input, in one line.
 */
record KubeconfigFile(Path path, String text) {

  /** Thrown with the one line to print (after the command's name); exit 2. */
  static final class BadKubeconfig extends Exception {
    BadKubeconfig(String message) {
      super(message);
    }
  }

  static KubeconfigFile read(Path path) throws BadKubeconfig {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException | RuntimeException e) {
      throw new BadKubeconfig("--kubeconfig " + path + ": " + ErrorText.oneLine(e));
    }
    KubeconfigFile file = new KubeconfigFile(path, text);
    Config config = file.config();
    if (config.getCurrentContext() == null || config.getCurrentContext().getContext() == null) {
      throw new BadKubeconfig("--kubeconfig " + path + ": not a kubeconfig with a current context"
          + " (kubectl config current-context --kubeconfig " + path + ")");
    }
    return file;
  }

  /**
   * A fresh configuration from the file: fabric8 has no faithful copy of a loaded Config, and the
   * pre-flight changes the one it is given, so each client gets its own.
   */
  Config config() throws BadKubeconfig {
    try {
      return Config.fromKubeconfig(text);
    } catch (RuntimeException e) {
      throw new BadKubeconfig("--kubeconfig " + path + ": " + ErrorText.oneLine(e));
    }
  }
}
