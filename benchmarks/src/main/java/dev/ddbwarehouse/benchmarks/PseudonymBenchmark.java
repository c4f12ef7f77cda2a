package dev.ddbwarehouse.benchmarks;

import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One pseudonym: HMAC-SHA256 over namespace, separator and an e-mail-sized value, hex encoded. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PseudonymBenchmark {

  private Pseudonymiser pseudonymiser;
  private String[] values;
  private int next;

  @Setup
  public void setUp() {
    pseudonymiser = SampleTransactions.pseudonymiser();
    values = new String[1024];
    for (int i = 0; i < values.length; i++) {
      values[i] = String.format(Locale.ROOT, "person.%d@example.com", i * 7919);
    }
  }

  @Benchmark
  public String hmac() {
    String value = values[next];
    next = (next + 1) & 1023;
    return pseudonymiser.pseudonym("email", value);
  }
}
