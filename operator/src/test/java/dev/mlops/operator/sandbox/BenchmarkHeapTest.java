package dev.mlops.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The heap figure is printed only when the method can resolve it. */
class BenchmarkHeapTest {

  @Test
  void aDifferenceWithinTheResolutionIsNotAFigure() {
    double resolution = Benchmark.resolutionMib(3L * 1024 * 1024);
    assertThat(resolution).isEqualTo(12.0);
    assertThat(Benchmark.heapPerThousandJobs(10.0, resolution, 300)).isEmpty();
    // What a clamp to zero once printed as 0.0.
    assertThat(Benchmark.heapPerThousandJobs(-4.0, resolution, 300)).isEmpty();
    assertThat(Benchmark.heapPerThousandJobs(30.0, resolution, 300)).hasValueCloseTo(100.0,
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theResolutionIsNeverFinerThanOneMiB() {
    assertThat(Benchmark.resolutionMib(0)).isEqualTo(1.0);
    assertThat(Benchmark.heapPerThousandJobs(0.9, Benchmark.resolutionMib(0), 1000)).isEmpty();
  }
}
