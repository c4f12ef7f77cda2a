package dev.ddbwarehouse.lambda;

import dev.ddbwarehouse.aws.AwsConfigSource;
import dev.ddbwarehouse.config.ConfigSource;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import dev.ddbwarehouse.core.pipeline.BatchProcessor;
import dev.ddbwarehouse.core.pipeline.RecordSource;
import dev.ddbwarehouse.core.pipeline.UnreadableEventException;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.db.DatabaseCredentials;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.db.TimeBudget;
import dev.ddbwarehouse.observability.BatchTelemetry;
import dev.ddbwarehouse.observability.JsonLog;
import dev.ddbwarehouse.schema.jooq.DefaultCatalog;
import dev.ddbwarehouse.sink.jooq.JooqWarehouseSink;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jooq.Catalog;

/** The wired core: configuration in, a batch processor with its sink and telemetry out. */
final class Pipeline {

  private final BatchProcessor processor;
  private final ChangeMapper changes;
  private final JooqWarehouseSink sink;
  private final SingleConnection connection;
  private final DatabaseCredentials credentials;
  private final BatchTelemetry telemetry;
  private final JsonLog log;
  private final TimeBudget budget;

  private Pipeline(
      BatchProcessor processor,
      ChangeMapper changes,
      JooqWarehouseSink sink,
      SingleConnection connection,
      DatabaseCredentials credentials,
      BatchTelemetry telemetry,
      JsonLog log,
      TimeBudget budget) {
    this.processor = processor;
    this.changes = changes;
    this.sink = sink;
    this.connection = connection;
    this.credentials = credentials;
    this.telemetry = telemetry;
    this.log = log;
    this.budget = budget;
  }

  static Pipeline fromEnvironment(Map<String, String> env, BatchObserver observer) {
    return wire(
        EtlConfig.fromEnv(env, awsSource(env)), observer, env.get("AWS_LAMBDA_FUNCTION_NAME"));
  }

  static Pipeline wire(EtlConfig config, BatchObserver observer, String functionName) {
    return wire(config, observer, functionName, System.out);
  }

  /** As Lambda runs it, with the JSON log lines and EMF documents going to {@code logs}. */
  static Pipeline wire(
      EtlConfig config, BatchObserver observer, String functionName, PrintStream logs) {
    return wire(config, observer, functionName, logs, DefaultCatalog.DEFAULT_CATALOG);
  }

  /**
   * As Lambda runs it, checking the mapping against {@code catalog}: the jOOQ classes generated
   * from the migrations (tests pass a catalog generated with their own migrations too).
   */
  static Pipeline wire(
      EtlConfig config,
      BatchObserver observer,
      String functionName,
      PrintStream logs,
      Catalog catalog) {
    Clock clock = Clock.systemUTC();
    ChangeMapper changes =
        new ChangeMapper(config.mapping(), new Pseudonymiser(config.keys()), clock);
    TimeBudget budget = new TimeBudget();
    SingleConnection connection = new SingleConnection(config.database(), budget);
    JooqWarehouseSink sink =
        new JooqWarehouseSink(config.mapping(), catalog, connection, budget, config.keys());
    BatchProcessor processor = new BatchProcessor(changes, sink, clock, observer);
    JsonLog log = new JsonLog(logs, clock);
    // Loud on purpose: an operator chose to put a raw identifier in front of analysts.
    for (TableSpec table : config.mapping().tables()) {
      for (String attribute : table.identifyingStoredRaw()) {
        log.warn(
            "mapping document stores an identifying attribute raw (storeIdentifyingRaw)",
            Map.of("table", table.name(), "attribute", attribute));
      }
    }
    BatchTelemetry telemetry = new BatchTelemetry(log, clock, functionName);
    return new Pipeline(
        processor, changes, sink, connection, config.database(), telemetry, log, budget);
  }

  /** Starts an invocation that Lambda ends {@code remainingMillis} from now (see TimeBudget). */
  void beginInvocation(long remainingMillis) {
    budget.begin(remainingMillis);
  }

  /**
   * One invocation's event, read as it is processed (see {@link BatchProcessor#process(
   * dev.ddbwarehouse.core.pipeline.RecordSource, java.util.function.Supplier)}); when the batch
   * goes the whole way, read again from the stream's mark. {@code event} must support mark and
   * reset and be marked at its start.
   *
   * @throws UnreadableEventException when the event is not a stream event; logged here
   */
  BatchOutcome process(InputStream event) {
    Span span = new Span();
    StreamEventReader reader = StreamEventReader.of(event);
    BatchOutcome outcome;
    try {
      outcome =
          processor.process(
              () -> span.seen(reader.next()),
              () -> {
                List<IncomingRecord> all = StreamEventReader.readAll(again(event));
                span.reset();
                all.forEach(span::seen);
                return all;
              });
    } catch (UnreadableEventException e) {
      log.error(
          "the invocation's event is not a readable DynamoDB Streams event: nothing committed",
          Map.of("problem", e.getMessage()));
      throw e;
    }
    if (span.first != null) telemetry.record(outcome, span.first, span.last, span.oldest);
    return outcome;
  }

  /** The event from its start again. */
  private static StreamEventReader again(InputStream event) {
    try {
      event.reset();
    } catch (java.io.IOException e) {
      throw new UnreadableEventException(
          "the event cannot be read again: " + e.getClass().getName());
    }
    return StreamEventReader.of(event);
  }

  /** The first and last sequence numbers of a batch and its oldest record, as read. */
  private static final class Span {
    String first;
    String last;
    Instant oldest;

    IncomingRecord seen(IncomingRecord r) {
      if (r == null) return null;
      if (first == null) first = r.meta().sequenceNumber();
      last = r.meta().sequenceNumber();
      Instant created = r.meta().approximateCreation();
      if (created != null && (oldest == null || created.isBefore(oldest))) oldest = created;
      return r;
    }

    void reset() {
      first = null;
      last = null;
      oldest = null;
    }
  }

  /**
   * Runs a synthetic record through every step of a batch except the database round trip:
   * unmarshalling, policy, pseudonyms, and rendering the upsert SQL. Writes nothing.
   *
   * @return how many synthetic records reached the SQL rendering: 0 when the mapping document
   *     refused them, and then the first batch pays jOOQ's warm-up (logged as a warning)
   */
  int prime() {
    int rendered = 0;
    List<IncomingRecord> records =
        StreamEventReader.readAll(PrimingEvent.create(changes.mapping()));
    for (IncomingRecord record : records) {
      Change change = changes.map(record);
      if (change instanceof Change.Upsert upsert) {
        sink.render(List.of(upsert));
        rendered++;
      } else {
        // Silent, this once cost every cold start the whole of jOOQ's first use (about 200 ms).
        log.warn(
            "priming record did not map to an upsert: the first batch warms jOOQ itself",
            Map.of("outcome", outcome(change)));
      }
    }
    return rendered;
  }

  /**
   * Runs the priming event through the per-record path (reading, policy, pseudonyms, the direct
   * lane's COPY encoding; no database) until {@code records} records or {@code budget} have passed,
   * so that the JIT compiles it with C2 before a SnapStart snapshot: a restored environment then
   * starts on compiled code instead of profiling the first batches.
   *
   * @return the records run through
   */
  int primeHotPath(int records, Duration budget) {
    byte[] event = PrimingEvent.create(changes.mapping());
    JooqWarehouseSink.PrimingEncoder encoder = sink.primingEncoder();
    long deadline = System.nanoTime() + budget.toNanos();
    int done = 0;
    while (done < records && System.nanoTime() - deadline < 0) {
      int before = done;
      RecordSource source = StreamEventReader.of(event);
      for (IncomingRecord r = source.next(); r != null; r = source.next()) {
        if (changes.map(r) instanceof Change.Upsert upsert) encoder.encode(upsert);
        done++;
      }
      if (done == before) break; // a mapping without tables: nothing to prime
    }
    return done;
  }

  private static String outcome(Change change) {
    return change instanceof Change.Quarantine q
        ? q.problem().code().name()
        : change.getClass().getSimpleName();
  }

  /**
   * On an ordinary cold start, does the first batch's one-off work (jOOQ's first use is half a cold
   * start; connecting is a network round trip, then the first transaction's time budget starts the
   * watchdog and loads the driver's statement classes) on other threads while the runtime is still
   * reading the first event. Under SnapStart the checkpoint hook primes instead, and no connection
   * may be opened before the snapshot.
   */
  void warmUpInBackground(Map<String, String> env) {
    if ("snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"))) return;
    // Two threads: connecting is mostly waiting on the network and the server, priming is class
    // loading; neither should queue behind the other.
    start(
        "pipeline-connect",
        () -> {
          try {
            connection.warmUp();
          } catch (java.sql.SQLException e) {
            // Best effort only: the first batch connects again and reports any failure where it
            // counts (the batch log and batchItemFailures).
          }
        });
    start("pipeline-prime", this::prime);
  }

  private static void start(String name, Runnable work) {
    Thread t =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (RuntimeException e) {
                // Best effort, as above: the first batch runs the same code and reports failures.
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  void releaseConnection() {
    connection.close();
  }

  void expireDatabaseSecret() {
    credentials.expire();
  }

  private static Supplier<ConfigSource> awsSource(Map<String, String> env) {
    return () -> AwsConfigSource.fromEnvironment(env);
  }
}
