package dev.mlops.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlops.operator.YamlDocs;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.cli.RenderCommandTest.Run;
import dev.mlops.operator.common.Conditions;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input/}, listed in its index.tsv) through the
 * render command's own entry point, as a user would run it. The contract: exit 2 with exactly one
 * line on stderr that names the field (and the value, where the index gives one) for unusable
 * input; exit 0 with parseable YAML for valid input; never a stack trace, never a hang.
 */
class BadInputCorpusTest {

  private static final Path CORPUS = corpus();
  private static final Duration NO_HANG = Duration.ofSeconds(30);

  /** One row of index.tsv; {@code exit} is "-" for a --cluster data file. */
  record Case(String file, String exit, String field, String text, String cluster, String category) {
    @Override
    public String toString() {
      return file;
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    List<String> lines = Files.readAllLines(CORPUS.resolve("index.tsv"));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] c = line.split("\t", -1);
      cases.add(new Case(c[0], c[1], c[2], c[3], c[4], c[5]));
    }
    return cases;
  }

  static Stream<Case> inputs() throws IOException {
    return cases().stream().filter(c -> !"-".equals(c.exit()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void meetsTheContract(Case c, @TempDir Path tmp) throws IOException {
    Path file = CORPUS.resolve(c.file());
    if (c.file().equals("syntax-big-legal.yaml")) {
      file = bigLegalFile(tmp);
    }
    List<String> args = new ArrayList<>(List.of("-f", file.toString()));
    if (!c.cluster().isEmpty()) {
      args.addAll(List.of("--cluster", CORPUS.resolve(c.cluster()).toString()));
    }
    Run run = assertTimeoutPreemptively(NO_HANG, () -> RenderCommandTest.render(args.toArray(String[]::new)),
        c.file() + " must not hang");
    String describe = c.file() + " -> exit " + run.exit() + "\nstderr: " + run.err() + "\nstdout head: "
        + run.out().substring(0, Math.min(400, run.out().length()));

    assertThat(run.err()).as("no stack trace: %s", describe).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.exit()).as(describe).isEqualTo(Integer.parseInt(c.exit()));
    if (run.exit() == 2) {
      assertThat(run.err().strip().lines()).as("exactly one line on stderr: %s", describe).hasSize(1);
      assertThat(run.err()).as("starts with the command: %s", describe).startsWith("render: ");
      assertThat(run.out()).as("nothing on stdout: %s", describe).isEmpty();
      if (!c.field().isEmpty()) {
        assertThat(run.err()).as("names the field: %s", describe).contains(c.field());
      }
      if (!c.text().isEmpty()) {
        assertThat(run.err()).as("names the value: %s", describe).contains(c.text());
      }
      if (!c.file().startsWith("cluster-")) {
        assertThat(run.err()).as("names the file: %s", describe).contains(c.file());
      }
    } else {
      assertThat(run.err().lines()).as("only warnings on stderr: %s", describe)
          .allMatch(l -> l.startsWith("render: warning: "));
      List<String> docs = YamlDocs.documents(run.out());
      assertThat(docs).as("YAML on stdout: %s", describe).isNotEmpty();
      checkHeaders(file, run, docs, describe);
    }
  }

  /** {@code # expect-stdout:}, {@code # expect-stdout-not:} and {@code # expect-schedulable:} lines of a valid input. */
  private static void checkHeaders(Path file, Run run, List<String> docs, String describe) throws IOException {
    List<String> header = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .takeWhile(l -> l.startsWith("#") || l.isBlank() || l.startsWith("\uFEFF#")).toList();
    for (String line : header) {
      String h = line.replace("\uFEFF", "");
      if (h.startsWith("# expect-stdout: ")) {
        assertThat(run.out()).as(describe).contains(h.substring("# expect-stdout: ".length()).strip());
      } else if (h.startsWith("# expect-stdout-not: ")) {
        assertThat(run.out()).as(describe).doesNotContain(h.substring("# expect-stdout-not: ".length()).strip());
      } else if (h.startsWith("# expect-schedulable: ")) {
        String expected = h.substring("# expect-schedulable: ".length()).strip();
        List<String> messages = docs.stream().map(d -> Serialization.unmarshal(d, Map.class))
            .filter(m -> "TrainingJob".equals(m.get("kind")))
            .map(m -> Serialization.unmarshal(Serialization.asJson(m), TrainingJob.class))
            .map(tj -> Conditions.find(tj.getStatus().getConditions(), "Schedulable").map(cond -> cond.getMessage())
                .orElse(""))
            .toList();
        assertThat(messages).as("the Schedulable condition names the filter: %s", describe)
            .anyMatch(m -> m.contains(expected));
      }
    }
  }

  @Test
  void theCorpusIsLargeAndCoversEveryCategory() throws IOException {
    Map<String, Long> byCategory = new TreeMap<>(inputs().collect(Collectors.groupingBy(Case::category,
        Collectors.counting())));
    assertThat(inputs().count()).isGreaterThanOrEqualTo(80);
    assertThat(byCategory.keySet()).contains("1-type", "2-unknown", "3-document", "4-syntax", "5-kubernetes",
        "6-status", "7-cluster", "8-valid");
    assertThat(inputs().filter(c -> c.exit().equals("2")).count()).isGreaterThanOrEqualTo(80);
  }

  @Test
  void everyFileOfTheCorpusIsListedInTheIndex() throws IOException {
    Set<String> listed = cases().stream().map(Case::file).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<String> unlisted = files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("index.tsv") && !listed.contains(n)).toList();
      assertThat(unlisted).isEmpty();
    }
    for (Case c : cases()) {
      if (!c.file().equals("syntax-big-legal.yaml") && !c.cluster().startsWith("nodes-does-not-exist")) {
        assertThat(CORPUS.resolve(c.file())).as("listed file").exists();
      }
    }
  }

  // ---- the command line itself ---------------------------------------------------------------

  @Test
  void aMissingFileIsOneLine() {
    Run run = RenderCommandTest.render("-f", "no/such/jobs.yaml");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("render: no/such/jobs.yaml: no such file");
  }

  @Test
  void aDirectoryIsOneLine(@TempDir Path dir) {
    Run run = RenderCommandTest.render("-f", dir.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("render: " + dir + ": is a directory; name a file (one -f per file)");
  }

  @Test
  void aMissingClusterFileIsOneLine() {
    Run run = RenderCommandTest.render("-f", CORPUS.resolve("valid-minimal.yaml").toString(), "--cluster", "nodes.yaml");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("render: nodes.yaml: no such file");
  }

  @Test
  void theSameNameInTwoFilesIsADuplicate() {
    String file = CORPUS.resolve("valid-minimal.yaml").toString();
    Run run = RenderCommandTest.render("-f", file, "-f", file);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("metadata.name").contains("is defined twice");
  }

  @Test
  void noFileOptionIsAUsageError() {
    Run run = RenderCommandTest.render();
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).singleElement().asString().contains("Missing required option: '--filename");
  }

  @Test
  void aMistypedOptionIsOneLineNotTheUsageText() {
    Run run = RenderCommandTest.render("-f", CORPUS.resolve("valid-minimal.yaml").toString(), "--cluster");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo(
        "render: Missing required parameter for option '--cluster' (<cluster>) (see mlops-operator render --help)");
  }

  /** A valid TrainingJob followed by about 5 MiB of comments: legal, so it must render. */
  private static Path bigLegalFile(Path dir) throws IOException {
    StringBuilder text = new StringBuilder("""
        apiVersion: mlops.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: big-comment, namespace: ml-team}
        spec: {image: "nvcr.io/nvidia/pytorch:24.05-py3", nodes: 2, gpusPerNode: 8}
        """);
    String line = "# " + "lorem ipsum dolor sit amet, consectetur adipiscing elit ".repeat(2) + "\n";
    while (text.length() < 5 * 1024 * 1024) {
      text.append(line);
    }
    Path file = dir.resolve("syntax-big-legal.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static Path corpus() {
    try {
      return Path.of(Objects.requireNonNull(BadInputCorpusTest.class.getClassLoader().getResource("bad-input/index.tsv"))
          .toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
