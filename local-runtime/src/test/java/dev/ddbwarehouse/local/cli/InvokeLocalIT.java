package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.testsupport.StreamEventFixtures;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** invoke-local on the real AWS sample events, against a real database. */
class InvokeLocalIT {

  private static TestWarehouse warehouse;
  private static Path keyFile;

  @TempDir static Path keyDir;

  @BeforeAll
  static void start() throws IOException {
    warehouse = TestWarehouse.shared();
    keyFile = keyDir.resolve("hmac-secret.json");
    HmacSecretFile.generate(keyFile);
  }

  /** The project's own events, plus AWS's published samples where they are beside the checkout. */
  static Stream<Path> fixtureEvents() {
    return StreamEventFixtures.projectAndAwsSamples().stream();
  }

  /**
   * The AWS samples name tables (ExampleTableWithStream, ...) that no built-in entry names; a
   * version 1 document's one entry takes every table, as a single-table deployment has it.
   */
  private Path catchAllMapping() throws IOException {
    Path f = keyFile.resolveSibling("mapping-v1.json");
    Files.writeString(f, "{\"attributes\": {}}");
    return f;
  }

  private record Run(int exitCode, List<String> stdout, String stderr) {
    String lastLine() {
      return stdout.get(stdout.size() - 1);
    }
  }

  private static Run invoke(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        InvokeLocal.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Run(
        code,
        out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("fixtureEvents")
  void printsAValidResponseAsTheLastLineForEveryFixtureEvent(Path event) throws IOException {
    Run run =
        invoke(
            "--event",
            event.toString(),
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.WRITER_USER,
            "--db-password",
            TestWarehouse.TEST_PASSWORD,
            "--hmac-secret-file",
            keyFile.toString(),
            "--mapping",
            catchAllMapping().toString());

    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    JsonNode response = new ObjectMapper().readTree(run.lastLine());
    assertThat(response.has("batchItemFailures")).isTrue();
    assertThat(response.get("batchItemFailures").isArray()).isTrue();
    assertThat(response.get("batchItemFailures"))
        .as("nothing transient against a healthy database")
        .isEmpty();
  }

  @Test
  void generatesAKeyOnceWhenNoneIsGivenAndSaysWhere(@TempDir Path state) throws IOException {
    String previous = System.getProperty("ddbw.local.stateDir");
    System.setProperty("ddbw.local.stateDir", state.toString());
    try {
      Path event = fixtureEvents().findFirst().orElseThrow();
      Run first =
          invoke(
              "--event",
              event.toString(),
              "--jdbc-url",
              warehouse.jdbcUrl()
                  + "?user="
                  + warehouse.adminUser()
                  + "&password="
                  + warehouse.adminPassword(),
              "--migrate");
      String key = Files.readString(state.resolve("hmac-secret.json"));
      Run second =
          invoke(
              "--event",
              event.toString(),
              "--jdbc-url",
              warehouse.jdbcUrl(),
              "--db-user",
              TestWarehouse.WRITER_USER,
              "--db-password",
              TestWarehouse.TEST_PASSWORD);

      assertThat(first.exitCode()).as(first.stderr()).isZero();
      assertThat(first.stderr())
          .contains("generated a new HMAC key into " + state.resolve("hmac-secret.json"));
      assertThat(second.stderr()).contains("using the local HMAC key in");
      assertThat(Files.readString(state.resolve("hmac-secret.json")))
          .as("reused, not regenerated")
          .isEqualTo(key);
      assertThat(first.stderr() + second.stderr())
          .as("the key never appears in logs")
          .doesNotContain(new ObjectMapper().readTree(key).get("keys").get("v1").asText());
    } finally {
      if (previous == null) {
        System.clearProperty("ddbw.local.stateDir");
      } else {
        System.setProperty("ddbw.local.stateDir", previous);
      }
    }
  }

  @Test
  void exitsNonZeroWhenTheHandlerCannotRun(@TempDir Path dir) throws IOException {
    Path event = fixtureEvents().findFirst().orElseThrow();
    Path badKey =
        Files.writeString(
            dir.resolve("short.json"), "{\"active\":\"v1\",\"keys\":{\"v1\":\"c2hvcnQ=\"}}");

    Run run =
        invoke(
            "--event",
            event.toString(),
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.WRITER_USER,
            "--db-password",
            TestWarehouse.TEST_PASSWORD,
            "--hmac-secret-file",
            badKey.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains("the handler could not run");
  }
}
