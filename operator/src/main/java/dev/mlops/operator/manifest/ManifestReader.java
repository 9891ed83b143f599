package dev.mlops.operator.manifest;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.mlops.operator.manifest.StructuralSchema.Violation;
import dev.mlops.operator.manifest.YamlTree.Document;
import dev.mlops.operator.manifest.YamlTree.Limits;
import dev.mlops.operator.manifest.YamlTree.SourceLines;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one way files of resources come in, for {@code render}, {@code sandbox} and the tests:
 * reads a file (or stdin for {@code -}) as strict UTF-8, parses it within {@link YamlTree.Limits},
 * expands {@code kind: List}, maps every document to a {@link ResourceKind} by apiVersion and
 * kind, and checks it as the API server would before binding it to its Java class. Anything wrong
 * ends in one {@link ManifestException} whose message is a single line naming the file, the
 * document, the line, the field and the value.
 */
public final class ManifestReader {

  /** What happens to a {@code status} in the input. */
  public enum StatusPolicy {
    /**
     * Dropped from the operator's own kinds, as the API server drops it on create through their
     * status subresource (a Node keeps its status: the API server lets a creator set it).
     */
    IGNORE,
    /** Kept: observed state (a {@code --cluster} snapshot). */
    KEEP
  }

  /** One object read from a file; {@code origin} says where ("jobs.yaml, document 2"). */
  public record Manifest(ResourceKind kind, HasMetadata object, String origin) {}

  private static final int MAX_ERRORS_SHOWN = 5;

  private final List<ResourceKind> accepted;
  private final StatusPolicy statusPolicy;
  private final String reader;
  private final Limits limits;

  /** {@code reader} names the command in messages ("render reads ..."). */
  public ManifestReader(String reader, StatusPolicy statusPolicy, List<ResourceKind> accepted) {
    this(reader, statusPolicy, accepted, YamlTree.DEFAULT_LIMITS);
  }

  public ManifestReader(String reader, StatusPolicy statusPolicy, List<ResourceKind> accepted, Limits limits) {
    this.reader = reader;
    this.statusPolicy = statusPolicy;
    this.accepted = List.copyOf(accepted);
    this.limits = limits;
  }

  /** Every object of every file, in order; fails on the first bad document, and on a file with no object. */
  public List<Manifest> readAll(List<Path> files) throws ManifestException {
    List<String> errors = new ArrayList<>();
    List<Manifest> all = readEach(files, errors, null);
    if (!errors.isEmpty()) {
      throw new ManifestException(errors.get(0));
    }
    return all;
  }

  /**
   * Every object of every file that reads, going on past a bad document: each bad document (or unreadable file) is
   * one line added to {@code errors}. With {@code skipped} given, an object of a kind this reader does not read (a
   * Secret in a cluster dump) is left out, and only its kind and name go to {@code skipped}: its data is never read
   * further, let alone printed.
   */
  public List<Manifest> readEach(List<Path> files, List<String> errors, java.util.function.Consumer<String> skipped) {
    return readEach(files, errors, kind -> true, skipped);
  }

  /** The same, skipping only objects of a kind {@code skip} names among those this reader does not read. */
  public List<Manifest> readEach(List<Path> files, List<String> errors, java.util.function.Predicate<String> skip,
      java.util.function.Consumer<String> skipped) {
    List<Manifest> all = new ArrayList<>();
    for (Path file : files) {
      String origin = file.toString();
      List<Document> documents;
      try {
        documents = YamlTree.parse(text(file), limits);
      } catch (ManifestException e) {
        errors.add(e.getMessage());
        continue;
      } catch (YamlTree.SyntaxException e) {
        errors.add(where(origin, e.document(), e.line()) + ": " + e.getMessage());
        continue;
      }
      int before = all.size();
      int errorsBefore = errors.size();
      int[] skippedHere = {0};
      Skip counting = skipped == null ? null : new Skip(skip, line -> {
        skippedHere[0]++;
        skipped.accept(line);
      });
      for (Document doc : documents) {
        if (doc.value() == null) {
          continue;
        }
        try {
          all.addAll(objects(doc.value(), origin + ", document " + doc.index(), doc.lines(), doc.line(), counting));
        } catch (ManifestException e) {
          errors.add(e.getMessage());
        }
      }
      if (all.size() == before && skippedHere[0] == 0 && errors.size() == errorsBefore) {
        errors.add(origin + ": no resource in the file (" + reader + " reads "
            + accepted.stream().map(ResourceKind::describe).collect(Collectors.joining(", ")) + ")");
      }
    }
    errors.addAll(duplicates(all));
    return all;
  }

  /** Two objects of one kind, namespace and name: the second would overwrite the first. */
  private static void refuseDuplicates(List<Manifest> objects) throws ManifestException {
    List<String> twice = duplicates(objects);
    if (!twice.isEmpty()) {
      throw new ManifestException(twice.get(0));
    }
  }

  /** One line for each object defined a second time (same kind, namespace and name). */
  private static List<String> duplicates(List<Manifest> objects) {
    Map<String, String> seen = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (Manifest m : objects) {
      String first = seen.putIfAbsent(identity(m), m.origin());
      if (first != null) {
        lines.add(m.origin() + ": " + describe(m) + ": metadata.name: \"" + m.object().getMetadata().getName()
            + "\" is defined twice (first in " + first + ")");
      }
    }
    return lines;
  }

  public List<Manifest> read(Path file) throws ManifestException {
    return read(text(file), file.toString());
  }

  /** The objects of one text; {@code origin} names it in messages. */
  public List<Manifest> read(String text, String origin) throws ManifestException {
    List<Document> documents;
    try {
      documents = YamlTree.parse(text, limits);
    } catch (YamlTree.SyntaxException e) {
      throw new ManifestException(where(origin, e.document(), e.line()) + ": " + e.getMessage());
    }
    List<Manifest> objects = new ArrayList<>();
    for (Document doc : documents) {
      if (doc.value() == null) {
        continue; // an empty document, as kubectl skips it
      }
      String at = origin + ", document " + doc.index();
      objects.addAll(objects(doc.value(), at, doc.lines(), doc.line(), null));
    }
    if (objects.isEmpty()) {
      throw new ManifestException(origin + ": no resource in the file (" + reader + " reads "
          + accepted.stream().map(ResourceKind::describe).collect(Collectors.joining(", ")) + ")");
    }
    refuseDuplicates(objects);
    return objects;
  }

  /** Which unread kinds to leave out, and where to say so. */
  private record Skip(java.util.function.Predicate<String> kinds, java.util.function.Consumer<String> said) {}

  private List<Manifest> objects(Object value, String at, SourceLines lines, int line, Skip skipped)
      throws ManifestException {
    if (!(value instanceof Map<?, ?>)) {
      throw new ManifestException(where(at, line) + ": expected a Kubernetes object (a map with apiVersion and"
          + " kind), got " + StructuralSchema.describe(value));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) value;
    Object apiVersion = object.get("apiVersion");
    Object kind = object.get("kind");
    if (!(apiVersion instanceof String) || ((String) apiVersion).isEmpty()) {
      throw new ManifestException(where(at, lines.line(object, "apiVersion")) + ": apiVersion: "
          + (apiVersion == null ? "required field is missing" : "expected a string, got " + StructuralSchema.describe(apiVersion))
          + supported());
    }
    if (!(kind instanceof String) || ((String) kind).isEmpty()) {
      throw new ManifestException(where(at, lines.line(object, "kind")) + ": kind: "
          + (kind == null ? "required field is missing" : "expected a string, got " + StructuralSchema.describe(kind))
          + supported());
    }
    if (isList((String) kind, object)) {
      return listItems(object, at, lines, skipped);
    }
    if (skipped != null && skipped.kinds().test((String) kind)
        && accepted.stream().noneMatch(k -> k.kind().equals(kind) && k.apiVersion().equals(apiVersion))) {
      Object metadata = object.get("metadata");
      Object name = metadata instanceof Map<?, ?> meta ? meta.get("name") : null;
      skipped.said().accept(at + ": " + apiVersion + " " + kind + (name instanceof String n ? " " + n : ""));
      return List.of();
    }
    ResourceKind resolved = resolve((String) apiVersion, (String) kind, at, lines.line(object, "kind"),
        lines.line(object, "apiVersion"));
    return List.of(check(resolved, object, at, lines));
  }

  /** {@code kind: List} (or any {@code *List} with items), expanded as kubectl does. */
  private static boolean isList(String kind, Map<String, Object> object) {
    return "List".equals(kind) || (kind.endsWith("List") && object.containsKey("items"));
  }

  private List<Manifest> listItems(Map<String, Object> list, String at, SourceLines lines, Skip skipped)
      throws ManifestException {
    Object items = list.get("items");
    if (items == null) {
      return List.of();
    }
    if (!(items instanceof List<?> entries)) {
      throw new ManifestException(where(at, lines.line(list, "items")) + ": items: expected a list, got "
          + StructuralSchema.describe(items));
    }
    List<Manifest> objects = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      objects.addAll(objects(entries.get(i), at + ", items[" + i + "]", lines, lines.line(entries, i), skipped));
    }
    return objects;
  }

  private ResourceKind resolve(String apiVersion, String kind, String at, int kindLine, int versionLine)
      throws ManifestException {
    for (ResourceKind k : accepted) {
      if (k.apiVersion().equals(apiVersion) && k.kind().equals(kind)) {
        return k;
      }
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    for (ResourceKind k : accepted) {
      if (k.kind().equals(kind)) {
        throw new ManifestException(where(at, versionLine) + ": apiVersion: \"" + apiVersion + "\" is not served for"
            + " kind " + kind + (group.equals(k.group()) ? ": " + k.group() + " serves " + k.version() : "")
            + " (use apiVersion: " + k.apiVersion() + ")");
      }
    }
    boolean ownGroup = ResourceKinds.GROUP.equals(group);
    if (ownGroup && !ResourceKinds.VERSION.equals(apiVersion.substring(group.length() + 1))) {
      throw new ManifestException(where(at, versionLine) + ": apiVersion: \"" + apiVersion + "\" is not served: "
          + ResourceKinds.GROUP + " serves " + ResourceKinds.VERSION + supported());
    }
    String suggestion = accepted.stream()
        .min(Comparator.comparingInt((ResourceKind k) -> StructuralSchema.distance(
            kind.toLowerCase(Locale.ROOT), k.kind().toLowerCase(Locale.ROOT))))
        .filter(k -> StructuralSchema.distance(kind.toLowerCase(Locale.ROOT), k.kind().toLowerCase(Locale.ROOT)) <= 3)
        .map(k -> " (did you mean " + k.kind() + "?)").orElse("");
    String known = ownGroup || ResourceKinds.CORE_KINDS.contains(kind) ? "" : " is not a kind " + reader + " knows";
    throw new ManifestException(where(at, kindLine) + ": kind: \"" + kind + "\" of apiVersion \"" + apiVersion + "\""
        + (known.isEmpty() ? " is not read by " + reader : known) + suggestion + supported());
  }

  private String supported() {
    return "; " + reader + " reads " + accepted.stream().map(ResourceKind::describe).collect(Collectors.joining(", "));
  }

  private Manifest check(ResourceKind kind, Map<String, Object> object, String at, SourceLines lines)
      throws ManifestException {
    if (statusPolicy == StatusPolicy.IGNORE && kind.crdResource() != null) {
      object.remove("status");
    }
    List<Violation> errors = new ArrayList<>(ObjectMetaRules.validate(object.get("metadata"), kind.namespaced(), lines,
        object));
    if (kind.schema() != null) {
      errors.addAll(kind.schema().validate(object, lines));
    }
    if (kind.extraChecks() != null) {
      errors.addAll(kind.extraChecks().check(object, lines));
    }
    String name = name(kind, object);
    if (!errors.isEmpty()) {
      throw new ManifestException(where(at, errors.get(0).line()) + ": " + name + ": " + join(errors));
    }
    String json = Serialization.asJson(object);
    if (json.length() > limits.maxDocumentBytes()) {
      throw new ManifestException(where(at, 0) + ": " + name + ": the object is " + (json.length() >> 10)
          + " KiB; the API server refuses objects over " + (limits.maxDocumentBytes() >> 20) + " MiB");
    }
    HasMetadata bound;
    try {
      bound = Serialization.jsonMapper().readValue(json, kind.type());
    } catch (IOException | IllegalArgumentException e) {
      throw new ManifestException(where(at, 0) + ": " + name + ": " + bindingError(e));
    }
    if (kind.namespaced() && (bound.getMetadata().getNamespace() == null || bound.getMetadata().getNamespace().isEmpty())) {
      bound.getMetadata().setNamespace("default");
    }
    return new Manifest(kind, bound, at);
  }

  /** A value the schema let through but the Java class cannot hold (an int32 overflow): path and reason. */
  private static String bindingError(Exception e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof JsonMappingException)) {
      cause = cause.getCause();
    }
    if (cause instanceof JsonMappingException mapping) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      String message = mapping.getOriginalMessage().lines().findFirst().orElse("invalid value");
      return (path.length() == 0 ? "" : path + ": ") + message;
    }
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid value");
  }

  private static String join(List<Violation> errors) {
    String shown = errors.stream().limit(MAX_ERRORS_SHOWN).map(Violation::toString).collect(Collectors.joining("; "));
    return errors.size() > MAX_ERRORS_SHOWN ? shown + " (and " + (errors.size() - MAX_ERRORS_SHOWN) + " more)" : shown;
  }

  private static String name(ResourceKind kind, Map<String, Object> object) {
    Object metadata = object.get("metadata");
    Map<?, ?> meta = metadata instanceof Map<?, ?> m ? m : Map.of();
    Object name = meta.get("name");
    Object ns = meta.get("namespace");
    String shown = name instanceof String s ? s : "(no name)";
    if (kind.namespaced()) {
      shown = (ns instanceof String n && !n.isEmpty() ? n : "default") + "/" + shown;
    }
    return kind.kind() + " " + shown;
  }

  private static String identity(Manifest m) {
    return m.kind().describe() + "|" + m.object().getMetadata().getNamespace() + "|" + m.object().getMetadata().getName();
  }

  private static String describe(Manifest m) {
    String ns = m.object().getMetadata().getNamespace();
    return m.kind().kind() + " " + (ns == null ? "" : ns + "/") + m.object().getMetadata().getName();
  }

  private static String where(String at, int line) {
    return line > 0 ? at + ", line " + line : at;
  }

  private static String where(String origin, int document, int line) {
    return where(origin + ", document " + document, line);
  }

  // ---- files --------------------------------------------------------------------------------

  /** The text of a file, or of stdin for "-": strict UTF-8 (a UTF-8 byte-order mark is allowed). */
  public String text(Path file) throws ManifestException {
    byte[] bytes;
    if ("-".equals(file.toString())) {
      try {
        bytes = readLimited(System.in, "stdin");
      } catch (IOException e) {
        throw new ManifestException("stdin: cannot read: " + e.getMessage());
      }
      return decode(bytes, "stdin");
    }
    if (Files.isDirectory(file)) {
      throw new ManifestException(file + ": is a directory; name a file (one -f per file)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      bytes = readLimited(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new ManifestException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new ManifestException(file + ": cannot read the file: permission denied");
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read the file: " + e.getMessage());
    }
    return decode(bytes, file.toString());
  }

  private byte[] readLimited(InputStream in, String origin) throws IOException, ManifestException {
    byte[] bytes = in.readNBytes(limits.maxFileBytes() + 1);
    if (bytes.length > limits.maxFileBytes()) {
      throw new ManifestException(origin + ": larger than " + (limits.maxFileBytes() >> 20) + " MiB; split it");
    }
    return bytes;
  }

  static String decode(byte[] bytes, String origin) throws ManifestException {
    if (startsWith(bytes, 0xFF, 0xFE) || startsWith(bytes, 0xFE, 0xFF)
        || (bytes.length >= 2 && (printableThenNul(bytes[0], bytes[1]) || printableThenNul(bytes[1], bytes[0])))) {
      throw new ManifestException(origin + ": is UTF-16 encoded; save it as UTF-8");
    }
    int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new ManifestException(origin + ": is binary data (a NUL byte at offset " + i + "), not YAML or JSON");
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new ManifestException(origin + ", line " + line + ": is not UTF-8 (byte 0x"
          + String.format("%02X", bytes[offset] & 0xFF) + " at offset " + offset + "); save the file as UTF-8");
    }
    decoder.flush(out);
    out.flip();
    // A byte-order mark may start any document of a stream (files saved by an editor, then concatenated).
    return out.toString().replace("\n\uFEFF", "\n");
  }

  /** UTF-16 without a byte-order mark: an ASCII character next to a zero byte. */
  private static boolean printableThenNul(byte character, byte zero) {
    return zero == 0 && character >= 0x20 && character < 0x7f;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
