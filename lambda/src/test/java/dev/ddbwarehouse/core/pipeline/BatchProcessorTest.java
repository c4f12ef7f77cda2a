package dev.ddbwarehouse.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.RecordMeta;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.DynamoValue.S;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.policy.TtlDeletes;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.transaction.TransactionMapper;
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

  private final List<WriteBatch> written = new ArrayList<>();
  private final List<BatchReport> reports = new ArrayList<>();
  private Consumer<WriteBatch> sinkBehaviour = written::add;

  private final BatchProcessor processor =
      new BatchProcessor(
          new ChangeMapper(
              new TransactionMapper(MappingDocument.defaults(), new Pseudonymiser(KEYS)),
              TtlDeletes.IGNORE,
              CLOCK),
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
    RecordMeta meta = new RecordMeta("e" + seq, kind.name(), Long.toString(seq), "arn", null);
    return new IncomingRecord.Readable(
        new SourceRecord(
            meta,
            kind,
            keys,
            kind == EventKind.REMOVE ? null : image,
            kind == EventKind.REMOVE ? image : null,
            false));
  }

  @Test
  void largeBatchMappedInParallelKeepsStreamOrderForTies() {
    // Large enough to be mapped on several threads: ties must still go to the later record.
    List<IncomingRecord> records = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      records.add(record(i, EventKind.MODIFY, "t-" + (i % 50), "2026-01-01T00:00:00Z", "S" + i));
    }

    processor.process(records);

    assertThat(written.get(0).upserts())
        .hasSize(50)
        .allSatisfy(
            u -> {
              int last = 1_950 + Integer.parseInt(u.row().transactionId().substring(2));
              assertThat(u.row().status()).as(u.row().transactionId()).isEqualTo("S" + last);
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
    assertThat(batch.upserts())
        .as("within a stream its order is the truth, even when an application clock is behind")
        .singleElement()
        .satisfies(u -> assertThat(u.row().status()).isEqualTo("STALE"));
    assertThat(batch.deletes())
        .singleElement()
        .satisfies(d -> assertThat(d.transactionId()).isEqualTo("b"));
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
                new RecordMeta("e2", "REMOVE", "2", "arn", Instant.parse("2026-01-01T10:00:00Z")),
                EventKind.REMOVE,
                new Item(Map.of("transactionId", new S("a"))),
                null,
                null,
                false));

    BatchOutcome outcome = processor.process(List.of(modify, remove));

    WriteBatch batch = written.get(0);
    assertThat(batch.upserts()).isEmpty();
    assertThat(batch.deletes())
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
          if (b.upserts().stream().anyMatch(u -> u.row().transactionId().equals("bad"))) {
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
    assertThat(
            written.stream().flatMap(b -> b.upserts().stream()).map(u -> u.row().transactionId()))
        .containsExactlyInAnyOrder("a", "c");
    assertThat(outcome.quarantined())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.transactionId()).isEqualTo("bad");
              assertThat(q.problem().code()).isEqualTo(ErrorCode.REJECTED_BY_WAREHOUSE);
            });
    assertThat(outcome.report().upserted()).isEqualTo(2);
    assertThat(outcome.report().quarantined()).isEqualTo(1);
  }

  @Test
  void aWarehouseThatRefusesEveryRowIsAFaultToRetryNotABatchToQuarantine() {
    sinkBehaviour =
        b -> {
          if (!b.upserts().isEmpty()) throw new WarehouseRejectedException("23502", null);
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
    assertThat(written.get(0).upserts()).isEmpty();
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
}
