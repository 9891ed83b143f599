package dev.mlops.operator.runtime;

/** Turns an exception chain into one line for a terminal or a pod's last log line. */
public final class ErrorText {

  private ErrorText() {}

  /**
   * The outermost message, followed by the root cause's when the outer one does not already contain it:
   * wrappers (JOSDK's OperatorException, CompletionException) tend to say where it failed, the root
   * says why, and the user needs both on a single line.
   */
  public static String oneLine(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = message(error);
    String inner = message(root);
    String text = root == error || outer.contains(inner) ? outer : outer + ": " + inner;
    return text.replaceAll("\\s+", " ").trim();
  }

  private static String message(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
  }
}
