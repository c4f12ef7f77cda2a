package dev.ddbwarehouse.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.RecordMeta;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.DynamoValue.S;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.RowKey;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The batch logic with a recording sink; the real sink is covered against PostgreSQL in the ITs.
 */
class BatchProcessorTest {

  private static final KeyRing KEYS =
      KeyRing.parse(
          "{\"active\":\"v1\",\"keys\":{\"v1\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}",
          "test");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);

  static final String ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions/stream/2026-01-01T00:00:00.000";

  private final List<WriteBatch> written = new ArrayList<>();
  private final List<BatchReport> reports = new ArrayList<>();
  private Consumer<WriteBatch> sinkBehaviour = written::add;

  private final BatchProcessor processor =
      new BatchProcessor(
          new ChangeMapper(MappingDocument.defaults(), new Pseudonymiser(KEYS), CLOCK),
          batch -> sinkBehaviour.accept(batch),
          CLOCK,
          reports::add);

  private static IncomingRecord record(
      long seq, EventKind kind, String id, String updatedAt, String status) {
    Map<String, DynamoValue> m = new HashMap<>();
    m.put("transactionId", new S(id));
    m.put("userId", new S("u"));
    m.put("amount", new DynamoValue.N(BigDecimal.ONE));
    m.put("currency", new S("EUR"));
    m.put("createdAt", new S("2026-01-01T00:00:00Z"));
    m.put("updatedAt", new S(updatedAt));
    m.put("status", new S(status));
    Item image = new Item(m);
    Item keys = new Item(Map.of("transactionId", new S(id)));
    RecordMeta meta = new RecordMeta("e" + seq, kind.name(), Long.toString(seq), ARN, null);
    return new IncomingRecord.Readable(
        new SourceRecord(
            meta,
            kind,
            keys,
            kind == EventKind.REMOVE ? null : image,
            kind == EventKind.REMOVE ? image : null,
            false));
  }

  private static List<Change.Upsert> upserts(WriteBatch b) {
    return b.writes().stream()
        .filter(Change.Upsert.class::isInstance)
        .map(Change.Upsert.class::cast)
        .toList();
  }

  private static List<Change.Delete> deletes(WriteBatch b) {
    return b.writes().stream()
        .filter(Change.Delete.class::isInstance)
        .map(Change.Delete.class::cast)
        .toList();
  }

  private static String id(Change.Write w) {
    return id(w.key());
  }

  private static String id(RowKey key) {
    return (String) key.parts().get(0);
  }

  private static String status(Change.Upsert u) {
    return u.row().value(u.table().columnNames().indexOf("status"));
  }

  /** A sink whose lane takes changes until {@code refuseAt}, recording what happened to it. */
  private final class LaneSink implements WarehouseSink {
    final List<Change.Write> laned = new ArrayList<>();
    final int refuseAt;
    boolean committed;
    boolean abandoned;

    LaneSink(int refuseAt) {
      this.refuseAt = refuseAt;
    }

    @Override
    public void write(WriteBatch batch) {
      written.add(batch);
    }

    @Override
    public StreamedLane openStreamedLane(Instant now) {
      return new StreamedLane() {
        @Override
        public boolean add(Change.Write change) {
          if (laned.size() == refuseAt) return false;
          laned.add(change);
          return true;
        }

        @Override
        public boolean commit() {
          committed = true;
          return true;
        }

        @Override
        public void abandon() {
          abandoned = true;
        }
      };
    }
  }

  private static RecordSource source(List<IncomingRecord> records) {
    java.util.Iterator<IncomingRecord> it = records.iterator();
    return () -> it.hasNext() ? it.next() : null;
  }

  @Test
  void aBatchTheLaneTakesWholeIsCommittedByItAndReportedAsTheWholeWayWouldReportIt() {
    List<IncomingRecord> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(record(i, EventKind.INSERT, "t-" + i, "2026-01-01T00:00:00Z", "PENDING"));
    }
    records.add(record(9, EventKind.REMOVE, "t-0-old", "2026-01-01T00:00:00Z", "PENDING"));
    LaneSink sink = new LaneSink(Integer.MAX_VALUE);
    BatchProcessor streamed = new BatchProcessor(mapper(), sink, CLOCK, reports::add);

    BatchOutcome outcome =
        streamed.process(
            source(records),
            () -> {
              throw new AssertionError("the batch was read again");
            });

    assertThat(sink.laned).hasSize(6);
    assertThat(sink.committed).isTrue();
    assertThat(written).isEmpty();
    BatchReport whole = processor.process(records).report();
    assertThat(outcome.report().upserted()).isEqualTo(whole.upserted()).isEqualTo(5);
    assertThat(outcome.report().deleted()).isEqualTo(whole.deleted()).isEqualTo(1);
    assertThat(outcome.report().droppedAttributes()).isEqualTo(whole.droppedAttributes());
    assertThat(outcome.report().absentAttributes()).isEqualTo(whole.absentAttributes());
    assertThat(outcome.report().recordsIn()).isEqualTo(6);
  }

  @Test
  void aChangeTheLaneRefusesSendsTheWholeBatchTheWholeWayOnce() {
    List<IncomingRecord> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(record(i, EventKind.INSERT, "t-" + i, "2026-01-01T00:00:00Z", "PENDING"));
    }
    LaneSink sink = new LaneSink(4);
    BatchProcessor streamed = new BatchProcessor(mapper(), sink, CLOCK, reports::add);
    int[] reads = {0};

    BatchOutcome outcome =
        streamed.process(
            source(records),
            () -> {
              reads[0]++;
              return records;
            });

    assertThat(sink.abandoned).isTrue();
    assertThat(sink.committed).isFalse();
    assertThat(reads[0]).isOne();
    assertThat(written).hasSize(1);
    assertThat(upserts(written.get(0))).hasSize(10);
    assertThat(outcome.report().upserted()).isEqualTo(10);
    assertThat(reports).hasSize(1);
  }

  @Test
  void aPoisonRecordIsNeverLanedItGoesTheWholeWayToTheQuarantine() {
    List<IncomingRecord> records =
        List.of(
            record(1, EventKind.INSERT, "t-1", "2026-01-01T00:00:00Z", "PENDING"),
            new IncomingRecord.Unreadable(
                new RecordMeta("e2", "INSERT", "2", ARN, null),
                new dev.ddbwarehouse.core.PoisonRecordException(
                    dev.ddbwarehouse.core.ErrorCode.UNPARSABLE_IMAGE, null, "bad")));
    LaneSink sink = new LaneSink(Integer.MAX_VALUE);

    BatchOutcome outcome =
        new BatchProcessor(mapper(), sink, CLOCK, reports::add)
            .process(source(records), () -> records);

    assertThat(sink.abandoned).isTrue();
    assertThat(written.get(0).quarantine()).hasSize(1);
    assertThat(outcome.report().quarantined()).isOne();
    assertThat(outcome.report().upserted()).isOne();
  }

  private static ChangeMapper mapper() {
    return new ChangeMapper(MappingDocument.defaults(), new Pseudonymiser(KEYS), CLOCK);
  }

  @Test
  void largeBatchMappedInParallelKeepsStreamOrderForTies() {
    // Large enough to be mapped on several threads: ties must still go to the later record.
    List<IncomingRecord> records = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      records.add(record(i, EventKind.MODIFY, "t-" + (i % 50), "2026-01-01T00:00:00Z", "S" + i));
    }

    processor.process(records);

    assertThat(upserts(written.get(0)))
        .hasSize(50)
        .allSatisfy(
            u -> {
              int last = 1_950 + Integer.parseInt(id(u).substring(2));
              assertThat(status(u)).as(id(u)).isEqualTo("S" + last);
            });
  }

  @Test
  void reducesChangesToOneTransactionToTheLastInStreamOrder() {
    BatchOutcome outcome =
        processor.process(
            List.of(
                record(1, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "PENDING"),
                record(2, EventKind.MODIFY, "a", "2026-01-03T00:00:00Z", "SETTLED"),
                record(3, EventKind.MODIFY, "a", "2026-01-02T00:00:00Z", "STALE"),
                record(4, EventKind.INSERT, "b", "2026-01-01T00:00:00Z", "PENDING"),
                record(5, EventKind.REMOVE, "b", "2026-01-01T00:00:00Z", "PENDING")));

    assertThat(outcome.firstNotCommitted()).isEmpty();
    WriteBatch batch = written.get(0);
    assertThat(upserts(batch))
        .as("within a stream its order is the truth, even when an application clock is behind")
        .singleElement()
        .satisfies(u -> assertThat(status(u)).isEqualTo("STALE"));
    assertThat(deletes(batch)).singleElement().satisfies(d -> assertThat(id(d)).isEqualTo("b"));
    assertThat(outcome.report().upserted()).isEqualTo(4);
    assertThat(outcome.report().deleted()).isEqualTo(1);
  }

  @Test
  void aKeysOnlyRemoveInTheSameSecondAsTheLastModifyDeletes() {
    // A NEW_IMAGE stream: the REMOVE has no old image and DynamoDB stamps it with whole seconds,
    // earlier than the millisecond updatedAt of the MODIFY just before it.
    IncomingRecord modify =
        record(1, EventKind.MODIFY, "a", "2026-01-01T10:00:00.700Z", "DECLINED");
    IncomingRecord remove =
        new IncomingRecord.Readable(
            new SourceRecord(
                new RecordMeta("e2", "REMOVE", "2", ARN, Instant.parse("2026-01-01T10:00:00Z")),
                EventKind.REMOVE,
                new Item(Map.of("transactionId", new S("a"))),
                null,
                null,
                false));

    BatchOutcome outcome = processor.process(List.of(modify, remove));

    WriteBatch batch = written.get(0);
    assertThat(upserts(batch)).isEmpty();
    assertThat(deletes(batch))
        .singleElement()
        .satisfies(
            d -> assertThat(d.version()).isEqualTo(Instant.parse("2026-01-01T10:00:00.999999Z")));
    assertThat(outcome.report().deleted()).isEqualTo(1);
  }

  @Test
  void transientFailureNamesTheFirstRecordAndCommitsNothing() {
    sinkBehaviour =
        b -> {
          throw new TransientFailureException("down", null);
        };

    BatchOutcome outcome =
        processor.process(
            List.of(
                record(7, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "P"),
                record(8, EventKind.INSERT, "b", "2026-01-01T00:00:00Z", "P")));

    assertThat(outcome.firstNotCommitted()).contains("7");
    assertThat(outcome.report().committed()).isFalse();
    assertThat(reports).hasSize(1);
  }

  @Test
  void rowsTheWarehouseRefusesAreIsolatedAndQuarantined() {
    sinkBehaviour =
        b -> {
          if (upserts(b).stream().anyMatch(u -> id(u).equals("bad"))) {
            throw new WarehouseRejectedException("23514", null);
          }
          written.add(b);
        };

    BatchOutcome outcome =
        processor.process(
            List.of(
                record(1, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "P"),
                record(2, EventKind.INSERT, "bad", "2026-01-01T00:00:00Z", "P"),
                record(3, EventKind.INSERT, "c", "2026-01-01T00:00:00Z", "P")));

    assertThat(outcome.firstNotCommitted()).isEmpty();
    assertThat(written.stream().flatMap(b -> upserts(b).stream()).map(u -> id(u)))
        .containsExactlyInAnyOrder("a", "c");
    assertThat(outcome.quarantined())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(id(q.key())).isEqualTo("bad");
              assertThat(q.problem().code()).isEqualTo(ErrorCode.REJECTED_BY_WAREHOUSE);
            });
    assertThat(outcome.report().upserted()).isEqualTo(2);
    assertThat(outcome.report().quarantined()).isEqualTo(1);
  }

  @Test
  void aWarehouseThatRefusesEveryRowIsAFaultToRetryNotABatchToQuarantine() {
    sinkBehaviour =
        b -> {
          if (!upserts(b).isEmpty()) throw new WarehouseRejectedException("23502", null);
          written.add(b);
        };

    BatchOutcome outcome =
        processor.process(
            List.of(
                record(4, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "P"),
                record(5, EventKind.INSERT, "b", "2026-01-01T00:00:00Z", "P")));

    assertThat(outcome.firstNotCommitted()).contains("4");
    assertThat(outcome.failure()).hasValueSatisfying(f -> assertThat(f).contains("23502"));
    assertThat(outcome.quarantined()).isEmpty();
    assertThat(written).isEmpty();
  }

  @Test
  void aRecordWithoutUsableSequenceNumberIsQuarantined() {
    IncomingRecord r = record(1, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "P");
    SourceRecord s = ((IncomingRecord.Readable) r).record();
    IncomingRecord bad =
        new IncomingRecord.Readable(
            new SourceRecord(
                new RecordMeta("e", "INSERT", "abc", "arn", null),
                s.kind(),
                s.keys(),
                s.newImage(),
                null,
                false));

    BatchOutcome outcome = processor.process(List.of(bad));

    assertThat(outcome.quarantined())
        .singleElement()
        .satisfies(
            q -> assertThat(q.problem().code()).isEqualTo(ErrorCode.INVALID_RECORD_METADATA));
    assertThat(written.get(0).quarantine()).hasSize(1);
    assertThat(upserts(written.get(0))).isEmpty();
  }

  @Test
  void reportsTheExpectedAttributesThatNoNewImageOfTheBatchCarries() {
    // The test images carry the required attributes and userId, none of the other identifiers.
    BatchOutcome outcome =
        processor.process(
            List.of(
                record(1, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "P"),
                record(2, EventKind.MODIFY, "b", "2026-01-01T00:00:00Z", "P")));

    assertThat(outcome.report().absentAttributes())
        .containsExactly("accountId", "counterpartyIban", "email", "phone");
  }

  @Test
  void reportsNothingAbsentForABatchWithoutNewImages() {
    BatchOutcome outcome =
        processor.process(List.of(record(1, EventKind.REMOVE, "a", "2026-01-01T00:00:00Z", "P")));

    assertThat(outcome.report().absentAttributes()).isEmpty();
  }

  @Test
  void aRecordFromATableNoEntryNamesFailsTheWholeBatchForRetry() {
    IncomingRecord known = record(1, EventKind.INSERT, "a", "2026-01-01T00:00:00Z", "P");
    IncomingRecord unknown =
        new IncomingRecord.Readable(
            new SourceRecord(
                new RecordMeta(
                    "e2",
                    "INSERT",
                    "2",
                    "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026",
                    null),
                EventKind.INSERT,
                new Item(Map.of("orderId", new S("o-1"))),
                new Item(Map.of("orderId", new S("o-1"))),
                null,
                false));

    BatchOutcome outcome = processor.process(List.of(known, unknown));

    assertThat(written).as("nothing of the batch is written").isEmpty();
    assertThat(outcome.firstNotCommitted()).contains("1");
    assertThat(outcome.failure())
        .hasValueSatisfying(
            f -> assertThat(f).contains("DynamoDB table orders").contains("tables"));
    assertThat(outcome.report().committed()).isFalse();
  }
}
