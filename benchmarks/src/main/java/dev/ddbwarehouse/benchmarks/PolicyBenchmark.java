package dev.ddbwarehouse.benchmarks;

import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.table.RowMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One item image through the default policy ({@link RowMapper#map}): typed columns, five normalised
 * HMAC pseudonyms, IP generalisation, dropped attributes. The whole of the JVM's share, from event
 * bytes to COPY bytes with this step in it, is {@code sink.jooq.EventToCopyBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBenchmark {

  private RowMapper mapper;
  private List<Item> items;
  private int next;

  @Setup
  public void setUp() {
    mapper = SampleTransactions.mapper();
    // Many distinct items, so branch predictors and caches see varied input, as in a real batch.
    items = SampleTransactions.items(1024);
    items.forEach(mapper::map); // fails here, not in the measurement, if a sample is invalid
  }

  @Benchmark
  public RowMapper.Mapped applyToItem() {
    Item item = items.get(next);
    next = (next + 1) & 1023;
    return mapper.map(item);
  }
}
