package dev.ddbwarehouse.local.synth;

import dev.ddbwarehouse.local.dynamo.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes fake transactions through the DynamoDB API the way an application would: inserts and
 * deletes in BatchWriteItem chunks, status updates with UpdateItem bumping {@code updatedAt}.
 * Requests run on a few threads, as an application's would; what is written is decided up front
 * from the seed, so the data is the same in every run, only the interleaving differs. Each write is
 * logged just before it is sent, so a fast poller never sees a record before its write time.
 */
public final class SourceWorkload implements AutoCloseable {

  /** BatchWriteItem takes at most 25 requests. */
  private static final int BATCH_WRITE_LIMIT = 25;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final TransactionFaker faker;
  private final WriteLog log;
  private final ExecutorService writers;
  private final List<SyntheticTransaction> live = new ArrayList<>();

  public SourceWorkload(
      DynamoDbClient dynamoDb,
      SourceTable table,
      TransactionFaker faker,
      WriteLog log,
      int threads) {
    this(dynamoDb, table.name(), faker, log, threads);
  }

  /** On a table by name: it may have no stream yet (items that only a backfill will carry). */
  public SourceWorkload(
      DynamoDbClient dynamoDb, String table, TransactionFaker faker, WriteLog log, int threads) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.faker = faker;
    this.log = log;
    this.writers =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().name("source-writer-", 1).factory());
  }

  /** Inserts {@code count} new transactions. */
  public void insert(int count) {
    List<SyntheticTransaction> created = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      created.add(faker.next());
    }
    live.addAll(created);
    List<Runnable> chunks = new ArrayList<>();
    for (int from = 0; from < count; from += BATCH_WRITE_LIMIT) {
      List<SyntheticTransaction> chunk =
          created.subList(from, Math.min(count, from + BATCH_WRITE_LIMIT));
      chunks.add(() -> batchWrite(chunk.stream().map(t -> put(t)).toList()));
    }
    runAll(chunks);
  }

  /** Updates the status of {@code count} distinct live transactions (fewer if not enough exist). */
  public int updateStatuses(int count) {
    int done = Math.min(count, live.size());
    List<Runnable> updates = new ArrayList<>(done);
    for (int i = 0; i < done; i++) {
      int index = (int) ((long) i * live.size() / done);
      SyntheticTransaction after = later(live.get(index), faker.laterStatus());
      live.set(index, after);
      updates.add(() -> update(after));
    }
    runAll(updates);
    return done;
  }

  /** Deletes {@code count} live transactions picked at random (fewer if not enough exist). */
  public int delete(int count) {
    List<SyntheticTransaction> gone = new ArrayList<>();
    while (gone.size() < count && !live.isEmpty()) {
      gone.add(live.remove(faker.nextInt(live.size())));
    }
    List<Runnable> chunks = new ArrayList<>();
    for (int from = 0; from < gone.size(); from += BATCH_WRITE_LIMIT) {
      List<SyntheticTransaction> chunk =
          gone.subList(from, Math.min(gone.size(), from + BATCH_WRITE_LIMIT));
      chunks.add(() -> batchWrite(chunk.stream().map(SourceWorkload::deletion).toList()));
    }
    runAll(chunks);
    return gone.size();
  }

  /**
   * One write of a steady load, on the calling thread: mostly inserts, some updates, a few deletes.
   */
  public void oneMixedWrite() {
    int dice = faker.nextInt(100);
    if (dice < 5 && live.size() > 10) {
      SyntheticTransaction gone = live.remove(faker.nextInt(live.size()));
      batchWrite(List.of(deletion(gone)));
    } else if (dice < 30 && !live.isEmpty()) {
      int index = faker.nextInt(live.size());
      SyntheticTransaction after = later(live.get(index), faker.laterStatus());
      live.set(index, after);
      update(after);
    } else {
      SyntheticTransaction t = faker.next();
      live.add(t);
      batchWrite(List.of(put(t)));
    }
  }

  /** The customers of this workload's transactions (their profiles go to the second table). */
  public List<FakePerson> people() {
    return faker.people();
  }

  /** Transactions live in the table now, as this workload wrote them. */
  public int liveCount() {
    return live.size();
  }

  private WriteRequest put(SyntheticTransaction t) {
    log.identifying(t.identifyingValues());
    return WriteRequest.builder().putRequest(PutRequest.builder().item(t.toItem()).build()).build();
  }

  private static WriteRequest deletion(SyntheticTransaction t) {
    return WriteRequest.builder()
        .deleteRequest(DeleteRequest.builder().key(key(t)).build())
        .build();
  }

  private void batchWrite(List<WriteRequest> requests) {
    long now = System.nanoTime();
    for (WriteRequest request : requests) {
      Map<String, AttributeValue> item =
          request.putRequest() != null
              ? request.putRequest().item()
              : request.deleteRequest().key();
      log.written(item.get(SourceTable.PARTITION_KEY).s(), now);
    }
    Map<String, List<WriteRequest>> pending = Map.of(table, requests);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
    }
  }

  private void update(SyntheticTransaction after) {
    log.written(after.transactionId(), System.nanoTime());
    dynamoDb.updateItem(
        b ->
            b.tableName(table)
                .key(key(after))
                .updateExpression("SET #s = :s, updatedAt = :u")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(
                    Map.of(
                        ":s", AttributeValue.fromS(after.status()),
                        ":u", AttributeValue.fromS(after.updatedAt().toString()))));
  }

  private static Map<String, AttributeValue> key(SyntheticTransaction t) {
    return Map.of(SourceTable.PARTITION_KEY, AttributeValue.fromS(t.transactionId()));
  }

  private void runAll(List<Runnable> tasks) {
    List<Future<?>> futures = tasks.stream().<Future<?>>map(writers::submit).toList();
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing to DynamoDB Local", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a write to DynamoDB Local failed", e.getCause());
      }
    }
  }

  /** The same transaction with a new status and a later version, as an update leaves it. */
  private SyntheticTransaction later(SyntheticTransaction t, String status) {
    return new SyntheticTransaction(
        t.transactionId(),
        t.person(),
        t.counterpartyIban(),
        t.counterpartyName(),
        t.ipAddress(),
        t.amount(),
        t.currency(),
        t.type(),
        status,
        t.merchantName(),
        t.merchantCategoryCode(),
        t.country(),
        t.tags(),
        t.createdAt(),
        t.updatedAt().plus(faker.updateDelay()),
        t.metadata());
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }
}
