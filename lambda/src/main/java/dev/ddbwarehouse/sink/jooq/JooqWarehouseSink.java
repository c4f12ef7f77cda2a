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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
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
  private final RetryPolicy retry = RetryPolicy.standard();

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
      Duration pause;
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
        pause = nextPause(attempt, failure, e);
      } finally {
        // After the rollback: a rollback on a stalled server is bounded by the deadline too.
        if (deadline != null) deadline.close();
      }
      sleep(pause);
    }
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

  /** SQLSTATEs only, never data; says when the invocation's time budget is why. */
  private String describe(SqlFailure failure, String otherwise) {
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

  /** Renders the upsert for these rows without a database: warms jOOQ for SnapStart priming. */
  public static String render(List<Change.Upsert> upserts) {
    DSLContext dsl = DSL.using(SQLDialect.POSTGRES, SETTINGS);
    return UnnestUpsert.upserts(dsl, upserts, OffsetDateTime.now(ZoneOffset.UTC)).getSQL();
  }

  private void writeIn(DSLContext dsl, Connection connection, WriteBatch batch)
      throws SQLException {
    OffsetDateTime now = batch.now().atOffset(ZoneOffset.UTC);
    // Images and deletes together, in one key order, in one pass (see CopyUpsert): every batch
    // locks rows in the same order, so two batches on the same rows (live and backfill streams)
    // wait for each other instead of deadlocking. The quarantine comes last: no batch locks a
    // warehouse row after it.
    List<Change> changes = new ArrayList<>(batch.upserts().size() + batch.deletes().size());
    changes.addAll(batch.upserts());
    changes.addAll(batch.deletes());
    changes.sort(KeyOrder.CHANGES);
    if (!changes.isEmpty()) CopyUpsert.write(dsl, connection, staging, changes, now);
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
