package dev.ddbwarehouse.local.synth;

import dev.ddbwarehouse.local.dynamo.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes fake transactions through the DynamoDB API the way an application would: inserts in
 * BatchWriteItem chunks, then status updates that bump {@code updatedAt}, then deletes. Every
 * write is recorded in the {@link WriteLog}.
 */
public final class SourceWorkload {

  /** BatchWriteItem takes at most 25 requests. */
  private static final int BATCH_WRITE_LIMIT = 25;

  private final DynamoDbClient dynamoDb;
  private final SourceTable table;
  private final TransactionFaker faker;
  private final WriteLog log;
  private final List<SyntheticTransaction> live = new ArrayList<>();

  public SourceWorkload(DynamoDbClient dynamoDb, SourceTable table, TransactionFaker faker, WriteLog log) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.faker = faker;
    this.log = log;
  }

  /** Inserts {@code count} new transactions; {@code progress} gets the number written so far. */
  public void insert(int count, IntConsumer progress) {
    List<SyntheticTransaction> chunk = new ArrayList<>(BATCH_WRITE_LIMIT);
    for (int i = 0; i < count; i++) {
      chunk.add(faker.next());
      if (chunk.size() == BATCH_WRITE_LIMIT || i == count - 1) {
        putAll(chunk);
        chunk.clear();
        progress.accept(i + 1);
      }
    }
  }

  /** Updates the status of {@code count} distinct live transactions (fewer if not enough exist). */
  public int updateStatuses(int count) {
    int done = Math.min(count, live.size());
    for (int i = 0; i < done; i++) {
      updateStatus((int) ((long) i * live.size() / done));
    }
    return done;
  }

  /** Deletes {@code count} live transactions picked at random (fewer if not enough exist). */
  public int delete(int count) {
    int done = 0;
    while (done < count && !live.isEmpty()) {
      SyntheticTransaction gone = live.remove(faker.nextInt(live.size()));
      dynamoDb.deleteItem(
          b ->
              b.tableName(table.name())
                  .key(Map.of(SourceTable.PARTITION_KEY, AttributeValue.fromS(gone.transactionId()))));
      log.written(gone.transactionId(), System.nanoTime());
      done++;
    }
    return done;
  }

  /** One write of a steady load: mostly inserts, some status updates, a few deletes. */
  public void oneMixedWrite() {
    int dice = faker.nextInt(100);
    if (dice < 5 && live.size() > 10) {
      delete(1);
    } else if (dice < 30 && !live.isEmpty()) {
      updateStatus(faker.nextInt(live.size()));
    } else {
      putAll(List.of(faker.next()));
    }
  }

  private void updateStatus(int index) {
    SyntheticTransaction before = live.get(index);
    SyntheticTransaction after = later(before, faker.laterStatus());
    dynamoDb.updateItem(
        b ->
            b.tableName(table.name())
                .key(Map.of(SourceTable.PARTITION_KEY, AttributeValue.fromS(before.transactionId())))
                .updateExpression("SET #s = :s, updatedAt = :u")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(
                    Map.of(
                        ":s", AttributeValue.fromS(after.status()),
                        ":u", AttributeValue.fromS(after.updatedAt().toString()))));
    log.written(before.transactionId(), System.nanoTime());
    live.set(index, after);
  }

  /** Transactions live in the table now, as this workload wrote them. */
  public int liveCount() {
    return live.size();
  }

  private void putAll(List<SyntheticTransaction> transactions) {
    List<WriteRequest> requests = new ArrayList<>(transactions.size());
    for (SyntheticTransaction t : transactions) {
      requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(t.toItem()).build()).build());
      log.identifying(t.identifyingValues());
    }
    Map<String, List<WriteRequest>> pending = Map.of(table.name(), requests);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
    }
    long now = System.nanoTime();
    for (SyntheticTransaction t : transactions) {
      log.written(t.transactionId(), now);
      live.add(t);
    }
  }

  /** The same transaction with a new status and a later version, as an update leaves it. */
  private SyntheticTransaction later(SyntheticTransaction t, String status) {
    return new SyntheticTransaction(
        t.transactionId(), t.person(), t.counterpartyIban(), t.counterpartyName(), t.ipAddress(),
        t.amount(), t.currency(), t.type(), status, t.merchantName(), t.merchantCategoryCode(),
        t.country(), t.tags(), t.createdAt(), t.updatedAt().plus(faker.updateDelay()), t.metadata());
  }
}
