package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapStartHooksIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  @Test
  void primingWritesNothingAndNoConnectionCrossesTheSnapshot() throws Exception {
    DB.truncateAll();
    Pipeline pipeline =
        Pipeline.fromEnvironment(TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
    StreamHandler handler = new StreamHandler(pipeline);
    // Other tests' handlers in this JVM keep their sessions, and pgjdbc closes them whenever they
    // are collected: follow this handler's own backend, not the count.
    Set<Long> before = etlSessions();
    Invocations.invoke(handler, StreamEvents.startingAt(1).insert(TransactionItem.of("t-1")), null);
    Set<Long> ours = new HashSet<>(etlSessions());
    ours.removeAll(before);
    assertThat(ours).as("the handler's one session").hasSize(1);

    SnapStartHooks.register(pipeline).beforeCheckpoint(null);

    assertThat(etlSessions())
        .as("the snapshot must not hold a connection")
        .doesNotContainAnyElementsOf(ours);
    assertThat(rows()).as("priming writes nothing").isEqualTo(1);

    SnapStartHooks.register(pipeline).afterRestore(null);
    Invocations.invoke(handler, StreamEvents.startingAt(2).insert(TransactionItem.of("t-2")), null);
    assertThat(rows()).isEqualTo(2);
  }

  /** Backend pids of ETL sessions. */
  private static Set<Long> etlSessions() throws Exception {
    // A closed client connection ends its server backend asynchronously: let the set settle.
    Set<Long> previous = null;
    for (int i = 0; i < 50; i++) {
      Set<Long> pids = new HashSet<>();
      try (Connection c = DB.adminConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT pid FROM pg_stat_activity WHERE application_name = 'ddb-warehouse-etl'")) {
        while (rs.next()) pids.add(rs.getLong(1));
      }
      if (pids.equals(previous)) return pids;
      previous = pids;
      Thread.sleep(50);
    }
    return previous;
  }

  private static long rows() throws Exception {
    return query("SELECT count(*) FROM warehouse.transactions");
  }

  private static long query(String sql) throws Exception {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
