package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults a production warehouse meets, injected while a real batch is written: the database ending
 * the pipeline's session in the middle of a statement, and a grant taken away. Each asserts the
 * exact response, then delivers the batch again as Lambda would, and checks that every record
 * landed exactly once with the content its record carries.
 *
 * <p>A full tablespace is not among them: it needs a size-limited file system under the server's
 * data, which only root can mount (a file-size limit would have to be set on the server process at
 * start and would hit the WAL first).
 */
class FaultSuiteIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final int LARGE = 10_000;
  private static final long FIRST = 1_000;

  private final List<BatchReport> reports = new ArrayList<>();
  private StreamHandler handler;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
    BatchObserver observer = reports::add;
    handler = StreamHandler.fromEnvironment(TestKeys.environment(DB.writerEnvironment()), observer);
  }

  @AfterEach
  void grantBack() {
    DB.execute("GRANT INSERT ON warehouse.transactions TO etl_writer");
  }

  /**
   * {@code statement}: what the pipeline's session is running when it is ended. A kill is healed by
   * the next attempt on a fresh connection; a kill of every attempt leaves the batch to Lambda,
   * with nothing committed. A batch has three: its lane while it is read, then the sink's write and
   * that write's immediate retry.
   */
  @ParameterizedTest(name = "{0}, ended {1}x")
  @CsvSource({
    "direct COPY,  1, 3, COPY warehouse.transactions%",
    "direct COPY,  2, 3, COPY warehouse.transactions%",
    "direct COPY,  3, 3, COPY warehouse.transactions%",
    "staged merge, 1, 3, insert into \"warehouse\".\"transactions\"%",
    "staged merge, 2, 3, insert into \"warehouse\".\"transactions\"%",
    "staged merge, 3, 3, insert into \"warehouse\".\"transactions\"%"
  })
  void backendEndedMidStatementLosesNothingAndDuplicatesNothing(
      String lane, int kills, int attempts, String statement) throws Exception {
    Batch batch =
        lane.equals("direct COPY") ? Batch.inserts(LARGE) : Batch.modifiesAndDeletes(LARGE);

    StreamsEventResponse response;
    try (BackendKiller killer = BackendKiller.start(statement, kills)) {
      response = Invocations.invoke(handler, batch.events(), null);
      assertThat(killer.kills()).as("sessions ended mid-statement").isEqualTo(kills);
    }

    if (kills < attempts) {
      assertThat(response.getBatchItemFailures()).as("healed by the next attempt").isEmpty();
      assertThat(reports).last().satisfies(r -> assertThat(r.committed()).isTrue());
      assertThat(rows()).isEqualTo(batch.expected());
    } else {
      assertThat(failedFrom(response)).containsExactly(StreamEvents.sequence(FIRST));
      assertThat(reports).last().satisfies(r -> assertThat(r.committed()).isFalse());
      assertThat(rows()).as("nothing committed").isEmpty();
    }

    StreamsEventResponse redelivered = Invocations.invoke(handler, batch.events(), null);

    assertThat(redelivered.getBatchItemFailures()).isEmpty();
    assertThat(rows()).as("each record exactly once").isEqualTo(batch.expected());
  }

  @Test
  void revokedInsertGrantKeepsTheBatchUntilTheGrantIsBack() throws Exception {
    Batch batch = Batch.mixed(300);
    DB.execute("REVOKE INSERT ON warehouse.transactions FROM etl_writer");

    StreamsEventResponse refused = Invocations.invoke(handler, batch.events(), null);

    assertThat(failedFrom(refused)).containsExactly(StreamEvents.sequence(FIRST));
    assertThat(reports).singleElement().satisfies(r -> assertThat(r.committed()).isFalse());
    assertThat(rows()).isEmpty();
    assertThat(quarantined()).as("a missing grant is not the records' fault").isZero();

    DB.execute("GRANT INSERT ON warehouse.transactions TO etl_writer");
    StreamsEventResponse redelivered = Invocations.invoke(handler, batch.events(), null);

    assertThat(redelivered.getBatchItemFailures()).isEmpty();
    assertThat(rows()).isEqualTo(batch.expected());
  }

  private static List<String> failedFrom(StreamsEventResponse response) {
    return response.getBatchItemFailures().stream()
        .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  /** Every stored row: id → status, sequence of the change that wrote it, live or deleted. */
  private static Map<String, String> rows() throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT transaction_id, status, source_sequence, deleted_at IS NOT NULL"
                    + " FROM warehouse.transactions")) {
      while (rs.next()) {
        String previous =
            rows.put(rs.getString(1), row(rs.getString(2), rs.getLong(3), rs.getBoolean(4)));
        assertThat(previous).as("duplicate %s", rs.getString(1)).isNull();
      }
    }
    return rows;
  }

  private static String row(String status, long sequence, boolean deleted) {
    return status + " @" + sequence + (deleted ? " deleted" : " live");
  }

  private static long quarantined() throws SQLException {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM etl.quarantine")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A batch and the rows it must leave, whatever happened on the way. */
  private record Batch(StreamEvents events, Map<String, String> expected) {

    StreamEvents event() {
      return events;
    }

    /** INSERTs of new items: the direct COPY lane. */
    static Batch inserts(int n) {
      return build(n, i -> 0);
    }

    /** MODIFY images and one delete in ten: the staged merge. */
    static Batch modifiesAndDeletes(int n) {
      return build(n, i -> i % 10 == 0 ? 2 : 1);
    }

    /** All three kinds. */
    static Batch mixed(int n) {
      return build(n, i -> i % 3);
    }

    /** {@code kind}: 0 INSERT, 1 MODIFY, 2 REMOVE (a tombstone: nothing was stored before). */
    private static Batch build(int n, IntUnaryOperator kind) {
      StreamEvents events = StreamEvents.startingAt(FIRST);
      Map<String, String> expected = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        String id = "f-%05d".formatted(i);
        TransactionItem before = TransactionItem.of(id);
        TransactionItem after =
            before.copy().s("status", "S" + i % 7).s("updatedAt", "2026-01-01T11:00:00Z");
        long sequence = FIRST + i;
        switch (kind.applyAsInt(i)) {
          case 0 -> {
            events.insert(after);
            expected.put(id, row("S" + i % 7, sequence, false));
          }
          case 1 -> {
            events.modify(before, after);
            expected.put(id, row("S" + i % 7, sequence, false));
          }
          default -> {
            events.remove(before);
            expected.put(id, row(null, sequence, true));
          }
        }
      }
      return new Batch(events, expected);
    }
  }

  /**
   * Ends the pipeline's session from an administrator connection ({@code pg_terminate_backend}),
   * each time it is seen running {@code statement}, up to {@code kills} times.
   */
  private static final class BackendKiller implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile int kills;
    private volatile Exception failure;

    private BackendKiller(String statement, int limit) {
      thread = new Thread(() -> run(statement, limit), "backend-killer");
      thread.setDaemon(true);
    }

    static BackendKiller start(String statement, int limit) {
      BackendKiller k = new BackendKiller(statement, limit);
      k.thread.start();
      return k;
    }

    int kills() throws InterruptedException {
      stop = true;
      thread.join(10_000);
      if (failure != null) throw new IllegalStateException("killer failed", failure);
      return kills;
    }

    private void run(String statement, int limit) {
      try (Connection admin = DB.adminConnection();
          PreparedStatement running =
              admin.prepareStatement(
                  "SELECT pid FROM pg_stat_activity"
                      + " WHERE application_name = 'ddb-warehouse-etl' AND state = 'active'"
                      + " AND query ILIKE ?");
          PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
        running.setString(1, statement);
        Set<Integer> ended = new HashSet<>();
        while (!stop && kills < limit) {
          try (ResultSet rs = running.executeQuery()) {
            // A backend that was told to end may still be listed for a moment: count it once.
            while (rs.next()) {
              if (!ended.add(rs.getInt(1))) continue;
              terminate.setInt(1, rs.getInt(1));
              try (ResultSet t = terminate.executeQuery()) {
                if (t.next() && t.getBoolean(1)) kills++;
              }
            }
          }
          Thread.sleep(2);
        }
      } catch (SQLException | InterruptedException e) {
        failure = e;
      }
    }

    @Override
    public void close() {
      stop = true;
    }
  }
}
