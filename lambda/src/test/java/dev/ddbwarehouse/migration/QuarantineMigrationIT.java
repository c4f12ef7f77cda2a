package dev.ddbwarehouse.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.schema.WarehouseMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V7 turns the transactions-only quarantine into one for every table: rows written before it keep
 * their key (now {@code source_key}) and learn their source table from their stream ARN.
 */
class QuarantineMigrationIT {

  @Test
  void existingQuarantineRowsKeepTheirKeyAndGainTheirSourceTable() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      Flyway.configure()
          .dataSource(url, "postgres", "postgres")
          .locations(WarehouseMigrations.LOCATION)
          .target("6")
          .load()
          .migrate();
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO etl.quarantine (event_id, sequence_number, event_source_arn, event_name,"
                + " transaction_id, error_code, message, quarantined_at) VALUES"
                + " ('e1', '1', 'arn:aws:dynamodb:eu-west-1:1:table/transactions/stream/x', 'INSERT',"
                + "  't-1', 'INVALID_CURRENCY', 'm', now()),"
                + " ('e2', '2', 'not-an-arn', 'INSERT', NULL, 'UNPARSABLE_IMAGE', 'm', now())");
      }

      WarehouseMigrations.migrate(url, "postgres", "postgres");

      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT event_id, source_table, source_key::text FROM etl.quarantine"
                      + " ORDER BY event_id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).isEqualTo("transactions");
        assertThat(rs.getString(3)).isEqualTo("{\"transaction_id\": \"t-1\"}");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).isNull();
        assertThat(rs.getString(3)).isNull();
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
