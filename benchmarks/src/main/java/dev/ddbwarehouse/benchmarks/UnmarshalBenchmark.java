package dev.ddbwarehouse.benchmarks;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lambda event JSON to {@link DynamodbEvent} through the Lambda Java runtime's own serialiser: the
 * step the runtime performs before the handler runs. Scored per record, on 100-record events, so it
 * compares with the pipeline's records per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UnmarshalBenchmark {

  static final int RECORDS = 100;

  private PojoSerializer<DynamodbEvent> serializer;
  private byte[] event;

  @Setup
  public void setUp() {
    serializer =
        LambdaEventSerializers.serializerFor(
            DynamodbEvent.class, UnmarshalBenchmark.class.getClassLoader());
    event = SampleTransactions.eventJson(SampleTransactions.items(RECORDS));
    if (serializer.fromJson(new ByteArrayInputStream(event)).getRecords().size() != RECORDS) {
      throw new IllegalStateException("sample event did not parse into " + RECORDS + " records");
    }
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public DynamodbEvent eventJsonPerRecord() {
    return serializer.fromJson(new ByteArrayInputStream(event));
  }
}
