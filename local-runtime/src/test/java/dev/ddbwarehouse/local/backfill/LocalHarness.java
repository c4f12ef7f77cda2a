package dev.ddbwarehouse.local.backfill;

import dev.ddbwarehouse.backfill.drain.StreamDrainCheck;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.stream.EventSourceMapping;
import dev.ddbwarehouse.local.stream.PollerSettings;
import dev.ddbwarehouse.local.stream.StreamBatchFunction;
import dev.ddbwarehouse.local.synth.TransactionFaker;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One DynamoDB Local, one warehouse and the real handler per test JVM, plus the local runtime's
 * stream poller run on as many streams as a test needs: the live source stream and the shadow's.
 */
final class LocalHarness {

  static final String KEY = "transactionId";
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static LocalHarness shared;

  final DynamoDbLocal dynamo;
  final TestWarehouse warehouse;
  final Path hmacSecret;

  /**
   * A version 1 mapping document: its one entry (transactions) takes the records of every table, so
   * the tests' uniquely named source tables need no entry each. verify and teardown get it too.
   */
  final Path mappingFile;

  final StreamBatchFunction function;
  private final Map<String, Thread> pollers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> stopping = new ConcurrentHashMap<>();
  private final AtomicReference<RuntimeException> pollerFailure = new AtomicReference<>();

  private LocalHarness() {
    dynamo = DynamoDbLocal.start();
    warehouse = TestWarehouse.shared();
    hmacSecret = writeHmacSecret();
    mappingFile = writeFile("backfill-it-mapping", ".json", "{\"attributes\": {}}");
    function = functionFor(hmacSecret);
    Runtime.getRuntime().addShutdownHook(new Thread(dynamo::close, "dynamodb-local-stop"));
  }

  /**
   * The real handler on the key ring {@code keyFile} holds now, as a new execution environment
   * reads it (the local handler reads its key file once): what a test that rotates keys runs after
   * the rotation. The shared {@link #function} keeps the harness's own ring.
   */
  StreamBatchFunction functionFor(Path keyFile) {
    WarehouseFunction.Settings settings =
        new WarehouseFunction.Settings(
            warehouse.jdbcUrl(),
            TestWarehouse.WRITER_USER,
            TestWarehouse.TEST_PASSWORD,
            keyFile,
            mappingFile,
            null);
    return WarehouseFunction.create(settings, BatchObserver.NONE);
  }

  /** A fresh one-version ring ({@code v1}) in its own file, for a test that changes its ring. */
  static Path newKeyFile() {
    return writeHmacSecret();
  }

  static synchronized LocalHarness shared() {
    if (shared == null) {
      shared = new LocalHarness();
    }
    return shared;
  }

  DynamoDbClient dynamoDb() {
    return dynamo.dynamoDb();
  }

  static String uniqueName(String prefix) {
    return prefix + "-" + TABLES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
  }

  /**
   * A source table as an older application made it: no stream yet, so its history is in no stream.
   */
  String createSourceWithoutStream(String name) {
    dynamoDb()
        .createTable(
            b ->
                b.tableName(name)
                    .keySchema(
                        KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build())
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName(KEY)
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
    return name;
  }

  /**
   * Turns the source's stream on (NEW_AND_OLD_IMAGES, as the live mapping needs); returns its ARN.
   */
  String enableStream(String table) {
    dynamoDb()
        .updateTable(
            b ->
                b.tableName(table)
                    .streamSpecification(
                        StreamSpecification.builder()
                            .streamEnabled(true)
                            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                            .build()));
    return dynamoDb().describeTable(b -> b.tableName(table)).table().latestStreamArn();
  }

  /** {@code count} fake transactions from the local runtime's generator, written on 4 threads. */
  List<Map<String, AttributeValue>> writeItems(String table, long seed, int count) {
    TransactionFaker faker = new TransactionFaker(seed, count);
    List<Map<String, AttributeValue>> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(faker.next().toItem());
    }
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int from = 0; from < count; from += 25) {
        List<Map<String, AttributeValue>> chunk = items.subList(from, Math.min(count, from + 25));
        futures.add(writers.submit(() -> putAll(table, chunk)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("writing test items failed", e);
    } finally {
      writers.shutdownNow();
    }
    return items;
  }

  private void putAll(String table, List<Map<String, AttributeValue>> chunk) {
    List<WriteRequest> pending =
        chunk.stream()
            .map(
                i ->
                    WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
            .toList();
    while (!pending.isEmpty()) {
      List<WriteRequest> sending = pending;
      BatchWriteItemResponse r =
          dynamoDb().batchWriteItem(b -> b.requestItems(Map.of(table, sending)));
      pending = r.unprocessedItems().getOrDefault(table, List.of());
    }
  }

  static PollerSettings mappingSettings() {
    return PollerSettings.defaults().withIdlePollInterval(Duration.ofMillis(20));
  }

  /** Starts the local event source mapping on a stream, invoking the real handler. */
  void poll(String streamArn, StreamPositions positions) {
    poll(streamArn, positions, function);
  }

  /** As {@link #poll(String, StreamPositions)}, invoking {@code function} (another mapping). */
  void poll(String streamArn, StreamPositions positions, StreamBatchFunction function) {
    EventSourceMapping mapping =
        new EventSourceMapping(
            dynamo.streams(),
            streamArn,
            mappingSettings(),
            function,
            new SettledPositions(positions));
    stopping.put(streamArn, false);
    Thread thread =
        Thread.ofPlatform()
            .name("esm-" + pollers.size())
            .unstarted(
                () -> {
                  try {
                    mapping.runUntil(() -> stopping.getOrDefault(streamArn, true));
                  } catch (RuntimeException e) {
                    pollerFailure.compareAndSet(null, e);
                  }
                });
    pollers.put(streamArn, thread);
    thread.start();
  }

  void stopPolling(String streamArn) {
    stopping.put(streamArn, true);
    Thread thread = pollers.remove(streamArn);
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void stopAll() {
    List.copyOf(pollers.keySet()).forEach(this::stopPolling);
    RuntimeException failure = pollerFailure.getAndSet(null);
    if (failure != null) {
      throw new IllegalStateException("a stream poller failed", failure);
    }
  }

  /** Waits until the poller has settled every record of the stream. */
  void awaitDrained(String streamArn, StreamPositions positions, Duration max)
      throws InterruptedException {
    StreamDrainCheck check = new StreamDrainCheck(dynamo.streams(), streamArn, positions);
    long deadline = System.nanoTime() + max.toNanos();
    while (!check.check().drained()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("stream not drained after " + max + ": " + check.check().detail());
      }
      if (pollerFailure.get() != null) {
        throw new IllegalStateException("a stream poller failed", pollerFailure.get());
      }
      Thread.sleep(50);
    }
  }

  /** The shadow poller of {@link LocalBackfill}: the same local mapping, started on demand. */
  LocalBackfill.ShadowPoller shadowPoller() {
    return shadowPoller(function);
  }

  /** As {@link #shadowPoller()}, invoking {@code function}. */
  LocalBackfill.ShadowPoller shadowPoller(StreamBatchFunction function) {
    return new LocalBackfill.ShadowPoller() {
      @Override
      public void attach(String shadowTable, String streamArn, StreamPositions positions) {
        poll(streamArn, positions, function);
      }

      @Override
      public void detach(String streamArn) {
        stopPolling(streamArn);
      }
    };
  }

  /**
   * A shadow poller that starts reading only when released: a mapping that is attached but behind.
   */
  final class DeferredShadowPoller implements LocalBackfill.ShadowPoller {
    private final StreamBatchFunction target;
    private String streamArn;
    private StreamPositions positions;

    DeferredShadowPoller() {
      this(function);
    }

    DeferredShadowPoller(StreamBatchFunction target) {
      this.target = target;
    }

    @Override
    public synchronized void attach(String shadowTable, String arn, StreamPositions read) {
      this.streamArn = arn;
      this.positions = read;
    }

    synchronized void release() {
      poll(streamArn, positions, target);
    }

    @Override
    public void detach(String arn) {
      stopPolling(arn);
    }
  }

  /** A file holding the JSON shape of the Secrets Manager HMAC secret, with a fresh key. */
  private static Path writeHmacSecret() {
    try {
      Path file = Files.createTempFile("backfill-it-hmac", ".json");
      file.toFile().deleteOnExit();
      Files.delete(file); // generate writes it whole, by a rename
      HmacSecretFile.generate(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link LocalBackfill.Settings#of} with its checkpoint and folder deleted when the JVM exits:
   * the tests stop at teardown, where the local runner would delete them itself.
   */
  static LocalBackfill.Settings settings(String source) {
    LocalBackfill.Settings settings = LocalBackfill.Settings.of(source);
    settings.checkpoint().getParent().toFile().deleteOnExit(); // deleted after the file in it
    settings.checkpoint().toFile().deleteOnExit();
    return settings;
  }

  Path passwordFile() {
    return writeFile("backfill-it-db", ".txt", TestWarehouse.TEST_PASSWORD);
  }

  private static Path writeFile(String prefix, String suffix, String content) {
    try {
      Path file = Files.createTempFile(prefix, suffix);
      file.toFile().deleteOnExit(); // a test password must not outlive the run
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
