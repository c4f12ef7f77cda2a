package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class SnapStartHooksIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  @Test
  void primingWritesNothingAndNoConnectionCrossesTheSnapshot() throws Exception {
    DB.truncateAll();
    Pipeline pipeline = Pipeline.fromEnvironment(TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
    TransactionStreamHandler handler = new TransactionStreamHandler(pipeline);
    long othersOpen = etlSessions(); // handlers of other tests in this JVM keep theirs
    handler.handleRequest(StreamEvents.startingAt(1).insert(TransactionItem.of("t-1")).event(), null);
    assertThat(etlSessions()).isEqualTo(othersOpen + 1);

    SnapStartHooks.register(pipeline).beforeCheckpoint(null);

    assertThat(etlSessions()).as("the snapshot must not hold a connection").isEqualTo(othersOpen);
    assertThat(rows()).as("priming writes nothing").isEqualTo(1);

    SnapStartHooks.register(pipeline).afterRestore(null);
    handler.handleRequest(StreamEvents.startingAt(2).insert(TransactionItem.of("t-2")).event(), null);
    assertThat(rows()).isEqualTo(2);
  }

  private static long etlSessions() throws Exception {
    // A closed client connection ends its server backend asynchronously: let the count settle.
    long previous = -1;
    for (int i = 0; i < 50; i++) {
      long n = query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ddb-warehouse-etl'");
      if (n == previous) return n;
      previous = n;
      Thread.sleep(50);
    }
    return previous;
  }

  private static long rows() throws Exception {
    return query("SELECT count(*) FROM warehouse.transactions");
  }

  private static long query(String sql) throws Exception {
    try (Connection c = DB.adminConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
