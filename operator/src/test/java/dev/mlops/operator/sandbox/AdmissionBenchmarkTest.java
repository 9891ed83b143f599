package dev.mlops.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The admission bench runs the operator's ledger to the end: every gang admitted, never more GPUs than a node has. */
class AdmissionBenchmarkTest {

  @Test
  void everyQueuedGangIsAdmittedInTheEndAndNoNodeIsOverAdmitted() {
    AdmissionBenchmark.Figures figures = AdmissionBenchmark.measure(300, 30, 7);
    assertThat(figures.admissions()).isEqualTo(300);
    assertThat(figures.maxQueued()).as("the gangs did not all fit at once: the queue was exercised").isGreaterThan(250);
    assertThat(figures.neverOverAdmitted()).isTrue();
    assertThat(figures.passes()).isPositive().isLessThan(figures.decisions());
  }
}
