package dev.mlops.operator.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Live-object class histograms of this JVM (what {@code jcmd PID GC.class_histogram} prints, taken
 * in-process after a full GC) and the difference of two, to see what the operator's heap is made of.
 */
final class HeapHistogram {

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private HeapHistogram() {}

  static String take() {
    try {
      return (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {null}, new String[] {String[].class.getName()});
    } catch (Exception e) {
      throw new IllegalStateException("class histogram not available in this JVM: " + e.getMessage(), e);
    }
  }

  record Row(String type, long instances, long bytes) {}

  static long totalBytes(String histogram) {
    return parse(histogram).values().stream().mapToLong(Row::bytes).sum();
  }

  /** Class → row; an absent histogram (null) is empty. */
  static Map<String, Row> parse(String histogram) {
    Map<String, Row> rows = new HashMap<>();
    if (histogram == null) {
      return rows;
    }
    for (String line : histogram.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.put(m.group(3), new Row(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
      }
    }
    return rows;
  }

  /** Per class: (loaded with − loaded without) − (baseline with − baseline without), largest first. */
  static List<Row> difference(String loadedWith, String loadedWithout, String baseWith, String baseWithout) {
    Map<String, Long[]> sums = new HashMap<>();
    add(sums, parse(loadedWith), 1);
    add(sums, parse(loadedWithout), -1);
    add(sums, parse(baseWith), -1);
    add(sums, parse(baseWithout), 1);
    List<Row> diff = new ArrayList<>();
    sums.forEach((type, v) -> diff.add(new Row(type, v[0], v[1])));
    diff.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
    return diff;
  }

  private static void add(Map<String, Long[]> sums, Map<String, Row> rows, int sign) {
    rows.forEach((type, row) -> {
      Long[] v = sums.computeIfAbsent(type, k -> new Long[] {0L, 0L});
      v[0] += sign * row.instances();
      v[1] += sign * row.bytes();
    });
  }

  static void writeDifference(String loadedWith, String loadedWithout, String baseWith, String baseWithout,
      int jobs, Path file) {
    List<Row> diff = difference(loadedWith, loadedWithout, baseWith, baseWithout);
    long total = diff.stream().mapToLong(Row::bytes).sum();
    StringBuilder out = new StringBuilder(String.format(
        "# operator heap by class, per job: live objects%s, with %d"
            + " TrainingJobs Running, less the same before the first job%n"
            + "# total %.1f MiB, %.1f MiB per 1,000 jobs%n%12s %14s %16s  %s%n",
        loadedWithout == null ? " (the operator alone in this JVM)" : " with the operator running minus stopped",
        jobs, total / 1048576.0, total / 1048576.0 * 1000 / jobs, "instances", "bytes", "bytes/job", "class"));
    diff.stream().limit(40).forEach(r -> out.append(String.format("%12d %14d %16.0f  %s%n",
        r.instances(), r.bytes(), (double) r.bytes() / jobs, r.type())));
    try {
      Files.writeString(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
