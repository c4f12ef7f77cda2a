package dev.ddbwarehouse.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/** A PostgreSQL server for tests, whichever way it was obtained. */
interface PostgresServer extends AutoCloseable {

  String POSTGRES_IMAGE = "postgres:16";

  String jdbcUrl();

  String adminUser();

  String adminPassword();

  String kind();

  @Override
  void close();

  static PostgresServer start(Map<String, String> env) {
    String url = env.get("WAREHOUSE_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new External(
          url,
          env.getOrDefault("WAREHOUSE_TEST_DB_USER", "postgres"),
          env.getOrDefault("WAREHOUSE_TEST_DB_PASSWORD", ""));
    }
    if (!"true".equals(env.get("WAREHOUSE_TEST_NO_DOCKER")) && dockerAvailable()) {
      return Containerised.start();
    }
    return Embedded.start();
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  record External(String jdbcUrl, String adminUser, String adminPassword)
      implements PostgresServer {
    @Override
    public String kind() {
      return "external";
    }

    @Override
    public void close() {}
  }

  record Embedded(EmbeddedPostgres postgres) implements PostgresServer {
    static Embedded start() {
      try {
        return new Embedded(EmbeddedPostgres.builder().start());
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL failed to start", e);
      }
    }

    @Override
    public String jdbcUrl() {
      // No user in the URL: pgjdbc lets URL parameters override the user a caller passes.
      return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    @Override
    public String adminUser() {
      return "postgres";
    }

    @Override
    public String adminPassword() {
      return "postgres";
    }

    @Override
    public String kind() {
      return "embedded";
    }

    @Override
    public void close() {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record Containerised(PostgreSQLContainer<?> container) implements PostgresServer {
    @SuppressWarnings("resource") // closed by close()
    static Containerised start() {
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>(POSTGRES_IMAGE);
      container.start();
      return new Containerised(container);
    }

    @Override
    public String jdbcUrl() {
      return container.getJdbcUrl();
    }

    @Override
    public String adminUser() {
      return container.getUsername();
    }

    @Override
    public String adminPassword() {
      return container.getPassword();
    }

    @Override
    public String kind() {
      return "testcontainers";
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
