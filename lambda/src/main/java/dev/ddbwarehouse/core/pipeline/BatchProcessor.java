package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.ChangeMapper;
import dev.ddbwarehouse.core.change.ChangeOrder;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.RowKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One stream batch → one warehouse transaction.
 *
 * <p>Every record becomes a change; poison records become quarantine entries and the batch goes on.
 * Changes to the same row (table and key) within the batch are reduced to the one {@link
 * ChangeOrder} keeps (stream order within a stream, the item version across streams), which is what
 * applying them one by one under the sink's guards would leave. A transient failure commits nothing
 * and names the batch's first record for Lambda to retry from; so does a record from a table the
 * mapping does not name, since only the configuration can fix that.
 */
public final class BatchProcessor {

  /** Below this, splitting the work costs more than it saves. */
  private static final int PARALLEL_FROM = 256;

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final ChangeMapper mapper;
  private final WarehouseSink sink;
  private final Clock clock;
  private final BatchObserver observer;
  private final Map<String, Set<String>> expectedAttributes;

  public BatchProcessor(
      ChangeMapper mapper, WarehouseSink sink, Clock clock, BatchObserver observer) {
    this.mapper = mapper;
    this.expectedAttributes = new TreeMap<>();
    mapper
        .mapping()
        .tables()
        .forEach(t -> expectedAttributes.put(t.name(), t.expectedAttributes()));
    this.sink = sink;
    this.clock = clock;
    this.observer = observer;
  }

  /**
   * A batch as it is read: while every record is a change the sink's {@link StreamedLane} can take,
   * each is written as soon as it is mapped, so the database works on the first rows while the rest
   * are read. At the first record it cannot take (or any failure of the lane) nothing of it is
   * committed and the batch is processed the whole way from {@code whole}, its records read again:
   * the lane is a shortcut for the common batch, never a second set of rules.
   *
   * @throws UnreadableEventException from {@code source}; nothing is committed
   */
  public BatchOutcome process(RecordSource source, Supplier<List<IncomingRecord>> whole) {
    long start = System.nanoTime();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Counts counts = new Counts();
    AbsentAttributes.Tracker absent = new AbsentAttributes.Tracker(expectedAttributes);
    int records = 0;
    StreamedLane lane = null;
    try {
      lane = sink.openStreamedLane(now);
      if (lane == null) return process(whole.get());
      for (IncomingRecord r = source.next(); r != null; r = source.next()) {
        records++;
        if (!(mapper.map(r) instanceof Change.Write w) || !lane.add(w)) {
          lane.abandon();
          return process(whole.get());
        }
        if (w instanceof Change.Upsert u) {
          counts.upserted++;
          u.droppedAttributes().forEach(a -> counts.dropped.merge(a, 1, Integer::sum));
          absent.seen(u.table(), ((IncomingRecord.Readable) r).record());
        } else {
          counts.deleted++;
        }
      }
      if (records == 0) {
        lane.abandon();
        return process(List.of());
      }
      if (!lane.commit()) return process(whole.get());
    } catch (TransientFailureException e) {
      return notCommitted(whole.get(), counts, List.of(), start, e.getMessage());
    } catch (RuntimeException e) {
      if (lane != null) lane.abandon();
      throw e;
    }
    counts.absent = absent.absent();
    BatchReport report = counts.report(records, List.of(), true, System.nanoTime() - start);
    observer.onBatch(report);
    return new BatchOutcome(Optional.empty(), report, List.of(), Optional.empty());
  }

  public BatchOutcome process(List<IncomingRecord> records) {
    long start = System.nanoTime();
    List<Change> changes = map(records);

    Counts counts = new Counts();
    counts.absent = AbsentAttributes.in(expectedAttributes, records, changes);
    List<Change.Quarantine> quarantine = new ArrayList<>();
    Map<RowId, Change.Write> newest = new LinkedHashMap<>();
    String unrouted = null;
    for (Change change : changes) {
      switch (change) {
        case Change.Upsert u -> {
          counts.upserted++;
          u.droppedAttributes().forEach(a -> counts.dropped.merge(a, 1, Integer::sum));
          keepNewest(newest, u);
        }
        case Change.Delete d -> {
          counts.deleted++;
          keepNewest(newest, d);
        }
        case Change.Skip s -> counts.ignored++;
        case Change.Quarantine q -> quarantine.add(q);
        case Change.Unrouted u -> {
          if (unrouted == null) unrouted = u.sourceTable();
        }
      }
    }
    if (unrouted != null) {
      // Nothing of the batch is written: its records wait in the stream until the mapping names
      // their table (or the event source mapping is fixed), then arrive as if on time.
      return notCommitted(
          records,
          counts,
          quarantine,
          start,
          "records from DynamoDB table "
              + unrouted
              + ", which no entry of the mapping document names (source or shadow): add the"
              + " table to \"tables\", or detach its stream from this function");
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
          if (newest.get(new RowId(q.table().name(), q.key())) instanceof Change.Delete) {
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
      return notCommitted(records, counts, quarantine, start, e.getMessage());
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
  private void writeIsolating(
      List<Change.Write> changes, Instant now, List<Change.Quarantine> refused) {
    if (changes.isEmpty()) return;
    try {
      sink.write(batch(changes, List.of(), now));
    } catch (WarehouseRejectedException e) {
      if (changes.size() == 1) {
        Change.Write c = changes.get(0);
        refused.add(
            new Change.Quarantine(
                c.meta(),
                Mapping.sourceTable(c.meta().eventSourceArn()).orElse(null),
                c.table(),
                c.key(),
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

  private BatchOutcome notCommitted(
      List<IncomingRecord> records,
      Counts counts,
      List<Change.Quarantine> quarantine,
      long start,
      String why) {
    BatchReport report =
        counts.report(records.size(), quarantine, false, System.nanoTime() - start).failed(why);
    observer.onBatch(report);
    return new BatchOutcome(
        Optional.of(records.get(0).meta().sequenceNumber()), report, List.of(), Optional.of(why));
  }

  /** One row of one table: what the batch reduction keys on. */
  private record RowId(String table, RowKey key) {}

  private static void keepNewest(Map<RowId, Change.Write> newest, Change.Write candidate) {
    RowId id = new RowId(candidate.table().name(), candidate.key());
    Change.Write current = newest.get(id);
    if (current == null || ChangeOrder.replaces(candidate, current)) {
      newest.put(id, candidate);
    }
  }

  private static WriteBatch batch(
      Collection<Change.Write> changes, List<Change.Quarantine> quarantine, Instant now) {
    return new WriteBatch(new ArrayList<>(changes), quarantine, now);
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
