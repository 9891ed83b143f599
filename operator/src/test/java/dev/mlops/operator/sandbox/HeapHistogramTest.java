package dev.mlops.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapHistogramTest {

  private static String histogram(String... rows) {
    StringBuilder s = new StringBuilder(" num     #instances         #bytes  class name (module)\n"
        + "-------------------------------------------------------\n");
    for (int i = 0; i < rows.length; i++) {
      s.append(String.format("%4d: %s%n", i + 1, rows[i]));
    }
    return s.append("Total         1        1\n").toString();
  }

  @Test
  void perJobCostIsLoadedDifferenceLessBaselineDifference() {
    // The operator's fixed cost (1,000 bytes of String, 500 of Node) cancels out; only what the jobs added stays.
    String baseWithout = histogram("100 4000 java.lang.String (java.base@17)");
    String baseWith = histogram("110 5000 java.lang.String (java.base@17)", "5 500 io.fabric8.kubernetes.api.model.Node");
    String loadedWithout = histogram("300 9000 java.lang.String (java.base@17)");
    String loadedWith = histogram("350 14000 java.lang.String (java.base@17)", "5 500 io.fabric8.kubernetes.api.model.Node",
        "40 8000 io.fabric8.kubernetes.api.model.Pod");
    var rows = HeapHistogram.difference(loadedWith, loadedWithout, baseWith, baseWithout);
    assertThat(rows.get(0)).isEqualTo(new HeapHistogram.Row("io.fabric8.kubernetes.api.model.Pod", 40, 8000));
    assertThat(rows.get(1)).isEqualTo(new HeapHistogram.Row("java.lang.String", 40, 4000));
    assertThat(rows).anyMatch(r -> r.type().endsWith("Node") && r.bytes() == 0);
  }
}
