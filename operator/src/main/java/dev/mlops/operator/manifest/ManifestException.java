package dev.mlops.operator.manifest;

/**
 * Input that cannot be used, said in one line: where (file, document, line), what (kind and name),
 * which field and which value. No stack trace is kept: the message is the whole story.
 */
public final class ManifestException extends Exception {

  public ManifestException(String message) {
    super(message.replaceAll("[\\r\\n]+", " "), null, false, false);
  }
}
