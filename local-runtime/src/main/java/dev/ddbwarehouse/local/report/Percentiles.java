package dev.ddbwarehouse.local.report;

import java.util.Arrays;

/** Samples in a growing array; nearest-rank percentiles. Thread-safe. */
public final class Percentiles {

  private long[] samples = new long[1024];
  private int size;

  public synchronized void add(long sample) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = sample;
  }

  /** Hands every sample to {@code sink}, in the order added. */
  public synchronized void forEach(java.util.function.LongConsumer sink) {
    for (int i = 0; i < size; i++) sink.accept(samples[i]);
  }

  public synchronized int count() {
    return size;
  }

  /** The nearest-rank percentile, {@code p} in (0, 100]; 0 when there are no samples. */
  public synchronized long percentile(double p) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }
}
