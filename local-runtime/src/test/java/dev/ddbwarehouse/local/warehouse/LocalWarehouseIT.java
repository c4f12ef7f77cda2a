package dev.ddbwarehouse.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL of run-local (and --serve) checks passwords (SCRAM) for every login, the
 * superuser's included: a local user who knows the port is not let in.
 */
class LocalWarehouseIT {

  private static LocalWarehouse warehouse;

  @BeforeAll
  static void start() {
    warehouse = LocalWarehouse.embedded();
    warehouse.migrate();
  }

  @AfterAll
  static void stop() {
    warehouse.close();
  }

  private static String refusal(String user, String password) {
    SQLException e =
        catchThrowableOfType(
            SQLException.class,
            () -> DriverManager.getConnection(warehouse.admin().jdbcUrl(), user, password).close());
    assertThat((Throwable) e).as("login of %s refused", user).isNotNull();
    return e.getSQLState();
  }

  @Test
  void refusesTheReaderWithAWrongPassword() {
    LocalWarehouse.Login reader = warehouse.loginInRole("analyst", "bi_reader");
    assertThat(refusal(reader.user(), reader.password() + "x")).isEqualTo("28P01");
  }

  @Test
  void refusesTheSuperuserWithoutItsPassword() {
    // 08004: the server asked for SCRAM, and pgjdbc has no password to answer with.
    assertThat(refusal("postgres", "")).isEqualTo("08004");
    assertThat(refusal("postgres", "postgres")).isEqualTo("28P01");
  }

  @Test
  void usesScramAndLetsTheRightPasswordIn() throws SQLException {
    LocalWarehouse.Login reader = warehouse.loginInRole("analyst", "bi_reader");
    try (Connection c = warehouse.connect(reader);
        ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM bi.transactions")) {
      assertThat(r.next()).isTrue();
    }
    try (Connection admin = warehouse.adminConnection();
        ResultSet r =
            admin
                .createStatement()
                .executeQuery(
                    "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE auth_method <> 'reject'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("scram-sha-256");
      assertThat(r.next()).as("one method for every rule").isFalse();
    }
  }
}
