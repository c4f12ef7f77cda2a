package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gdpr.sh k-anonymity} on profiles written as the admin with plain SQL, read as an analyst
 * (a bi_reader login) would see them: counts right, exit codes right, and no value of a class in
 * anything it prints.
 */
class KAnonymityCliIT {

  private static final String TOOL = "gdpr.sh k-anonymity";
  private static final String PROFILES =
      "table=warehouse.user_profiles quasi_identifiers=birth_year_band,sex,country,signup_month";
  private static final String EMPTY_TRANSACTIONS =
      "table=warehouse.transactions quasi_identifiers=country,merchant_category_code classes=0"
          + " rows=0 rows_below_k=0 smallest_class=0 k=5 relation=bi.transactions";

  /** The values of the lone profile: none may appear in the output. */
  private static final List<String> LONE_VALUES = List.of("1940", "diverse", "IS", "1999-02");

  private static TestWarehouse warehouse;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    warehouse = TestWarehouse.shared();
  }

  @BeforeEach
  void seed() {
    warehouse.truncateAll();
    for (int i = 0; i < 6; i++) profile("crowd-" + i, "1985", "'female'", "DE", "2024-01-01");
    profile("lone", "1940", "'diverse'", "IS", "1999-02-01");
  }

  @Test
  void sixRowsInOneClassAndOneAloneAreTwoClassesWithOneRowBelowK() {
    Run run = kAnonymity(asReader());

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.FOUND);
    assertThat(run.stdout())
        .containsExactly(
            EMPTY_TRANSACTIONS,
            PROFILES
                + " classes=2 rows=7 rows_below_k=1 smallest_class=1 k=5"
                + " relation=bi.user_profiles",
            "SUMMARY tables=2 k=5 tables_below_k=1");
    assertNoClassValueIn(run);
  }

  @Test
  void aClassAsLargeAsKIsNotBelowIt() {
    warehouse.execute("DELETE FROM warehouse.user_profiles WHERE user_pseudonym = 'lone'");

    Run run = kAnonymity(asReader("--k", "6", "--table", "warehouse.user_profiles"));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.stdout())
        .containsExactly(
            PROFILES
                + " classes=1 rows=6 rows_below_k=0 smallest_class=6 k=6"
                + " relation=bi.user_profiles",
            "SUMMARY tables=1 k=6 tables_below_k=0");
  }

  @Test
  void nullIsAValueOfItsOwnClass() {
    warehouse.execute("DELETE FROM warehouse.user_profiles WHERE user_pseudonym = 'lone'");
    for (int i = 0; i < 5; i++) profile("unstated-" + i, "1985", "NULL", "DE", "2024-01-01");

    Run run = kAnonymity(asReader("--table", "user_profiles"));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.stdout().get(0))
        .isEqualTo(
            PROFILES
                + " classes=2 rows=11 rows_below_k=0 smallest_class=5 k=5"
                + " relation=bi.user_profiles");
  }

  @Test
  void deletedRowsAndErasedSubjectsAreNotCounted() {
    profile("gone", "1940", "'diverse'", "IS", "1999-02-01");
    warehouse.execute(
        "UPDATE warehouse.user_profiles SET deleted_at = now() WHERE user_pseudonym = 'gone'");
    // Defence in depth of the bi views: a listed subject's row is hidden even if still stored.
    warehouse.execute(
        "INSERT INTO etl.erased_subjects VALUES ('user', 'v1', 'lone', 'req-1', now())");

    Run run = kAnonymity(asReader("--table", "warehouse.user_profiles"));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.stdout().get(0))
        .isEqualTo(
            PROFILES
                + " classes=1 rows=6 rows_below_k=0 smallest_class=6 k=5"
                + " relation=bi.user_profiles");
  }

  @Test
  void aTableWithoutABiViewIsReadFromItsLiveWarehouseRows() throws Exception {
    warehouse.execute(
        """
        CREATE TABLE warehouse.k_accounts (account_id text PRIMARY KEY, region text,
          key_version text, source_version timestamptz NOT NULL, source_stream text NOT NULL,
          source_sequence numeric(40, 0) NOT NULL, ingested_at timestamptz NOT NULL,
          deleted_at timestamptz)
        """);
    try {
      warehouse.execute(
          "INSERT INTO warehouse.k_accounts SELECT 'a' || i, 'north', 'v1', now(), 's', i, now(),"
              + " CASE WHEN i > 3 THEN now() END FROM generate_series(1, 5) i");
      Path mapping = dir.resolve("accounts.json");
      Files.writeString(
          mapping,
          """
          {"tables": {"accounts": {"source": "accounts", "target": "warehouse.k_accounts",
            "key": ["accountId"], "quasiIdentifiers": ["region"],
            "attributes": {"accountId": {"treatment": "keep", "column": "account_id"},
                           "region": {"treatment": "keep", "column": "region"}}}}}
          """);

      Run admin =
          kAnonymity(
              "--jdbc-url",
              warehouse.jdbcUrl(),
              "--db-user",
              warehouse.adminUser(),
              "--db-password",
              warehouse.adminPassword(),
              "--mapping",
              mapping.toString());
      Run reader = kAnonymity(asReader("--mapping", mapping.toString()));

      assertThat(admin.code()).as(admin.err()).isEqualTo(ExitCode.FOUND);
      assertThat(admin.stdout())
          .as("two of five rows are soft-deleted")
          .containsExactly(
              "table=warehouse.k_accounts quasi_identifiers=region classes=1 rows=3"
                  + " rows_below_k=3 smallest_class=3 k=5 relation=warehouse.k_accounts",
              "SUMMARY tables=1 k=5 tables_below_k=1");
      reader.failsWithOneLine(ExitCode.UNREACHABLE);
      assertThat(reader.err())
          .contains("reading warehouse.k_accounts failed (SQLSTATE 42501)")
          .contains("user \"" + TestWarehouse.READER_USER + "\" may not read it");
    } finally {
      warehouse.execute("DROP TABLE warehouse.k_accounts");
    }
  }

  @Test
  void aKBelowTwoIsExit2() {
    for (String k : List.of("1", "0", "-3")) {
      Run run = kAnonymity(asReader("--k", k));
      run.failsWithOneLine(ExitCode.USAGE);
      assertThat(run.err()).contains("--k must be at least 2");
    }
    kAnonymity(asReader("--k", "five")).failsWithOneLine(ExitCode.USAGE);
  }

  @Test
  void anUnknownTableIsExit2NamingTheTablesThereAre() {
    Run run = kAnonymity(asReader("--table", "warehouse.accounts"));

    run.failsWithOneLine(ExitCode.USAGE);
    assertThat(run.err())
        .contains(
            "--table warehouse.accounts is not a table of the mapping (tables:"
                + " warehouse.transactions, warehouse.user_profiles)");
  }

  @Test
  void aTableThatDeclaresNoQuasiIdentifiersIsExit2() throws Exception {
    Path mapping = dir.resolve("none.json");
    Files.writeString(mapping, "{\"tables\": {\"user_profiles\": {\"quasiIdentifiers\": []}}}");

    Run run = kAnonymity(asReader("--table", "user_profiles", "--mapping", mapping.toString()));

    run.failsWithOneLine(ExitCode.USAGE);
    assertThat(run.err()).contains("tables.user_profiles declares no quasiIdentifiers");
  }

  @Test
  void anUnreachableWarehouseIsExit3() {
    Run run =
        kAnonymity(
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:" + CliRun.closedPort() + "/warehouse",
            "--db-user",
            TestWarehouse.READER_USER,
            "--db-password",
            TestWarehouse.TEST_PASSWORD);

    run.failsWithOneLine(ExitCode.UNREACHABLE);
    assertThat(run.err()).contains("cannot reach PostgreSQL at").contains("connection refused");
  }

  @Test
  void aWrongPasswordIsExit3() {
    Run run =
        kAnonymity(
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.READER_USER,
            "--db-password",
            "not-the-password");

    run.failsWithOneLine(ExitCode.UNREACHABLE);
    assertThat(run.err()).contains("refused the login of user");
  }

  @Test
  void helpFitsTheTerminalAndDescribesTheOutputAndExitCodes() {
    Run run = kAnonymity("--help");

    assertThat(run.code()).isZero();
    assertThat(run.stdout()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
    assertThat(String.join("\n", run.stdout()))
        .contains("--k=K", "--table=T", "--mapping=F", "--jdbc-url=URL", "--db-password-file")
        .contains("SUMMARY tables=<n> k=<k> tables_below_k=<m>", "Never prints a value")
        .contains("0 no class below k, 1 some class below k, 2 bad arguments");
  }

  private static void profile(
      String pseudonym, String band, String sex, String country, String month) {
    warehouse.execute(
        "INSERT INTO warehouse.user_profiles (user_pseudonym, birth_year_band, sex, country,"
            + " signup_month, key_version, source_version, source_stream, source_sequence,"
            + " ingested_at) VALUES ('%s', %s, %s, '%s', '%s', 'v1', now(), 'test', 1, now())"
                .formatted(pseudonym, band, sex, country, month));
  }

  private static String[] asReader(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--jdbc-url",
                warehouse.jdbcUrl(),
                "--db-user",
                TestWarehouse.READER_USER,
                "--db-password",
                TestWarehouse.TEST_PASSWORD));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static Run kAnonymity(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("k-anonymity"));
    all.addAll(List.of(args));
    int code =
        Gdpr.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(code, out.toString().lines().toList(), err.toString());
  }

  private static void assertNoClassValueIn(Run run) {
    String printed = String.join("\n", run.stdout()) + "\n" + run.err();
    for (String value : LONE_VALUES) assertThat(printed).doesNotContain(value);
  }

  record Run(int code, List<String> stdout, String err) {
    /** One line on stderr, {@code gdpr.sh k-anonymity: ...}, no stack frame, nothing on stdout. */
    void failsWithOneLine(int expected) {
      assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expected);
      assertThat(err.lines().toList()).singleElement().asString().startsWith(TOOL + ": ");
      assertThat(stdout).isEmpty();
    }
  }
}
