package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The small-cell-suppressed aggregates of V9, read as an analyst (a bi_reader login): a cell of 4
 * people is not shown, one of 5 is, and deleted or erased people never count towards the 5.
 */
class KAnonymityViewsIT {

  private static TestWarehouse warehouse;

  @BeforeAll
  static void start() {
    warehouse = TestWarehouse.shared();
  }

  @BeforeEach
  void clean() {
    warehouse.truncateAll();
  }

  @Test
  void aCohortOfFourUsersIsHiddenAndOneOfFiveShown() throws SQLException {
    users("four", 4, 1985, "female", "DE");
    users("five", 5, 1990, "male", "FR");

    assertThat(asReader("SELECT * FROM bi.user_profiles_by_cohort"))
        .containsExactly("1990|male|FR|2024-01-01|5");
  }

  @Test
  void deletedAndErasedUsersDoNotMakeACellVisible() throws SQLException {
    users("cell", 5, 1985, "female", "DE");
    users("gone", 1, 1985, "female", "DE");
    users("erased", 1, 1985, "female", "DE");
    // Seven stored in the cell, three not counted: two soft-deleted, one on the erasure list.
    warehouse.execute(
        "UPDATE warehouse.user_profiles SET deleted_at = now() WHERE user_pseudonym = 'cell-0'");
    warehouse.execute(
        "UPDATE warehouse.user_profiles SET deleted_at = now() WHERE user_pseudonym = 'gone-0'");
    warehouse.execute(
        "INSERT INTO etl.erased_subjects VALUES ('user', 'v1', 'erased-0', 'req-1', now())");

    assertThat(asReader("SELECT * FROM bi.user_profiles_by_cohort"))
        .as("4 live, unerased users: hidden")
        .isEmpty();

    users("back", 1, 1985, "female", "DE");
    assertThat(asReader("SELECT users FROM bi.user_profiles_by_cohort")).containsExactly("5");
  }

  @Test
  void monthlySpendShowsOnlyCellsOfFiveDistinctUsers() throws SQLException {
    users("four", 4, 1985, "female", "DE");
    users("five", 5, 1990, "male", "FR");
    // Many payments of few people are still few people: 4 users with 10 payments each stay hidden.
    for (int i = 0; i < 4; i++) {
      for (int n = 0; n < 10; n++)
        payment("four-" + i, n, "EUR", "10.00", "2024-03-0" + (n % 9 + 1));
    }
    for (int i = 0; i < 5; i++) payment("five-" + i, 0, "EUR", "2.50", "2024-03-15");
    // Four of the five also paid in another currency: a cell of its own, of 4 users, hidden.
    for (int i = 0; i < 4; i++) payment("five-" + i, 1, "CHF", "99.00", "2024-03-16");
    // Deleted payments count for nothing.
    payment("five-0", 2, "EUR", "1000.00", "2024-03-17");
    warehouse.execute(
        "UPDATE warehouse.transactions SET deleted_at = now() WHERE transaction_id = 'five-0-2'");

    assertThat(asReader("SELECT * FROM bi.monthly_spend_by_cohort"))
        .containsExactly("2024-03-01|1990|male|FR|EUR|5|5|12.50");
  }

  @Test
  void anErasedUsersPaymentsDoNotCount() throws SQLException {
    users("five", 5, 1990, "male", "FR");
    for (int i = 0; i < 5; i++) payment("five-" + i, 0, "EUR", "2.50", "2024-03-15");
    warehouse.execute(
        "INSERT INTO etl.erased_subjects VALUES ('user', 'v1', 'five-4', 'req-1', now())");

    assertThat(asReader("SELECT * FROM bi.monthly_spend_by_cohort")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"user_profiles_by_cohort", "monthly_spend_by_cohort"})
  void theViewsAreSecurityBarriersWithAComment(String view) throws SQLException {
    assertThat(
            asReader(
                "SELECT c.reloptions::text, obj_description(c.oid, 'pg_class') IS NOT NULL"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'bi' AND c.relname = '"
                    + view
                    + "'"))
        .singleElement()
        .asString()
        .contains("security_barrier=true")
        .endsWith("|t");
  }

  private static void users(String prefix, int count, int band, String sex, String country) {
    warehouse.execute(
        ("INSERT INTO warehouse.user_profiles (user_pseudonym, birth_year_band, sex, country,"
                + " signup_month, key_version, source_version, source_stream, source_sequence,"
                + " ingested_at) SELECT '%s-' || i, %d, '%s', '%s', '2024-01-01', 'v1', now(),"
                + " 'test', 1, now() FROM generate_series(0, %d) i")
            .formatted(prefix, band, sex, country, count - 1));
  }

  private static void payment(String user, int n, String currency, String amount, String day) {
    warehouse.execute(
        ("INSERT INTO warehouse.transactions (transaction_id, user_pseudonym, amount, currency,"
                + " created_at, key_version, source_version, source_stream, source_sequence,"
                + " ingested_at) VALUES ('%s-%d', '%s', %s, '%s', '%sT12:00:00Z', 'v1', now(),"
                + " 'test', 1, now())")
            .formatted(user, n, user, amount, currency, day));
  }

  /** Each row as its columns joined by {@code |}. */
  private static List<String> asReader(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = warehouse.readerConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) row.add(rs.getString(i));
        rows.add(String.join("|", row));
      }
    }
    return rows;
  }
}
