package dev.ddbwarehouse.sink.jooq;

import static dev.ddbwarehouse.schema.jooq.etl.Tables.QUARANTINE;

import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.pipeline.WarehouseRejectedException;
import dev.ddbwarehouse.core.pipeline.WarehouseSink;
import dev.ddbwarehouse.core.pipeline.WriteBatch;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.db.TimeBudget;
import dev.ddbwarehouse.db.TransactionDeadline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Writes a batch in one transaction with set-based statements, whatever the batch size: the images
 * by COPY (see {@link CopyUpsert} for its two lanes), one upsert for all deletes (see {@link
 * UnnestUpsert}), one insert for the quarantine.
 */
public final class JooqWarehouseSink implements WarehouseSink {

  static {
    // jOOQ prints a banner and tips on first use; neither belongs in a Lambda's log.
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  /** A broken connection is worth one immediate retry on a new one before Lambda's retry. */
  private static final int ATTEMPTS = 2;

  private static final Settings SETTINGS =
      new Settings().withExecuteLogging(false).withRenderSchema(true);

  private final SingleConnection connections;
  private final TimeBudget budget;
  private final CopyUpsert.Staging staging = new CopyUpsert.Staging();

  /** Writes through {@code connections}, each transaction bounded by {@code budget}. */
  public JooqWarehouseSink(SingleConnection connections, TimeBudget budget) {
    this.connections = connections;
    this.budget = budget;
  }

  @Override
  public void write(WriteBatch batch) {
    if (batch.isEmpty()) return;
    if (!TransactionDeadline.canStart(budget)) {
      throw new TransientFailureException(
          "no time left in the invocation's time budget for the warehouse write", null);
    }
    for (int attempt = 1; ; attempt++) {
      Connection connection = null;
      TransactionDeadline deadline = null;
      try {
        connection = connections.get();
        deadline = TransactionDeadline.start(connection, budget);
        DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
        writeIn(dsl, connection, batch);
        connection.commit();
        staging.committed();
        return;
      } catch (SQLException | DataAccessException e) {
        rollbackQuietly(connection);
        staging.rolledBack();
        SqlFailure failure = SqlFailure.of(e);
        if (failure.rejectsData()) throw new WarehouseRejectedException(failure.sqlState(), e);
        if (failure.brokeConnection()) connections.invalidate();
        if (attempt >= ATTEMPTS
            || !failure.worthImmediateRetry()
            || !TransactionDeadline.canStart(budget)) {
          throw new TransientFailureException(describe(failure), e);
        }
      } finally {
        // After the rollback: a rollback on a stalled server is bounded by the deadline too.
        if (deadline != null) deadline.close();
      }
    }
  }

  /** SQLSTATEs only, never data; says when the invocation's time budget is why. */
  private String describe(SqlFailure failure) {
    String state = " (SQLSTATE " + failure.sqlState() + ")";
    if (failure.timedOut()) {
      return "warehouse write cancelled at the end of the invocation's time budget" + state;
    }
    if (budget.bounded() && budget.hardMillisLeft() <= 0) {
      return "the warehouse did not answer within the invocation's time budget" + state;
    }
    return "warehouse write not committed" + state;
  }

  /** Renders the upsert for these rows without a database: warms jOOQ for SnapStart priming. */
  public static String render(List<Change.Upsert> upserts) {
    DSLContext dsl = DSL.using(SQLDialect.POSTGRES, SETTINGS);
    return UnnestUpsert.upserts(dsl, upserts, OffsetDateTime.now(ZoneOffset.UTC)).getSQL();
  }

  private void writeIn(DSLContext dsl, Connection connection, WriteBatch batch)
      throws SQLException {
    OffsetDateTime now = batch.now().atOffset(ZoneOffset.UTC);
    // Sorted by key so that concurrent batches touching the same rows (live and backfill streams)
    // take row locks in one order and cannot deadlock each other.
    List<Change.Upsert> upserts =
        batch.upserts().stream()
            .sorted(Comparator.comparing(u -> u.row().transactionId()))
            .toList();
    List<Change.Delete> deletes =
        batch.deletes().stream()
            .sorted(Comparator.comparing(Change.Delete::transactionId))
            .toList();
    if (!upserts.isEmpty()) CopyUpsert.write(dsl, connection, staging, upserts, now);
    if (!deletes.isEmpty()) UnnestUpsert.deletes(dsl, deletes, now).execute();
    if (!batch.quarantine().isEmpty()) quarantine(dsl, batch.quarantine(), now);
  }

  private static void quarantine(
      DSLContext dsl, List<Change.Quarantine> entries, OffsetDateTime now) {
    var insert =
        dsl.insertInto(
            QUARANTINE,
            QUARANTINE.EVENT_ID,
            QUARANTINE.SEQUENCE_NUMBER,
            QUARANTINE.EVENT_SOURCE_ARN,
            QUARANTINE.EVENT_NAME,
            QUARANTINE.TRANSACTION_ID,
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
              q.transactionId(),
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

  private static void rollbackQuietly(Connection connection) {
    if (connection == null) return;
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is likely broken; SqlFailure decides whether to drop it.
    }
  }
}
