package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.ChangeOrder;
import dev.ddbwarehouse.core.change.IncomingRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One stream batch → one warehouse transaction.
 *
 * <p>Every record becomes a change; poison records become quarantine entries and the batch goes on.
 * Changes to the same transaction within the batch are reduced to the one {@link ChangeOrder} keeps
 * (stream order within a stream, the item version across streams), which is what applying them one
 * by one under the sink's guards would leave. A transient failure commits nothing and names the
 * batch's first record for Lambda to retry from.
 */
public final class BatchProcessor {

  /** Below this, splitting the work costs more than it saves. */
  private static final int PARALLEL_FROM = 256;

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final ChangeMapper mapper;
  private final WarehouseSink sink;
  private final Clock clock;
  private final BatchObserver observer;
  private final Set<String> expectedAttributes;

  public BatchProcessor(
      ChangeMapper mapper, WarehouseSink sink, Clock clock, BatchObserver observer) {
    this.mapper = mapper;
    this.expectedAttributes = mapper.expectedAttributes();
    this.sink = sink;
    this.clock = clock;
    this.observer = observer;
  }

  public BatchOutcome process(List<IncomingRecord> records) {
    long start = System.nanoTime();
    List<Change> changes = map(records);

    Counts counts = new Counts();
    counts.absent = AbsentAttributes.in(expectedAttributes, records);
    List<Change.Quarantine> quarantine = new ArrayList<>();
    Map<String, Change> newest = new LinkedHashMap<>();
    for (Change change : changes) {
      switch (change) {
        case Change.Upsert u -> {
          counts.upserted++;
          u.droppedAttributes().forEach(a -> counts.dropped.merge(a, 1, Integer::sum));
          keepNewest(newest, u.row().transactionId(), u);
        }
        case Change.Delete d -> {
          counts.deleted++;
          keepNewest(newest, d.transactionId(), d);
        }
        case Change.Skip s -> counts.ignored++;
        case Change.Quarantine q -> quarantine.add(q);
      }
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    try {
      try {
        sink.write(batch(newest.values(), quarantine, now));
      } catch (WarehouseRejectedException rejected) {
        List<Change.Quarantine> refused = new ArrayList<>();
        writeIsolating(new ArrayList<>(newest.values()), now, refused);
        if (refused.size() > 1 && refused.size() == newest.size()) {
          // Every row refused on its own: the schema or the code is at fault, not the records.
          // Quarantining the whole batch would hide that; keep the records and let it page.
          throw new TransientFailureException(
              "warehouse refused every row of the batch (SQLSTATE " + rejected.sqlState() + ")",
              rejected);
        }
        for (Change.Quarantine q : refused) {
          if (newest.get(q.transactionId()) instanceof Change.Delete) {
            counts.deleted--;
          } else {
            counts.upserted--;
          }
        }
        quarantine.addAll(refused);
        try {
          sink.write(batch(List.of(), quarantine, now));
        } catch (WarehouseRejectedException quarantineRefused) {
          // The quarantine itself refused: a schema fault, not a record's. Keep the records.
          throw new TransientFailureException(
              "warehouse refused the quarantine entries (SQLSTATE "
                  + quarantineRefused.sqlState()
                  + ")",
              quarantineRefused);
        }
      }
    } catch (TransientFailureException e) {
      BatchReport report =
          counts.report(records.size(), quarantine, false, System.nanoTime() - start);
      observer.onBatch(report);
      return new BatchOutcome(
          Optional.of(records.get(0).meta().sequenceNumber()),
          report,
          List.of(),
          Optional.of(e.getMessage()));
    }
    BatchReport report = counts.report(records.size(), quarantine, true, System.nanoTime() - start);
    observer.onBatch(report);
    return new BatchOutcome(Optional.empty(), report, quarantine, Optional.empty());
  }

  /**
   * Mapping is pure and independent per record, and the database has nothing to do meanwhile, so a
   * large batch is mapped on every core there is (a function with 2+ vCPUs; the local runtime,
   * where PostgreSQL shares the machine). On one vCPU this runs on the calling thread alone.
   */
  private List<Change> map(List<IncomingRecord> records) {
    if (records.size() < PARALLEL_FROM || CORES < 2) {
      List<Change> changes = new ArrayList<>(records.size());
      for (IncomingRecord r : records) changes.add(mapper.map(r));
      return changes;
    }
    return records.parallelStream().map(mapper::map).toList();
  }

  /**
   * The database refused data that passed validation. Rare (a constraint this code does not
   * mirror), so halve until the refused changes are found; they go to quarantine. Each part is its
   * own transaction: harmless, since every write is idempotent.
   */
  private void writeIsolating(List<Change> changes, Instant now, List<Change.Quarantine> refused) {
    if (changes.isEmpty()) return;
    try {
      sink.write(batch(changes, List.of(), now));
    } catch (WarehouseRejectedException e) {
      if (changes.size() == 1) {
        Change c = changes.get(0);
        String id =
            c instanceof Change.Upsert u
                ? u.row().transactionId()
                : ((Change.Delete) c).transactionId();
        refused.add(
            new Change.Quarantine(
                c.meta(),
                id,
                new PoisonRecordException(
                    ErrorCode.REJECTED_BY_WAREHOUSE,
                    null,
                    "the warehouse refused the row (SQLSTATE " + e.sqlState() + ")")));
        return;
      }
      int half = changes.size() / 2;
      writeIsolating(changes.subList(0, half), now, refused);
      writeIsolating(changes.subList(half, changes.size()), now, refused);
    }
  }

  private static void keepNewest(Map<String, Change> newest, String id, Change candidate) {
    Change current = newest.get(id);
    if (current == null || ChangeOrder.replaces(candidate, current)) {
      newest.put(id, candidate);
    }
  }

  private static WriteBatch batch(
      Iterable<Change> changes, List<Change.Quarantine> quarantine, Instant now) {
    List<Change.Upsert> upserts = new ArrayList<>();
    List<Change.Delete> deletes = new ArrayList<>();
    for (Change c : changes) {
      if (c instanceof Change.Upsert u) upserts.add(u);
      else deletes.add((Change.Delete) c);
    }
    return new WriteBatch(upserts, deletes, quarantine, now);
  }

  private static final class Counts {
    int upserted;
    int deleted;
    int ignored;
    final Map<String, Integer> dropped = new TreeMap<>();
    List<String> absent = List.of();

    BatchReport report(
        int recordsIn, List<Change.Quarantine> quarantine, boolean committed, long nanos) {
      Map<String, Integer> byCode = new TreeMap<>();
      quarantine.forEach(q -> byCode.merge(q.problem().code().name(), 1, Integer::sum));
      return new BatchReport(
          recordsIn,
          upserted,
          deleted,
          ignored,
          quarantine.size(),
          byCode,
          dropped,
          committed,
          nanos,
          absent);
    }
  }
}
