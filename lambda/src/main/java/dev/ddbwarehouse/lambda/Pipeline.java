package dev.ddbwarehouse.lambda;

import dev.ddbwarehouse.config.ConfigSource;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import dev.ddbwarehouse.core.pipeline.BatchProcessor;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.transaction.TransactionMapper;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.observability.BatchTelemetry;
import dev.ddbwarehouse.observability.JsonLog;
import dev.ddbwarehouse.sink.jooq.JooqWarehouseSink;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** The wired core: configuration in, a batch processor with its sink and telemetry out. */
final class Pipeline {

  private final BatchProcessor processor;
  private final BatchTelemetry telemetry;

  Pipeline(BatchProcessor processor, BatchTelemetry telemetry) {
    this.processor = processor;
    this.telemetry = telemetry;
  }

  static Pipeline fromEnvironment(Map<String, String> env, BatchObserver observer) {
    return wire(EtlConfig.fromEnv(env, awsSource()), observer, env.get("AWS_LAMBDA_FUNCTION_NAME"));
  }

  static Pipeline wire(EtlConfig config, BatchObserver observer, String functionName) {
    Clock clock = Clock.systemUTC();
    TransactionMapper transactions = new TransactionMapper(config.policy(), new Pseudonymiser(config.keys()));
    ChangeMapper changes = new ChangeMapper(transactions, config.policy().ttlDeletes(), clock);
    JooqWarehouseSink sink = new JooqWarehouseSink(new SingleConnection(config.database()));
    BatchProcessor processor = new BatchProcessor(changes, sink, clock, observer);
    return new Pipeline(processor, new BatchTelemetry(new JsonLog(System.out, clock), clock, functionName));
  }

  BatchOutcome process(List<IncomingRecord> records) {
    BatchOutcome outcome = processor.process(records);
    if (!records.isEmpty()) {
      Instant oldest =
          records.stream()
              .map(r -> r.meta().approximateCreation())
              .filter(Objects::nonNull)
              .min(Instant::compareTo)
              .orElse(null);
      telemetry.record(
          outcome,
          records.get(0).meta().sequenceNumber(),
          records.get(records.size() - 1).meta().sequenceNumber(),
          oldest);
    }
    return outcome;
  }

  private static Supplier<ConfigSource> awsSource() {
    return () -> {
      throw new InvalidConfigurationException("AWS configuration sources are not available in this build");
    };
  }
}
