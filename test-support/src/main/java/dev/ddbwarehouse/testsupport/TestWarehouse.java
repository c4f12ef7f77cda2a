package dev.ddbwarehouse.testsupport;

import dev.ddbwarehouse.schema.WarehouseMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * One migrated PostgreSQL per test JVM, shared by every integration test and cleaned between them
 * with {@link #truncateAll()}.
 *
 * <p>Where it comes from, in order: {@code WAREHOUSE_TEST_JDBC_URL} (with {@code
 * WAREHOUSE_TEST_DB_USER} / {@code WAREHOUSE_TEST_DB_PASSWORD}, an administrator of that database)
 * when set; else a Testcontainers {@code postgres:16} when a Docker engine answers; else an
 * embedded PostgreSQL 16 (zonky), which needs nothing installed.
 *
 * <p>Besides the administrator it creates two login users, one per role the migrations create, so
 * tests run the pipeline with exactly the rights production has.
 */
public final class TestWarehouse {

  public static final String WRITER_USER = "etl_test_writer";
  public static final String READER_USER = "bi_test_reader";
  public static final String ERASER_USER = "etl_test_eraser";
  public static final String TEST_PASSWORD = "test-only-password";

  private static final String TEST_MIGRATIONS = "db/test-migration";

  private static TestWarehouse shared;

  private final PostgresServer server;

  private TestWarehouse(PostgresServer server) {
    this.server = server;
  }

  /** The JVM-wide instance, started and migrated on first use. */
  public static synchronized TestWarehouse shared() {
    if (shared == null) {
      PostgresServer server = PostgresServer.start(System.getenv());
      // A module's own test tables (src/test/resources/db/test-migration), if it has any.
      String[] testMigrations =
          TestWarehouse.class.getClassLoader().getResource(TEST_MIGRATIONS) == null
              ? new String[0]
              : new String[] {"classpath:" + TEST_MIGRATIONS};
      WarehouseMigrations.migrate(
          server.jdbcUrl(), server.adminUser(), server.adminPassword(), testMigrations);
      TestWarehouse warehouse = new TestWarehouse(server);
      if (server.kind().equals("embedded")) warehouse.requirePasswords();
      warehouse.createLoginUsers();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-warehouse-stop"));
      shared = warehouse;
    }
    return shared;
  }

  public String jdbcUrl() {
    return server.jdbcUrl();
  }

  /** Where the database came from: embedded, testcontainers or external. */
  public String kind() {
    return server.kind();
  }

  public String adminUser() {
    return server.adminUser();
  }

  public String adminPassword() {
    return server.adminPassword();
  }

  /** Environment for the handler's local configuration, logging in as an etl_writer member. */
  public Map<String, String> writerEnvironment() {
    return Map.of(
        "WAREHOUSE_JDBC_URL", jdbcUrl(),
        "WAREHOUSE_DB_USER", WRITER_USER,
        "WAREHOUSE_DB_PASSWORD", TEST_PASSWORD);
  }

  /** The same for the erasure function, logging in as an etl_eraser member. */
  public Map<String, String> eraserEnvironment() {
    return Map.of(
        "WAREHOUSE_JDBC_URL", jdbcUrl(),
        "WAREHOUSE_DB_USER", ERASER_USER,
        "WAREHOUSE_DB_PASSWORD", TEST_PASSWORD);
  }

  /** A new connection as an etl_eraser member, as the erasure function logs in. */
  public Connection eraserConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), ERASER_USER, TEST_PASSWORD);
  }

  /** A new administrator connection; the caller closes it. */
  public Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), adminUser(), adminPassword());
  }

  /** A new connection as a bi_reader member, as an analyst's BI tool would log in. */
  public Connection readerConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), READER_USER, TEST_PASSWORD);
  }

  /** A new connection as an etl_writer member, as the Lambda logs in. */
  public Connection writerConnection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), WRITER_USER, TEST_PASSWORD);
  }

  /** Empties every table the pipeline writes. */
  public void truncateAll() {
    // Every table the pipeline writes, whatever tables the migrations (and test migrations) made.
    execute(
        "DO $$ DECLARE t text; BEGIN"
            + " SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO t"
            + " FROM pg_tables WHERE schemaname IN ('warehouse', 'etl')"
            + " AND tablename <> 'flyway_schema_history';"
            + " EXECUTE 'TRUNCATE ' || t || ' RESTART IDENTITY'; END $$");
  }

  public void execute(String sql) {
    try (Connection c = adminConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test database statement failed: " + sql, e);
    }
  }

  /**
   * The embedded server trusts every local login; production checks passwords. Rewrite its
   * pg_hba.conf so that every user but the administrator must authenticate (SCRAM), which makes
   * tests of wrong or rotated passwords real.
   */
  private void requirePasswords() {
    execute(
        """
        DO $$
        BEGIN
          EXECUTE format('COPY (SELECT unnest(%L::text[])) TO %L',
            ARRAY['local all postgres trust',
                  'host all postgres 127.0.0.1/32 trust',
                  'host all postgres ::1/128 trust',
                  'local all all scram-sha-256',
                  'host all all 127.0.0.1/32 scram-sha-256',
                  'host all all ::1/128 scram-sha-256'],
            current_setting('hba_file'));
          PERFORM pg_reload_conf();
        END
        $$
        """);
  }

  private void createLoginUsers() {
    execute(
        """
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
            CREATE ROLE %1$s LOGIN PASSWORD '%3$s' IN ROLE etl_writer;
          END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%2$s') THEN
            CREATE ROLE %2$s LOGIN PASSWORD '%3$s' IN ROLE bi_reader;
          END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%4$s') THEN
            CREATE ROLE %4$s LOGIN PASSWORD '%3$s' IN ROLE etl_eraser;
          END IF;
        END
        $$
        """
            .formatted(WRITER_USER, READER_USER, TEST_PASSWORD, ERASER_USER));
  }
}
