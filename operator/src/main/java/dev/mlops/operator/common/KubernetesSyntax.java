package dev.mlops.operator.common;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API server's syntax rules for names, labels and environment variables
 * (k8s.io/apimachinery/pkg/util/validation), each answering with what is wrong, in words, or empty.
 */
public final class KubernetesSyntax {

  private static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
  /** The portable rule for variable names, accepted by every Kubernetes version (C identifiers plus '-' and '.'). */
  private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

  private KubernetesSyntax() {}

  /** A namespace, a Service name: at most 63 lowercase letters, digits and '-'. */
  public static Optional<String> dns1123Label(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (value.length() > 63) {
      return Optional.of("must be at most 63 characters, got " + value.length());
    }
    if (!DNS_1123_LABEL.matcher(value).matches()) {
      return Optional.of("must consist of lowercase letters, digits and '-', and start and end with a letter or digit");
    }
    return Optional.empty();
  }

  /** Most object names: at most 253 characters of DNS labels joined by '.'. */
  public static Optional<String> dns1123Subdomain(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (value.length() > 253) {
      return Optional.of("must be at most 253 characters, got " + value.length());
    }
    if (!DNS_1123_SUBDOMAIN.matcher(value).matches()) {
      return Optional.of("must consist of lowercase letters, digits, '-' and '.', and start and end with a letter"
          + " or digit");
    }
    return Optional.empty();
  }

  /** Label and annotation keys, resource names: an optional DNS-subdomain prefix and '/', then a name of at most 63. */
  public static Optional<String> qualifiedName(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of("must not be empty");
    }
    String[] parts = value.split("/", -1);
    if (parts.length > 2) {
      return Optional.of("may contain at most one '/' (prefix/name)");
    }
    String name = parts[parts.length - 1];
    if (parts.length == 2) {
      Optional<String> prefix = dns1123Subdomain(parts[0]);
      if (prefix.isPresent()) {
        return Optional.of("prefix '" + parts[0] + "' " + prefix.get());
      }
    }
    if (name.isEmpty()) {
      return Optional.of("name part must not be empty");
    }
    if (name.length() > 63) {
      return Optional.of("name part must be at most 63 characters, got " + name.length());
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      return Optional.of("name part must consist of letters, digits, '-', '_' and '.', and start and end with a"
          + " letter or digit");
    }
    return Optional.empty();
  }

  /** Label values: empty, or at most 63 letters, digits, '-', '_' and '.' starting and ending alphanumeric. */
  public static Optional<String> labelValue(String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.length() > 63) {
      return Optional.of("must be at most 63 characters, got " + value.length());
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      return Optional.of("must be empty or consist of letters, digits, '-', '_' and '.', and start and end with a"
          + " letter or digit");
    }
    return Optional.empty();
  }

  /** Environment variable names. */
  public static Optional<String> envName(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (!ENV_NAME.matcher(value).matches()) {
      return Optional.of("must consist of letters, digits, '_', '-' and '.', and must not start with a digit (the"
          + " rule every Kubernetes version accepts; 1.34 and later also take other printable characters except '=')");
    }
    return Optional.empty();
  }

  /** A value quoted for a message, with control characters made visible. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder s = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        s.append(String.format("\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return s.append('"').toString();
  }
}
