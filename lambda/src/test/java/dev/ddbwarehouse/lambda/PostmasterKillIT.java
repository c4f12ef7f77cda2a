package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.schema.WarehouseMigrations;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The database server dies for real: its postmaster and the backend running the pipeline's COPY get
 * SIGKILL mid-statement, and the server comes back on the same data directory (crash recovery from
 * the WAL). A dedicated server, not the shared test warehouse, since this one is killed.
 */
class PostmasterKillIT {

  private static final int RECORDS = 10_000;
  private static final long FIRST = 1_000;
  private static final String WRITER = "kill_test_writer";

  @Test
  void serverKilledMidCopyLosesNothingAndDuplicatesNothing() throws Exception {
    Path data = Files.createTempDirectory("postmaster-kill");
    int port = freePort();
    EmbeddedPostgres server = start(data, port);
    EmbeddedPostgres restarted = null;
    try {
      String url = "jdbc:postgresql://localhost:" + port + "/postgres";
      WarehouseMigrations.migrate(url, "postgres", "postgres");
      execute(url, "CREATE ROLE " + WRITER + " LOGIN PASSWORD 'unused' IN ROLE etl_writer");
      // zonky starts the server with synchronous_commit off: without a checkpoint, the kill
      // can take the schema and the login role with it (the redelivery failed to log in, 28000).
      execute(url, "CHECKPOINT");
      List<BatchReport> reports = new ArrayList<>();
      BatchObserver observer = reports::add;
      StreamHandler handler =
          StreamHandler.fromEnvironment(
              TestKeys.environment(
                  Map.of(
                      "WAREHOUSE_JDBC_URL", url,
                      "WAREHOUSE_DB_USER", WRITER,
                      "WAREHOUSE_DB_PASSWORD", "unused")),
              observer);
      StreamEvents batch = StreamEvents.startingAt(FIRST);
      Map<String, Long> expected = new TreeMap<>();
      for (int i = 0; i < RECORDS; i++) {
        String id = "k-%05d".formatted(i);
        batch.insert(TransactionItem.of(id));
        expected.put(id, FIRST + i);
      }

      StreamsEventResponse killed;
      try (ServerKiller killer = ServerKiller.start(url, data)) {
        killed = Invocations.invoke(handler, batch, null);
        assertThat(killer.killed()).as("postmaster and backend killed mid-COPY").isTrue();
      }

      assertThat(killed.getBatchItemFailures())
          .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
          .containsExactly(StreamEvents.sequence(FIRST));
      assertThat(reports).singleElement().satisfies(r -> assertThat(r.committed()).isFalse());
      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
          .as("the server is down until restarted")
          .isInstanceOf(SQLException.class);
      close(server);
      restarted = start(data, port);
      assertThat(rows(url)).as("nothing of the killed COPY survives recovery").isEmpty();

      StreamsEventResponse redelivered = Invocations.invoke(handler, batch, null);

      assertThat(redelivered.getBatchItemFailures()).isEmpty();
      assertThat(rows(url)).as("each record exactly once").isEqualTo(expected);
    } finally {
      close(restarted);
      close(server);
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Initialises the data directory when it is empty; otherwise starts on what it holds. */
  private static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static void close(EmbeddedPostgres server) {
    if (server == null) return;
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      // A killed server cannot be stopped again; its lock on the data directory is released.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Every stored row: id → the sequence number that wrote it; a duplicate fails. */
  private static Map<String, Long> rows(String url) throws SQLException {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT transaction_id, source_sequence FROM warehouse.transactions")) {
      while (rs.next()) {
        assertThat(rows.put(rs.getString(1), rs.getLong(2))).as("duplicate").isNull();
      }
    }
    return rows;
  }

  /**
   * Watches for the pipeline's COPY and then sends SIGKILL to the postmaster (its pid is the first
   * line of the data directory's postmaster.pid) and to the backend running the COPY.
   */
  private static final class ServerKiller implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile boolean killed;
    private volatile Exception failure;

    private ServerKiller(String url, Path data) {
      thread = new Thread(() -> run(url, data), "server-killer");
      thread.setDaemon(true);
    }

    static ServerKiller start(String url, Path data) {
      ServerKiller k = new ServerKiller(url, data);
      k.thread.start();
      return k;
    }

    boolean killed() throws InterruptedException {
      stop = true;
      thread.join(10_000);
      if (failure != null) throw new IllegalStateException("killer failed", failure);
      return killed;
    }

    private void run(String url, Path data) {
      try {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0));
        try (Connection admin = DriverManager.getConnection(url, "postgres", "postgres");
            PreparedStatement copying =
                admin.prepareStatement(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'ddb-warehouse-etl'"
                        + " AND state = 'active' AND query ILIKE 'COPY warehouse.transactions%'")) {
          while (!stop) {
            try (ResultSet rs = copying.executeQuery()) {
              if (rs.next()) {
                long backend = rs.getLong(1);
                sigkill(postmaster);
                sigkill(backend);
                killed = true;
                return;
              }
            }
            Thread.sleep(2);
          }
        }
      } catch (IOException | SQLException | InterruptedException e) {
        failure = e;
      }
    }

    /** ProcessHandle.destroyForcibly is SIGKILL on Unix: no shutdown, no checkpoint. */
    private static void sigkill(long pid) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
      stop = true;
    }
  }
}
