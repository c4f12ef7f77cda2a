package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.lambda.LoggedHandler.failures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TcpProxy;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A held row lock, a server that stops answering and a slow statement each end in a response that
 * names the batch's first record for retry, before Lambda's timeout would kill the invocation.
 */
class InvocationTimeoutIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  /** What the context says is left: small, so a hang shows up fast. */
  private static final Duration REMAINING = Duration.ofSeconds(3);

  /** A correctness bound on a loaded machine, not a benchmark. */
  private static final Duration MARGIN = Duration.ofSeconds(3);

  /** Without budgets each case hangs; this turns the hang into a failure. */
  private static final Duration HANG = Duration.ofSeconds(30);

  private static final Duration PLENTY = Duration.ofSeconds(60);

  @BeforeEach
  void clean() {
    DB.truncateAll();
  }

  @Test
  void heldRowLockEndsInRetryWithinTheBudget() throws SQLException {
    LoggedHandler handler = new LoggedHandler(DB.writerEnvironment(), "f");
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem v2 = v1.copy().s("status", "BOOKED").s("updatedAt", "2026-01-01T11:00:00Z");
    assertThat(failures(handler.run(StreamEvents.startingAt(1).insert(v1), PLENTY))).isEmpty();

    try (Connection locker = DB.adminConnection();
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.executeQuery("SELECT 1 FROM warehouse.transactions WHERE transaction_id = 't-1' FOR UPDATE")
          .close();

      Timed timed = timed(() -> handler.run(StreamEvents.startingAt(2).modify(v1, v2), REMAINING));

      assertThat(failures(timed.response())).containsExactly(StreamEvents.sequence(2));
      assertThat(timed.elapsed()).isLessThan(REMAINING.plus(MARGIN));
      assertThat(failureLogged(handler))
          .as("cancelled by the server (lock_timeout, or a cancel at the work deadline)")
          .containsAnyOf("SQLSTATE 55P03", "SQLSTATE 57014");
      locker.rollback();
    }

    assertThat(failures(handler.run(StreamEvents.startingAt(2).modify(v1, v2), PLENTY)))
        .as("the retry after the lock is released commits on the same handler")
        .isEmpty();
    assertThat(status("t-1")).isEqualTo("BOOKED");
  }

  @Test
  void erasureInProgressEndsInRetryWithinTheBudget() throws SQLException {
    LoggedHandler handler = new LoggedHandler(DB.writerEnvironment(), "f");
    try (Connection eraser = DB.adminConnection();
        Statement s = eraser.createStatement()) {
      eraser.setAutoCommit(false);
      // The erasure's side of the lock a batch takes shared in its first round trip.
      s.executeQuery("SELECT pg_advisory_xact_lock(x'6464776572617365'::bigint)").close();

      Timed timed =
          timed(
              () ->
                  handler.run(
                      StreamEvents.startingAt(3).insert(TransactionItem.of("t-3")), REMAINING));

      assertThat(failures(timed.response())).containsExactly(StreamEvents.sequence(3));
      assertThat(timed.elapsed()).isLessThan(REMAINING.plus(MARGIN));
      assertThat(failureLogged(handler)).containsAnyOf("SQLSTATE 55P03", "SQLSTATE 57014");
      eraser.rollback();
    }
    assertThat(
            failures(
                handler.run(StreamEvents.startingAt(3).insert(TransactionItem.of("t-3")), PLENTY)))
        .as("the retry once the erasure ended commits on the same handler")
        .isEmpty();
    assertThat(status("t-3")).isNotNull();
  }

  @Test
  void slowStatementIsCancelledWithinTheBudgetAndTheConnectionStaysUsable() {
    LoggedHandler handler = new LoggedHandler(DB.writerEnvironment(), "f");
    DB.execute(
        """
        CREATE FUNCTION warehouse.test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$;
        CREATE TRIGGER test_slow_insert BEFORE INSERT ON warehouse.transactions
        FOR EACH ROW WHEN (NEW.transaction_id LIKE 'slow-%')
        EXECUTE FUNCTION warehouse.test_slow_insert();
        """);
    try {
      Timed timed =
          timed(
              () ->
                  handler.run(
                      StreamEvents.startingAt(7).insert(TransactionItem.of("slow-1")), REMAINING));

      assertThat(failures(timed.response())).containsExactly(StreamEvents.sequence(7));
      assertThat(timed.elapsed()).isLessThan(REMAINING.plus(MARGIN));
      assertThat(failureLogged(handler)).contains("SQLSTATE 57014");
    } finally {
      DB.execute(
          "DROP TRIGGER test_slow_insert ON warehouse.transactions;"
              + " DROP FUNCTION warehouse.test_slow_insert()");
    }
    assertThat(
            failures(
                handler.run(StreamEvents.startingAt(8).insert(TransactionItem.of("t-2")), PLENTY)))
        .isEmpty();
  }

  @Test
  void serverThatAcceptsAndNeverAnswersEndsInRetryWithinTheBudget() throws Exception {
    try (TcpProxy proxy = proxy()) {
      proxy.blackHole();
      // As in Lambda: the warm-up thread connects first and hangs on the silent server too.
      Map<String, String> env = new HashMap<>(TestKeys.environment(throughProxy(proxy)));
      StreamHandler handler = StreamHandler.fromEnvironment(env, report -> {});

      Timed timed =
          timed(
              () ->
                  Invocations.invoke(
                      handler,
                      StreamEvents.startingAt(3).insert(TransactionItem.of("t-1")),
                      LocalContext.startingNow(REMAINING)));

      assertThat(failures(timed.response())).containsExactly(StreamEvents.sequence(3));
      assertThat(timed.elapsed()).isLessThan(REMAINING.plus(MARGIN));
    }
  }

  @Test
  void serverThatStallsMidSessionEndsInRetryWithinTheBudget() throws Exception {
    try (TcpProxy proxy = proxy()) {
      LoggedHandler handler = new LoggedHandler(throughProxy(proxy), "f");
      // Connected through the proxy, and the batch path warm, so the budget goes to the write.
      assertThat(failures(handler.run(inserts(1, "warm-"), PLENTY))).isEmpty();
      proxy.blackHole();
      StreamEvents batch = inserts(10, "t-");

      Timed timed = timed(() -> handler.run(batch, REMAINING));

      assertThat(failures(timed.response())).containsExactly(StreamEvents.sequence(10));
      assertThat(timed.elapsed()).isLessThan(REMAINING.plus(MARGIN));
      assertThat(failureLogged(handler))
          .contains("the warehouse did not answer within the invocation's time budget");
    }
  }

  /** Enough rows that the COPY fills the socket buffers: the client blocks writing too. */
  private static StreamEvents inserts(long firstSequence, String idPrefix) {
    StreamEvents batch = StreamEvents.startingAt(firstSequence);
    for (int i = 0; i < 2_000; i++) batch.insert(TransactionItem.of(idPrefix + i));
    return batch;
  }

  private static TcpProxy proxy() throws Exception {
    URI uri = URI.create(DB.jdbcUrl().substring("jdbc:".length()));
    return TcpProxy.to(uri.getHost(), uri.getPort());
  }

  private static Map<String, String> throughProxy(TcpProxy proxy) {
    Map<String, String> env = new HashMap<>(DB.writerEnvironment());
    env.put("WAREHOUSE_JDBC_URL", proxy.jdbcUrl(DB.jdbcUrl()));
    return env;
  }

  /** The failure of the last batch the handler logged as not committed. */
  private static String failureLogged(LoggedHandler handler) {
    List<Object> failures =
        handler.lines().stream()
            .filter(l -> l.containsKey("retryFrom"))
            .map(l -> l.get("failure"))
            .toList();
    assertThat(failures).as("batches logged as not committed").isNotEmpty();
    return String.valueOf(failures.get(failures.size() - 1));
  }

  private static String status(String id) throws SQLException {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT status FROM warehouse.transactions WHERE transaction_id = '" + id + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private record Timed(StreamsEventResponse response, Duration elapsed) {}

  private static Timed timed(Supplier<StreamsEventResponse> call) {
    return assertTimeoutPreemptively(
        HANG,
        () -> {
          long start = System.nanoTime();
          StreamsEventResponse response = call.get();
          return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
        });
  }
}
