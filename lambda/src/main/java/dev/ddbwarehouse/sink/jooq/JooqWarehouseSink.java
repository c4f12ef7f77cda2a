package dev.ddbwarehouse.sink.jooq;

import static dev.ddbwarehouse.schema.jooq.etl.Tables.QUARANTINE;

import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.json.JsonText;
import dev.ddbwarehouse.core.pipeline.StreamedLane;
import dev.ddbwarehouse.core.pipeline.WarehouseRejectedException;
import dev.ddbwarehouse.core.pipeline.WarehouseSink;
import dev.ddbwarehouse.core.pipeline.WriteBatch;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.RowKey;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.core.value.TextForm;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.db.TimeBudget;
import dev.ddbwarehouse.db.TransactionDeadline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jooq.Catalog;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Writes a batch in one transaction with set-based statements, whatever the batch size: images and
 * deletes by COPY in one pass in key order (see {@link CopyUpsert} for its two lanes), one insert
 * for the quarantine. A deadlock or serialization failure is tried again within the invocation (see
 * {@link RetryPolicy}) before the batch is reported for retry.
 */
public final class JooqWarehouseSink implements WarehouseSink {

  static {
    // jOOQ prints a banner and tips on first use; neither belongs in a Lambda's log.
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  private static final Settings SETTINGS =
      new Settings().withExecuteLogging(false).withRenderSchema(true);

  private final SingleConnection connections;
  private final TimeBudget budget;
  private final CopyUpsert.Staging staging = new CopyUpsert.Staging();

  /** By entry name. */
  private final Map<String, CopyUpsert> tables = new HashMap<>();

  private final RetryPolicy retry = RetryPolicy.standard();
  private final Suppression suppression;
  private final String activeVersion;

  /**
   * Writes the tables of {@code mapping} through {@code connections}, each transaction bounded by
   * {@code budget}. Checks every entry against {@code catalog}, the jOOQ classes generated from the
   * migrations. Checks every batch against the erasure suppression list, by the pseudonyms of the
   * ring's suppression version (images, deletes) and of its active version (the keys of quarantined
   * records); re-keys rows of the ring's older versions (see {@link VersionGuard}).
   *
   * @throws dev.ddbwarehouse.core.InvalidConfigurationException naming the entry, attribute and
   *     problem when an entry does not fit its table
   */
  public JooqWarehouseSink(
      Mapping mapping,
      Catalog catalog,
      SingleConnection connections,
      TimeBudget budget,
      KeyRing keys) {
    List<String> older = new ArrayList<>(keys.versions());
    older.remove(keys.activeVersion());
    older.sort(null);
    for (TableSpec spec : mapping.tables()) {
      tables.put(spec.name(), new CopyUpsert(BoundTable.bind(spec, catalog), older));
    }
    this.connections = connections;
    this.budget = budget;
    this.activeVersion = keys.activeVersion();
    this.suppression =
        new Suppression(mapping.tables(), keys.suppressionVersion(), keys.activeVersion());
  }

  /** Checks every entry of {@code mapping} against {@code catalog}; see the constructor. */
  public static void validate(Mapping mapping, Catalog catalog) {
    for (TableSpec spec : mapping.tables()) BoundTable.bind(spec, catalog);
  }

  @Override
  public void write(WriteBatch batch) {
    if (batch.isEmpty()) return;
    if (!TransactionDeadline.canStart(budget)) {
      throw new TransientFailureException(
          "no time left in the invocation's time budget for the warehouse write", null);
    }
    for (int attempt = 1; ; attempt++) {
      Duration pause;
      Connection connection = null;
      TransactionDeadline deadline = null;
      try {
        connection = connections.get();
        // First, before any row lock: an erasure holds its lock exclusively while it works.
        Suppression.Start start = new Suppression.Start();
        deadline = TransactionDeadline.start(connection, budget, start);
        DSLContext dsl = dsl(connection);
        writeIn(dsl, connection, start, batch);
        connection.commit();
        staging.committed();
        return;
      } catch (SQLException | DataAccessException e) {
        rollbackQuietly(connection);
        staging.rolledBack();
        SqlFailure failure = SqlFailure.of(e);
        if (failure.rejectsData()) throw new WarehouseRejectedException(failure.sqlState(), e);
        if (failure.brokeConnection()) connections.invalidate();
        pause = nextPause(attempt, failure, e);
      } finally {
        // After the rollback: a rollback on a stalled server is bounded by the deadline too.
        if (deadline != null) deadline.close();
      }
      sleep(pause);
    }
  }

  /**
   * The lane of a batch being read (see {@link StreamedWrites}): one try, no retry; any failure
   * sends the batch to {@link #write}, which has them.
   */
  @Override
  public StreamedLane openStreamedLane(Instant now) {
    return StreamedWrites.open(
        tables, suppression, connections, staging, budget, now.atOffset(ZoneOffset.UTC));
  }

  /** The statements of a transaction on {@code connection}, rendered as production runs them. */
  static DSLContext dsl(Connection connection) {
    return DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
  }

  /**
   * The pause before the next attempt, or the transient failure that reports the batch for retry:
   * when the retry policy gives up, or when the invocation's time budget leaves no room for one.
   */
  private Duration nextPause(int attempt, SqlFailure failure, Throwable cause) {
    Duration pause;
    try {
      pause = retry.pauseAfter(attempt, failure, cause);
    } catch (TransientFailureException spent) {
      throw new TransientFailureException(describe(failure, spent.getMessage()), cause);
    }
    if (!TransactionDeadline.canStart(budget)) {
      throw new TransientFailureException(
          describe(failure, "warehouse write not committed (SQLSTATE " + failure.sqlState() + ")"),
          cause);
    }
    return pause;
  }

  private String describe(SqlFailure failure, String otherwise) {
    return describe(budget, failure, otherwise);
  }

  /** SQLSTATEs only, never data; says when the invocation's time budget is why. */
  static String describe(TimeBudget budget, SqlFailure failure, String otherwise) {
    String state = " (SQLSTATE " + failure.sqlState() + ")";
    if (failure.timedOut()) {
      return "warehouse write cancelled at the end of the invocation's time budget" + state;
    }
    if (budget.bounded() && budget.hardMillisLeft() <= 0) {
      return "the warehouse did not answer within the invocation's time budget" + state;
    }
    return otherwise;
  }

  private static void sleep(Duration pause) {
    if (pause.isZero()) return;
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientFailureException("interrupted before retrying the warehouse write", e);
    }
  }

  /**
   * Renders the merge statement of the table of each of these changes without a database: warms
   * jOOQ for the statement production runs (priming before a SnapStart snapshot, the background
   * warm-up of an ordinary cold start).
   */
  public String render(List<? extends Change.Write> changes) {
    DSLContext dsl = DSL.using(SQLDialect.POSTGRES, SETTINGS);
    StringBuilder sql = new StringBuilder();
    for (Change.Write c : changes) {
      sql.append(
          tables.get(c.table().name()).merge(dsl, OffsetDateTime.now(ZoneOffset.UTC)).getSQL());
    }
    return sql.toString();
  }

  /** An encoder of rows as the direct COPY lane sends them, in memory only, for one thread. */
  public PrimingEncoder primingEncoder() {
    return new PrimingEncoder();
  }

  /** Priming runs the COPY encoding without a connection: one chunk, reused. */
  public final class PrimingEncoder {
    private final CopyText.Encoder chunk = new CopyText.Encoder();
    private final Map<String, List<Function<Change.Write, String>>> fields = new HashMap<>();
    private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

    private PrimingEncoder() {}

    /** Encodes {@code change}'s row into the chunk, which starts over once it is full. */
    public void encode(Change.Write change) {
      if (chunk.size() >= CopyText.CHUNK_BYTES) chunk.reset();
      String table = change.table().name();
      chunk.row(change, fields.computeIfAbsent(table, t -> tables.get(t).directFields(now)));
    }
  }

  private void writeIn(
      DSLContext dsl, Connection connection, Suppression.Start start, WriteBatch batch)
      throws SQLException {
    OffsetDateTime now = batch.now().atOffset(ZoneOffset.UTC);
    Set<Change.Quarantine> erasedKeys = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Change.Write> writes =
        suppression.apply(
            connection, start, batch.writes(), batch.quarantine(), activeVersion, erasedKeys);
    // Images and deletes together, in one key order, in one pass (see CopyUpsert): every batch
    // locks rows in the same order, so two batches on the same rows (live and backfill streams)
    // wait for each other instead of deadlocking. The quarantine comes last: no batch locks a
    // warehouse row after it.
    // By target name: the order tables are locked in.
    Map<String, List<Change.Write>> byTable = new TreeMap<>();
    for (Change.Write w : rekeyed(writes)) {
      byTable.computeIfAbsent(w.table().target().toString(), k -> new ArrayList<>()).add(w);
    }
    for (List<Change.Write> changes : byTable.values()) {
      changes.sort(KeyOrder.CHANGES);
      CopyUpsert table = tables.get(changes.get(0).table().name());
      table.write(dsl, connection, staging, changes, now);
    }
    if (!batch.quarantine().isEmpty()) quarantine(dsl, batch.quarantine(), erasedKeys, now);
  }

  /**
   * The writes plus, for each image of a table keyed by a pseudonym that has keys under older
   * versions (after a rotation), a delete of each older key at the image's version: re-keying moves
   * such a row to its new key, and the delete's guard keeps a newer row under the old key (the item
   * changed since) from being hidden. In the same pass and key order as the rest.
   */
  private static List<Change.Write> rekeyed(List<Change.Write> writes) {
    List<Change.Write> out = null;
    for (Change.Write w : writes) {
      if (!(w instanceof Change.Upsert u) || u.row().olderKeys().isEmpty()) continue;
      if (out == null) out = new ArrayList<>(writes);
      for (RowKey older : u.row().olderKeys()) {
        out.add(
            new Change.Delete(u.meta(), u.sequence(), u.table(), older, u.version(), u.version()));
      }
    }
    return out == null ? writes : out;
  }

  private static void quarantine(
      DSLContext dsl,
      List<Change.Quarantine> entries,
      Set<Change.Quarantine> erasedKeys,
      OffsetDateTime now) {
    var insert =
        dsl.insertInto(
            QUARANTINE,
            QUARANTINE.EVENT_ID,
            QUARANTINE.SEQUENCE_NUMBER,
            QUARANTINE.EVENT_SOURCE_ARN,
            QUARANTINE.EVENT_NAME,
            QUARANTINE.SOURCE_TABLE,
            QUARANTINE.SOURCE_KEY,
            QUARANTINE.ERROR_CODE,
            QUARANTINE.ATTRIBUTE,
            QUARANTINE.MESSAGE,
            QUARANTINE.APPROXIMATE_CREATION_TIME,
            QUARANTINE.QUARANTINED_AT);
    for (Change.Quarantine q : entries) {
      insert =
          insert.values(
              q.meta().eventId(),
              q.meta().sequenceNumber(),
              q.meta().eventSourceArn(),
              q.meta().eventName(),
              q.sourceTable(),
              // The record's position is kept; an erased subject's key is not.
              erasedKeys.contains(q) ? null : sourceKey(q),
              q.problem().code().name(),
              q.problem().attribute(),
              q.problem().getMessage(),
              q.meta().approximateCreation() == null
                  ? null
                  : q.meta().approximateCreation().atOffset(ZoneOffset.UTC),
              now);
    }
    insert.onConflictDoNothing().execute();
  }

  /**
   * The key as the warehouse stores it, column name to value: pseudonymised where the rule says.
   */
  private static JSONB sourceKey(Change.Quarantine q) {
    if (q.table() == null || q.key() == null) return null;
    Map<String, Object> key = new LinkedHashMap<>();
    List<String> columns = q.table().keyColumns();
    for (int i = 0; i < columns.size(); i++) {
      key.put(columns.get(i), TextForm.of(q.key().parts().get(i)));
    }
    return JSONB.valueOf(JsonText.write(key));
  }

  private static void rollbackQuietly(Connection connection) {
    if (connection == null) return;
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is likely broken; SqlFailure decides whether to drop it.
    }
  }
}
