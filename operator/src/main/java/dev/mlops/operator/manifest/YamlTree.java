package dev.mlops.operator.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Multi-document YAML (or JSON) as plain Java values, the way kubectl turns it into JSON: maps,
 * lists, strings, Long (BigInteger when it does not fit), Double, Boolean and null. Unlike a
 * general YAML loader it refuses duplicate keys (kubectl keeps the last one silently, which hides a
 * typo'd edit), keeps timestamps as strings,
 * bounds what a hostile file can cost ({@link Limits}) and remembers the line of every value so an
 * error can point at it.
 */
public final class YamlTree {

  /**
   * What one input file may cost. Kubernetes itself refuses request bodies over 3 MiB, and the
   * deepest object of the API (an affinity term inside a pod template) nests about 12 levels.
   */
  public record Limits(int maxFileBytes, int maxDocumentBytes, int maxAliases, int maxDepth, int maxValues) {}

  public static final Limits DEFAULT_LIMITS = new Limits(32 << 20, 3 << 20, 50, 64, 1_000_000);

  /** One parsed document: its value (null for an empty document), its 1-based index and first line. */
  public record Document(Object value, int index, int line, SourceLines lines) {}

  /** Lines of values in a parsed tree, by container identity, for error messages. */
  public static final class SourceLines {
    private final Map<Object, Integer> starts = new IdentityHashMap<>();
    private final Map<Object, Map<Object, Integer>> members = new IdentityHashMap<>();

    /** The 1-based line where {@code key} (a map key or list index) of {@code container} is, or 0. */
    public int line(Object container, Object key) {
      Map<Object, Integer> lines = container == null ? null : members.get(container);
      Integer line = lines == null ? null : lines.get(key);
      return line != null ? line : start(container);
    }

    /** The 1-based line where {@code container} starts, or 0 when unknown. */
    public int start(Object container) {
      Integer line = container == null ? null : starts.get(container);
      return line == null ? 0 : line;
    }

    private void put(Object container, int start) {
      starts.put(container, start);
    }

    private void put(Object container, Object key, int line) {
      members.computeIfAbsent(container, c -> new HashMap<>()).put(key, line);
    }
  }

  /** A document that is not YAML, or that costs more than the limits allow; the message is one line. */
  public static final class SyntaxException extends Exception {
    private final int document;
    private final int line;

    SyntaxException(int document, int line, String message) {
      super(message, null, false, false);
      this.document = document;
      this.line = line;
    }

    public int document() {
      return document;
    }

    public int line() {
      return line;
    }
  }

  // YAML 1.1 integers as kubectl's go-yaml reads them, including 0x.., 0o.. and _ separators.
  private static final Set<String> YAML11_Y_N = Set.of("y", "Y", "n", "N");
  private static final Pattern DECIMAL = Pattern.compile("^[-+]?(0|[1-9][0-9_]*)$");

  private YamlTree() {}

  public static List<Document> parse(String text) throws SyntaxException {
    return parse(text, DEFAULT_LIMITS);
  }

  public static List<Document> parse(String text, Limits limits) throws SyntaxException {
    if (looksLikeJson(text)) {
      return parseJson(text, limits);
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // detected below, with the path of the key
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setNestingDepthLimit(limits.maxDepth());
    options.setCodePointLimit(limits.maxFileBytes());
    options.setAllowRecursiveKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
        options, new Resolver());
    List<Document> documents = new ArrayList<>();
    int index = 0;
    try {
      for (Node node : yaml.composeAll(new StringReader(text))) {
        index++;
        SourceLines lines = new SourceLines();
        Builder builder = new Builder(index, limits, lines);
        Object value = builder.value(node, "", 0);
        documents.add(new Document(value, index, line(node.getStartMark()), lines));
      }
    } catch (MarkedYAMLException e) {
      throw new SyntaxException(index + 1, line(e.getProblemMark()), describe(e));
    } catch (YAMLException e) {
      throw new SyntaxException(index + 1, 0, limitMessage(e.getMessage(), limits));
    } catch (StackOverflowError e) {
      throw new SyntaxException(index + 1, 0, "nested too deeply (at most " + limits.maxDepth() + " levels)");
    }
    return documents;
  }

  /** kubectl reads a file whose first character is '{' as JSON, which is stricter than YAML (no trailing commas). */
  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return c == '{';
      }
    }
    return false;
  }

  /**
   * JSON as kubectl reads it: strict (no trailing commas, no duplicate keys) and one or more objects
   * one after another, as {@code jq -c '.items[]'} prints them. Lines are not tracked for JSON.
   */
  private static List<Document> parseJson(String text, Limits limits) throws SyntaxException {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(limits.maxDepth()).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    ObjectMapper mapper = new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    List<Document> documents = new ArrayList<>();
    try (MappingIterator<Object> values = mapper.readerFor(Object.class).readValues(text)) {
      while (values.hasNextValue()) {
        int line = values.getCurrentLocation() == null ? 0 : values.getCurrentLocation().getLineNr();
        documents.add(new Document(jsonValue(values.nextValue()), documents.size() + 1, line, new SourceLines()));
      }
    } catch (StreamConstraintsException e) {
      throw new SyntaxException(documents.size() + 1, 0, "nested too deeply (at most " + limits.maxDepth() + " levels)");
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new SyntaxException(documents.size() + 1, line, "invalid JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException | RuntimeException e) {
      throw new SyntaxException(documents.size() + 1, 0, "invalid JSON: " + e.getMessage());
    }
    return documents;
  }

  /** Jackson's values as the YAML side makes them: Long (or BigInteger), Double, integral numbers as Long. */
  @SuppressWarnings("unchecked")
  private static Object jsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, jsonValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(jsonValue(v)));
      return copy;
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof BigDecimal decimal) {
      try {
        return decimal.longValueExact();
      } catch (ArithmeticException notIntegral) {
        return decimal.doubleValue();
      }
    }
    return value;
  }

  private static int line(Mark mark) {
    return mark == null ? 0 : mark.getLine() + 1;
  }

  /** SnakeYAML's problem in one line, without its multi-line snippet of the input. */
  private static String describe(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    String context = e.getContext();
    String text = (context == null ? "" : context + ": ") + problem;
    if (text.contains("(TAB)") || text.contains("#x0009")) {
      text = "a tab character where YAML allows only spaces (tabs cannot indent YAML)";
    }
    return "invalid YAML: " + text.replaceAll("\\s+", " ").trim();
  }

  private static String limitMessage(String message, Limits limits) {
    String text = message == null ? "invalid YAML" : message.replaceAll("\\s+", " ").trim();
    if (text.contains("aliases")) {
      return "too many YAML aliases (at most " + limits.maxAliases() + " for lists and maps): refused as a"
          + " possible alias bomb";
    }
    if (text.contains("Nesting Depth")) {
      return "nested too deeply (at most " + limits.maxDepth() + " levels)";
    }
    if (text.contains("code points")) {
      return "larger than " + (limits.maxFileBytes() >> 20) + " MiB";
    }
    return "invalid YAML: " + text;
  }

  /** Turns one composed node tree into plain values, counting every value it makes. */
  private static final class Builder {
    private final int document;
    private final Limits limits;
    private final SourceLines lines;
    private int values;

    Builder(int document, Limits limits, SourceLines lines) {
      this.document = document;
      this.limits = limits;
      this.lines = lines;
    }

    Object value(Node node, String path, int depth) throws SyntaxException {
      if (++values > limits.maxValues()) {
        throw new SyntaxException(document, line(node.getStartMark()), "expands to more than " + limits.maxValues()
            + " values (aliases are expanded): refused as a possible alias bomb");
      }
      if (depth > limits.maxDepth()) {
        throw new SyntaxException(document, line(node.getStartMark()),
            "nested too deeply (at most " + limits.maxDepth() + " levels)");
      }
      if (node instanceof ScalarNode scalar) {
        return scalar(scalar, path);
      }
      if (node instanceof SequenceNode sequence) {
        List<Object> list = new ArrayList<>(sequence.getValue().size());
        lines.put(list, line(node.getStartMark()));
        for (Node item : sequence.getValue()) {
          lines.put(list, list.size(), line(item.getStartMark()));
          list.add(value(item, path + "[" + list.size() + "]", depth + 1));
        }
        return list;
      }
      MappingNode mapping = (MappingNode) node;
      Map<String, Object> map = new LinkedHashMap<>();
      lines.put(map, line(node.getStartMark()));
      List<Object> merged = new ArrayList<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (Tag.MERGE.equals(tuple.getKeyNode().getTag())) {
          merged.add(value(tuple.getValueNode(), path, depth + 1));
          continue;
        }
        if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
          throw new SyntaxException(document, line(tuple.getKeyNode().getStartMark()),
              (path.isEmpty() ? "" : path + ": ") + "a map key must be a plain value, not a list or a map");
        }
        String key = keyNode.getValue();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        if (map.containsKey(key)) {
          throw new SyntaxException(document, line(keyNode.getStartMark()), keyPath + ": duplicate key \"" + key
              + "\" (first at line " + lines.line(map, key) + ")");
        }
        lines.put(map, key, line(keyNode.getStartMark()));
        map.put(key, value(tuple.getValueNode(), keyPath, depth + 1));
      }
      // Merged keys fill in only what the map does not set itself, wherever the << stands.
      for (Object source : merged) {
        merge(map, source);
      }
      return map;
    }

    /** {@code <<: *base} merges keys the map does not set itself, as YAML 1.1 and kubectl do. */
    @SuppressWarnings("unchecked")
    private void merge(Map<String, Object> map, Object merged) throws SyntaxException {
      List<Object> sources = merged instanceof List<?> list ? (List<Object>) list : List.of(merged);
      for (Object source : sources) {
        if (!(source instanceof Map<?, ?> m)) {
          throw new SyntaxException(document, lines.start(map), "a YAML merge key (<<) needs a map");
        }
        ((Map<String, Object>) m).forEach(map::putIfAbsent);
      }
    }

    private Object scalar(ScalarNode scalar, String path) throws SyntaxException {
      String text = scalar.getValue();
      Tag tag = scalar.getTag();
      if (Tag.NULL.equals(tag)) {
        return null;
      }
      if (Tag.BOOL.equals(tag)) {
        return switch (text.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on", "y" -> Boolean.TRUE;
          default -> Boolean.FALSE;
        };
      }
      if (Tag.INT.equals(tag)) {
        return integer(text, scalar, path);
      }
      if (Tag.FLOAT.equals(tag)) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        if (t.endsWith(".inf") || t.endsWith(".nan")) {
          return t.endsWith(".nan") ? Double.NaN : t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
          double value = Double.parseDouble(t);
          // kubectl turns YAML into JSON, where 2.0 is written 2: an integer to the API server.
          return value == Math.rint(value) && Math.abs(value) < 9.0e15 ? (Object) (long) value : (Object) value;
        } catch (NumberFormatException e) {
          return text;
        }
      }
      if (Tag.STR.equals(tag) && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && YAML11_Y_N.contains(text)) {
        return text.equalsIgnoreCase("y"); // booleans to kubectl's YAML 1.1 reader, not to SnakeYAML's
      }
      if (Tag.STR.equals(tag) || Tag.TIMESTAMP.equals(tag)) {
        return text; // timestamps stay text, as in JSON
      }
      throw new SyntaxException(document, line(scalar.getStartMark()), (path.isEmpty() ? "" : path + ": ")
          + "unsupported YAML tag " + tag.getValue());
    }

    private Object integer(String text, ScalarNode scalar, String path) throws SyntaxException {
      String t = text.replace("_", "");
      try {
        BigInteger value;
        if (DECIMAL.matcher(text).matches()) {
          value = new BigInteger(t);
        } else {
          boolean negative = t.startsWith("-");
          String digits = t.replaceFirst("^[-+]", "");
          if (digits.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
          } else if (digits.startsWith("0b")) {
            value = new BigInteger(digits.substring(2), 2);
          } else if (digits.startsWith("0o")) {
            value = new BigInteger(digits.substring(2), 8);
          } else if (digits.startsWith("0") && digits.length() > 1) {
            value = new BigInteger(digits.substring(1), 8);
          } else {
            return text; // sexagesimal and other YAML 1.1 oddities: keep the text
          }
          value = negative ? value.negate() : value;
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
      } catch (NumberFormatException e) {
        throw new SyntaxException(document, line(scalar.getStartMark()),
            (path.isEmpty() ? "" : path + ": ") + "not a number: " + text);
      }
    }
  }
}
