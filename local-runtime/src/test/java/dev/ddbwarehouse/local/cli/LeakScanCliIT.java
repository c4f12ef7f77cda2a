package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * leak-scan.sh end to end: a real PostgreSQL with the warehouse's migrations, DynamoDB Local as the
 * source table, the CLI's exit codes and output. What it plants must never appear in what it
 * prints.
 */
class LeakScanCliIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String TOOL = "leak-scan.sh";

  private static final String SAMPLED_USER = "sample-user-0042";
  private static final String SAMPLED_NAME = "Wiebke Leakmann";
  private static final String PLANTED_EMAIL = "planted.person@leak-test.example";
  private static final String PLANTED_IBAN = "DE89 3704 0044 0532 0130 00";
  private static final String PLANTED_CARD = "4111 1111 1111 1111";
  private static final String PLANTED_PHONE = "+49 151 23456789";
  private static final String PLANTED_IP = "203.0.113.77";
  private static final List<String> SECRETS =
      List.of(
          SAMPLED_USER,
          SAMPLED_NAME,
          "Sample.Person@leak-it.example",
          "+49 151 98765432",
          "GB33 BUKB 2020 1555 5555 55",
          PLANTED_EMAIL,
          PLANTED_IBAN,
          PLANTED_CARD,
          PLANTED_PHONE,
          PLANTED_IP);

  private static DynamoDbLocal dynamo;
  private static Path passwordFile;
  private static Path keyFile;

  @TempDir Path temp;

  /** The password and key files, gone with the class. */
  @TempDir static Path files;

  @BeforeAll
  static void startSource() throws IOException {
    dynamo = DynamoDbLocal.start();
    dynamo
        .dynamoDb()
        .createTable(
            b ->
                b.tableName("transactions")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName("transactionId")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(
                        KeySchemaElement.builder()
                            .attributeName("transactionId")
                            .keyType(KeyType.HASH)
                            .build()));
    dynamo
        .dynamoDb()
        .putItem(
            b ->
                b.tableName("transactions")
                    .item(
                        Map.of(
                            "transactionId", s("leak-it-1"),
                            "userId", s(SAMPLED_USER),
                            "email", s("Sample.Person@leak-it.example"),
                            "phone", s("+49 151 98765432"),
                            "counterpartyIban", s("GB33 BUKB 2020 1555 5555 55"),
                            "counterpartyName", s(SAMPLED_NAME),
                            "metadata",
                                AttributeValue.fromM(Map.of("note", s("sample-meta-note-77"))),
                            "status", s("SETTLED"))));
    passwordFile = files.resolve("db.password");
    Files.writeString(passwordFile, DB.adminPassword() + "\n");
    keyFile = files.resolve("hmac-secret.json");
    HmacSecretFile.generate(keyFile);
  }

  @AfterAll
  static void stopSource() {
    if (dynamo != null) dynamo.close();
  }

  @BeforeEach
  void emptyWarehouse() {
    DB.truncateAll();
  }

  @Test
  void aCleanWarehouseExitsZero() throws IOException {
    String pseudonym =
        new Pseudonymiser(KeyRing.parse(Files.readString(keyFile), "test"))
            .pseudonym("user", SAMPLED_USER);
    insert(
        "t-clean-1", pseudonym, "Coffee Corner", "'{groceries,online}'", "{\"channel\": \"web\"}");
    insert("t-clean-2", "0".repeat(64), "Bakery 24", "NULL", "{\"at\": \"2026-01-02T00:00:00Z\"}");

    CliRun run =
        scan(
            "--source-table",
            "transactions",
            "--sample",
            "10",
            "--hmac-secret-file",
            keyFile.toString());

    assertThat(run.exitCode()).as("stdout %s stderr %s", run.stdout(), run.stderr()).isZero();
    assertThat(run.stdout()).noneMatch(line -> line.startsWith("leak "));
    assertThat(run.lastLine())
        .matches("SUMMARY columns_scanned=\\d+ findings=0 columns_with_findings=0");
    assertThat(columnsScanned(run)).isGreaterThan(20);
    assertThat(String.join("\n", run.stderr()))
        .contains("from 1 items of transactions")
        .contains("note: 1 of the ");
    assertNoSecretIn(run);
  }

  @Test
  void plantedPatternsAndSampledValuesAreCountedPerColumnAndKind() throws IOException {
    insert("t-clean-1", "a".repeat(64), "Coffee Corner", "'{groceries}'", "{\"channel\": \"web\"}");
    insert(
        "t-planted-1",
        "b".repeat(64),
        "Contact " + PLANTED_EMAIL,
        "ARRAY['" + PLANTED_IBAN + "', '" + SAMPLED_USER.toUpperCase(Locale.ROOT) + "']",
        "{\"card\": \"" + PLANTED_CARD + "\", \"phone\": \"" + PLANTED_PHONE + "\"}");
    insert(
        "t-planted-2",
        "c".repeat(64),
        "from " + PLANTED_IP,
        "'{online}'",
        "{\"note\": \"" + SAMPLED_NAME.toLowerCase(Locale.ROOT) + "\"}");

    CliRun run = scan("--source-table", "transactions", "--sample", "10");

    assertThat(run.exitCode()).as("stderr %s", run.stderr()).isEqualTo(ExitCode.FOUND);
    List<String> expected = new ArrayList<>();
    for (String merchant : List.of("warehouse.transactions", "bi.transactions")) {
      expected.add("leak " + merchant + ".merchant_name kind=email count=1");
      expected.add("leak " + merchant + ".merchant_name kind=ip count=1");
      expected.add("leak " + merchant + ".tags kind=iban count=1");
      expected.add("leak " + merchant + ".tags kind=known-value count=1");
    }
    for (String extra :
        List.of("warehouse.transactions.extra", "bi.transaction_attributes.attributes")) {
      expected.add("leak " + extra + " kind=card count=1");
      expected.add("leak " + extra + " kind=phone count=1");
      expected.add("leak " + extra + " kind=known-value count=1");
    }
    assertThat(run.stdout().subList(0, run.stdout().size() - 1))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(run.lastLine())
        .matches("SUMMARY columns_scanned=\\d+ findings=14 columns_with_findings=6");
    assertNoSecretIn(run);
  }

  @Test
  void aValuesFileIsSearchedInItsNormalisedForms() throws IOException {
    insert("t-1", "d".repeat(64), "x", "NULL", "{\"iban\": \"GB33BUKB20201555555555\"}");
    Path values = Files.writeString(temp.resolve("values.txt"), "gb33 bukb 2020 1555 5555 55\n\n");

    CliRun run = scan("--values-file", values.toString(), "--schemas", "warehouse");

    assertThat(run.exitCode()).as("stderr %s", run.stderr()).isEqualTo(ExitCode.FOUND);
    assertThat(run.stdout())
        .contains(
            "leak warehouse.transactions.extra kind=iban count=1",
            "leak warehouse.transactions.extra kind=known-value count=1")
        .noneMatch(line -> line.contains("bi."));
    assertNoSecretIn(run);
  }

  @Test
  void badArgumentsExitTwoWithOneLine() {
    CliRun.of(LeakScan::run, "--bogus")
        .stderr()
        .forEach(line -> assertThat(line).contains("--bogus"));
    assertThat(CliRun.of(LeakScan::run, "--bogus").exitCode()).isEqualTo(ExitCode.USAGE);
    CliRun.of(LeakScan::run)
        .failsWithOneLine(
            ExitCode.USAGE, TOOL, "--jdbc-url is required (jdbc:postgresql://HOST:PORT/DATABASE)");
    scan("--sample", "5")
        .failsWithOneLine(
            ExitCode.USAGE, TOOL, "--sample needs --source-table (the table to sample)");
    scan("--schemas", "warehouse,nope")
        .failsWithOneLine(ExitCode.USAGE, TOOL, "--schemas: no schema nope in the database");
    scan("--source-table", "nope-table")
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--source-table nope-table: no entry of the mapping document has \"source\":"
                + " \"nope-table\" (entries: transactions, user-profiles)");
    assertThat(scan("--values-file", temp.resolve("missing.txt").toString()).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void anUnreachableDatabaseOrDynamoDbExitsThree() {
    CliRun db =
        CliRun.of(
            LeakScan::run,
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:" + CliRun.closedPort() + "/warehouse",
            "--db-user",
            "nobody");
    assertThat(db.exitCode()).as("stderr %s", db.stderr()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(db.stderr())
        .singleElement()
        .asString()
        .startsWith(TOOL + ": cannot reach PostgreSQL");

    CliRun source =
        scanAt("http://127.0.0.1:" + CliRun.closedPort(), "--source-table", "transactions");
    assertThat(source.exitCode()).as("stderr %s", source.stderr()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(source.stderr())
        .singleElement()
        .asString()
        .startsWith(TOOL + ": cannot reach DynamoDB at http://127.0.0.1:");
  }

  private CliRun scan(String... args) {
    return scanAt(dynamo.endpoint().toString(), args);
  }

  private CliRun scanAt(String dynamoDbEndpoint, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--jdbc-url",
                DB.jdbcUrl(),
                "--db-user",
                DB.adminUser(),
                "--db-password-file",
                passwordFile.toString(),
                "--dynamodb-endpoint",
                dynamoDbEndpoint));
    all.addAll(List.of(args));
    return CliRun.of(LeakScan::run, all.toArray(String[]::new));
  }

  private static void insert(
      String id, String pseudonym, String merchant, String tags, String extra) {
    DB.execute(
        """
        INSERT INTO warehouse.transactions (transaction_id, user_pseudonym, ip_network, amount,
          currency, merchant_name, tags, extra, created_at, key_version, source_version,
          source_stream, source_sequence, ingested_at)
        VALUES ('%s', '%s', '198.51.100.0/24', 12.50, 'EUR', '%s', %s, '%s'::jsonb,
          '2026-01-02T00:00:00Z', 'v1', now(),
          'arn:aws:dynamodb:eu-central-1:015112345678:table/transactions/stream/2026-01-02T00:00:00.000',
          49612345678901234567890, now())
        """
            .formatted(id, pseudonym, merchant, tags, extra));
  }

  private static int columnsScanned(CliRun run) {
    String summary = run.lastLine();
    return Integer.parseInt(summary.replaceAll(".*columns_scanned=(\\d+).*", "$1"));
  }

  private static void assertNoSecretIn(CliRun run) {
    String printed =
        (String.join("\n", run.stdout()) + "\n" + String.join("\n", run.stderr()))
            .toLowerCase(Locale.ROOT);
    for (String secret : SECRETS) {
      for (String form :
          List.of(
              secret.toLowerCase(Locale.ROOT), secret.toLowerCase(Locale.ROOT).replace(" ", ""))) {
        assertThat(printed)
            .as("output must not contain a planted or sampled value")
            .doesNotContain(form);
      }
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
