package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an analyst logged in as bi_reader can learn about soft-deleted rows: nothing, not even
 * through EXPLAIN ANALYZE or planner settings they are free to change.
 */
class BiExistenceOracleIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  @BeforeEach
  void fiveThousandRowsEveryTenthDeleted() {
    DB.truncateAll();
    DB.execute(
        """
        INSERT INTO warehouse.transactions (transaction_id, user_pseudonym, amount, currency,
          created_at, key_version, source_version, source_stream, source_sequence, ingested_at,
          deleted_at)
        SELECT 't-' || i, 'u-' || (i % 100), 1, 'EUR', now(), 'v1', now(), 's', i, now(),
          CASE WHEN i % 10 = 0 THEN now() END
        FROM generate_series(1, 5000) i;
        -- Deleted the way the ETL deletes: a live row updated, its old version still indexed.
        UPDATE warehouse.transactions SET deleted_at = now() WHERE transaction_id = 't-11';
        ANALYZE warehouse.transactions;
        """);
  }

  @AfterEach
  void empty() {
    DB.truncateAll();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "RESET ALL",
        "SET cpu_operator_cost = 0; SET cpu_index_tuple_cost = 0; SET cpu_tuple_cost = 0;"
            + " SET random_page_cost = 0; SET seq_page_cost = 0",
        "SET enable_indexscan = off",
        "SET enable_indexscan = off; SET enable_bitmapscan = off",
      })
  void pointLookupOfADeletedIdLooksLikeOneThatNeverExisted(String plannerSettings)
      throws SQLException {
    // Once vacuum has removed the live version t-11 had before its delete (see the next test).
    DB.execute("VACUUM warehouse.transactions");
    try (Connection reader = DB.readerConnection();
        Statement s = reader.createStatement()) {
      s.execute(plannerSettings);
      for (String deleted : List.of("t-10", "t-11")) assertIndistinguishable(s, deleted);
    }
  }

  @Test
  void lookupRightAfterADeleteLooksLikeOneThatNeverExisted() throws SQLException {
    try (Connection reader = DB.readerConnection();
        Statement s = reader.createStatement()) {
      assertIndistinguishable(s, "t-11");
      assertIndistinguishable(s, "t-11");
    }
  }

  private static void assertIndistinguishable(Statement s, String deleted) throws SQLException {
    String plan = plan(s, deleted);
    if (!plan.contains("Seq Scan on transactions")) {
      // A sequential scan filters out every row of the table, for any id (under the anti-join
      // with the erasure suppression list since V8, too); any other plan must not touch a deleted
      // row at all.
      assertThat(plan).as(plan).doesNotContain("Removed");
    }
    assertThat(plan.replace(deleted, "ID"))
        .as("plans of a deleted and a never-existing id")
        .isEqualTo(plan(s, "t-never").replace("t-never", "ID"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"transactions", "transaction_attributes"})
  void viewsAreSecurityBarriers(String view) throws SQLException {
    // Then no qual of the reader that is not leakproof (a function of their own in pg_temp, an
    // expression that raises an error) is evaluated before the view's filter.
    try (Connection reader = DB.readerConnection();
        Statement s = reader.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.reloptions::text FROM pg_class c JOIN pg_namespace n ON n.oid ="
                    + " c.relnamespace WHERE n.nspname = 'bi' AND c.relname = '"
                    + view
                    + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).contains("security_barrier=true");
    }
  }

  private static String plan(Statement s, String id) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
                + "SELECT * FROM bi.transactions WHERE transaction_id = '"
                + id
                + "'")) {
      while (rs.next()) lines.add(rs.getString(1));
    }
    return String.join("\n", lines);
  }
}
