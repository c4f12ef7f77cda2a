package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.benchmarks.SampleTransactions;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.pipeline.RecordSource;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.lambda.EventReading;
import dev.ddbwarehouse.schema.jooq.DefaultCatalog;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JVM's whole share of a batch of INSERTs, from the invocation's bytes to the COPY bytes the
 * INSERT lane sends: the function's streaming reader, the default mapping's policy (five HMAC
 * pseudonyms per record), and the direct COPY's row encoding into 64 KiB UTF-8 chunks, all in
 * memory. Scored per record over a realistic 1,000-record event; the database's share is not in it
 * (see scripts/bench.sh for the whole pipeline against a raw COPY).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventToCopyBenchmark {

  static final int RECORDS = 1_000;

  private byte[] event;
  private ChangeMapper mapper;
  private List<Function<Change.Write, String>> fields;
  private final CopyText.Encoder chunk = new CopyText.Encoder();

  @Setup
  public void setUp() {
    Mapping mapping = MappingDocument.defaults();
    mapper = new ChangeMapper(mapping, SampleTransactions.pseudonymiser(), Clock.systemUTC());
    CopyUpsert table =
        new CopyUpsert(
            BoundTable.bind(
                mapping.table("transactions").orElseThrow(), DefaultCatalog.DEFAULT_CATALOG),
            List.of());
    fields = table.directFields(OffsetDateTime.now(ZoneOffset.UTC));
    event = SampleTransactions.eventJson(SampleTransactions.items(RECORDS));
    if (encode() != RECORDS) {
      throw new IllegalStateException("the sample event did not map to " + RECORDS + " upserts");
    }
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public int eventBytesToCopyBytesPerRecord() {
    return encode();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public int readOnlyPerRecord() {
    RecordSource records = EventReading.reader(event);
    int n = 0;
    for (IncomingRecord r = records.next(); r != null; r = records.next()) n++;
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public int readAndMapPerRecord() {
    RecordSource records = EventReading.reader(event);
    int n = 0;
    for (IncomingRecord r = records.next(); r != null; r = records.next()) {
      if (mapper.map(r) instanceof Change.Upsert) n++;
    }
    return n;
  }

  /** The rows encoded; the chunks' sizes are folded in so nothing is optimised away. */
  private int encode() {
    RecordSource records = EventReading.reader(event);
    int rows = 0;
    long bytes = 0;
    chunk.reset();
    for (IncomingRecord r = records.next(); r != null; r = records.next()) {
      if (mapper.map(r) instanceof Change.Upsert u) {
        chunk.row(u, fields);
        rows++;
        if (chunk.size() >= CopyText.CHUNK_BYTES) {
          bytes += chunk.size(); // where the lane sends the chunk
          chunk.reset();
        }
      }
    }
    bytes += chunk.size();
    return bytes > 0 ? rows : -1;
  }
}
