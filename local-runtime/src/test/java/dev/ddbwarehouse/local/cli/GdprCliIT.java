package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gdpr.sh forget|export} without --stage: the local CLI on a warehouse that the real stream
 * handler filled (through invoke-local, with the built-in mapping), logging in as an etl_eraser
 * member, as an operator would run it against a tunnel.
 */
class GdprCliIT {

  private static final String SUBJECT = "user-123";
  private static final String OTHER = "user-456";
  private static final String TOOL_FORGET = "gdpr.sh forget";
  private static final String TOOL_EXPORT = "gdpr.sh export";
  private static final String PROFILES_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-profiles/stream/2026-01-01T00:00:00.000";
  private static final String TRANSACTIONS_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions/stream/2026-01-01T00:00:00.000";
  private static final String ALL_TRANSACTIONS =
      "SELECT to_jsonb(t)::text FROM warehouse.transactions t ORDER BY transaction_id";
  private static final String ALL_PROFILES =
      "SELECT to_jsonb(p)::text FROM warehouse.user_profiles p ORDER BY user_pseudonym";

  private static TestWarehouse warehouse;
  private static Path keyFile;
  private static KeyRing keys;

  @TempDir Path dir;

  @TempDir static Path keyDir;

  @BeforeAll
  static void start() throws IOException {
    warehouse = TestWarehouse.shared();
    keyFile = keyDir.resolve("hmac-secret.json");
    HmacSecretFile.generate(keyFile);
    keys = KeyRing.parse(Files.readString(keyFile), "test");
  }

  @BeforeEach
  void seed() throws Exception {
    warehouse.truncateAll();
    Path event = dir.resolve("history.json");
    Files.writeString(event, history());
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
    int code =
        InvokeLocal.run(
            new java.io.PrintStream(o, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(e, true, StandardCharsets.UTF_8),
            "--event",
            event.toString(),
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.WRITER_USER,
            "--db-password",
            TestWarehouse.TEST_PASSWORD,
            "--hmac-secret-file",
            keyFile.toString());
    assertThat(code).as("seeding through the stream handler: %s", e).isZero();
    assertThat(o.toString(StandardCharsets.UTF_8)).contains("\"batchItemFailures\":[]");
    assertThat(count("SELECT count(*) FROM warehouse.transactions")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM warehouse.user_profiles")).isEqualTo(2);
  }

  // --- forget ------------------------------------------------------------------------------

  @Test
  void forgetWithAValueFileDeletesProfilesAnonymisesTransactionsAndPrintsSortedCounts()
      throws Exception {
    List<String> othersBefore = othersRows();

    Run run = gdpr(null, forget("req-1", "--value-file", valueFile("user-123\n").toString()));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.stdout())
        .containsExactly(
            "table=etl.quarantine rows=0",
            "table=warehouse.transactions rows=2",
            "table=warehouse.user_profiles rows=1",
            "SUMMARY request=req-1 namespace=user tables=3 rows=3 dry_run=false");
    assertSubjectErased();
    assertThat(othersRows()).as("the other user's rows, row by row").isEqualTo(othersBefore);
    assertThat(rows("SELECT request_id, namespace, rows_affected::text FROM etl.erasure_log"))
        .containsExactly(
            List.of(
                "req-1",
                "user",
                "{\"etl.quarantine\": 0, \"warehouse.transactions\": 2,"
                    + " \"warehouse.user_profiles\": 1}"));
    assertNoValueIn(run);
  }

  @Test
  void forgetReadsTheValueFromStdinWithDash() throws Exception {
    List<String> othersBefore = othersRows();

    Run run = gdpr(stdin("user-123\n"), forget("req-2", "--value-file", "-"));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.stdout())
        .containsExactly(
            "table=etl.quarantine rows=0",
            "table=warehouse.transactions rows=2",
            "table=warehouse.user_profiles rows=1",
            "SUMMARY request=req-2 namespace=user tables=3 rows=3 dry_run=false");
    assertSubjectErased();
    assertThat(othersRows()).isEqualTo(othersBefore);
    assertNoValueIn(run);
  }

  @Test
  void aDryRunPrintsTheCountsAndChangesNothing() throws Exception {
    List<List<String>> transactions = rows(ALL_TRANSACTIONS);
    List<List<String>> profiles = rows(ALL_PROFILES);

    Run run = gdpr(stdin(SUBJECT), forget("req-3", "--value-file", "-", "--dry-run"));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.stdout())
        .containsExactly(
            "table=etl.quarantine rows=0",
            "table=warehouse.transactions rows=2",
            "table=warehouse.user_profiles rows=1",
            "SUMMARY request=req-3 namespace=user tables=3 rows=3 dry_run=true");
    assertThat(rows(ALL_TRANSACTIONS)).isEqualTo(transactions);
    assertThat(rows(ALL_PROFILES)).isEqualTo(profiles);
    assertThat(count("SELECT count(*) FROM etl.erased_subjects")).isZero();
    assertThat(count("SELECT count(*) FROM etl.erasure_log")).isZero();
  }

  // --- export ------------------------------------------------------------------------------

  @Test
  void exportWritesExactlyTheSubjectsRowsBeforeTheErasureAndNothingAfter() throws Exception {
    Path output = dir.resolve("export.jsonl");
    String pseudonym = pseudonym(SUBJECT);

    Run before = gdpr(stdin(SUBJECT), export("--value-file", "-", "--output", output.toString()));

    assertThat(before.code()).as(before.err()).isZero();
    assertThat(before.stdout()).as("the rows go to the file only").isEmpty();
    assertThat(before.err()).contains("wrote 3 rows to " + output);
    assertThat(Files.getPosixFilePermissions(output))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    List<String> lines = Files.readAllLines(output);
    List<String> found = new ArrayList<>();
    for (String line : lines) {
      JsonNode node = new ObjectMapper().readTree(line);
      assertThat(node.get("row").get("user_pseudonym").asText()).isEqualTo(pseudonym);
      JsonNode id = node.get("row").get("transaction_id");
      found.add(node.get("table").asText() + (id == null ? "" : ":" + id.asText()));
    }
    assertThat(found)
        .containsExactlyInAnyOrder(
            "warehouse.transactions:t-1", "warehouse.transactions:t-2", "warehouse.user_profiles");
    assertNoValueIn(before);
    assertThat(String.join("\n", lines)).doesNotContain(SUBJECT);

    assertThat(gdpr(stdin(SUBJECT), forget("req-4", "--value-file", "-")).code()).isZero();
    Run after = gdpr(stdin(SUBJECT), export("--value-file", "-", "--output", output.toString()));

    assertThat(after.code()).as(after.err()).isZero();
    assertThat(Files.readAllLines(output)).isEmpty();
    assertThat(after.err()).contains("wrote 0 rows to " + output);
  }

  // --- bad arguments: exit 2 -----------------------------------------------------------------

  @Test
  void aNamespaceNoTableUsesIsExit2() throws Exception {
    Run run = gdpr(stdin(SUBJECT), forget("req-5", "--value-file", "-", "--namespace", "nope"));

    run.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertThat(run.err()).contains("namespace nope is used by no table");
    assertNothingErased();
  }

  @Test
  void aNamespaceOutsideTheScriptsPatternIsExit2() throws Exception {
    Run run = gdpr(stdin(SUBJECT), forget("req-6", "--value-file", "-", "--namespace", "User Id"));

    run.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertThat(run.err()).contains("--namespace must match [a-z0-9_.-]{1,32}");
    assertNothingErased();
  }

  @Test
  void forgetWithoutARequestIdIsExit2() throws Exception {
    Run run =
        gdpr(
            stdin(SUBJECT),
            withDatabase(
                "forget", "--namespace", "user", "--value-file", "-", "--db-user", eraser()));

    run.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertThat(run.err()).contains("--request-id");
    assertNothingErased();
  }

  @Test
  void bothValueAndValueFileIsExit2AndTheMessageDoesNotQuoteTheValue() throws Exception {
    Run run =
        gdpr(
            null,
            forget("req-7", "--value", SUBJECT, "--value-file", valueFile(SUBJECT).toString()));

    run.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertThat(run.err()).contains("mutually exclusive");
    assertNoValueIn(run);
    assertNothingErased();
  }

  @Test
  void anUnreadableValueFileIsExit2() throws Exception {
    Path missing = dir.resolve("no-such-file");
    Path unreadable = valueFile(SUBJECT);
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));

    Run gone = gdpr(null, forget("req-8", "--value-file", missing.toString()));
    Run folder = gdpr(null, forget("req-10", "--value-file", dir.toString()));

    gone.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertThat(gone.err()).contains("--value-file " + missing + " not found or not readable");
    if (!"root".equals(System.getProperty("user.name"))) { // root reads any file
      gdpr(null, forget("req-9", "--value-file", unreadable.toString()))
          .failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    }
    folder.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertNothingErased();
  }

  @Test
  void anEmptyValueIsExit2() throws Exception {
    Run run = gdpr(stdin("\n"), forget("req-11", "--value-file", "-"));

    run.failsWithOneLine(ExitCode.USAGE, TOOL_FORGET);
    assertThat(run.err()).contains("the value is empty");
  }

  // --- the database: exit 3 ------------------------------------------------------------------

  @Test
  void anUnreachableWarehouseIsExit3() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + CliRun.closedPort() + "/warehouse";

    Run forget =
        gdpr(
            stdin(SUBJECT),
            "forget",
            "--namespace",
            "user",
            "--value-file",
            "-",
            "--request-id",
            "req-12",
            "--jdbc-url",
            url,
            "--db-user",
            eraser(),
            "--db-password",
            TestWarehouse.TEST_PASSWORD,
            "--hmac-secret-file",
            keyFile.toString());
    Path output = dir.resolve("never.jsonl");
    Run export =
        gdpr(
            stdin(SUBJECT),
            "export",
            "--namespace",
            "user",
            "--value-file",
            "-",
            "--jdbc-url",
            url,
            "--db-user",
            eraser(),
            "--hmac-secret-file",
            keyFile.toString(),
            "--output",
            output.toString());

    forget.failsWithOneLine(ExitCode.UNREACHABLE, TOOL_FORGET);
    assertThat(forget.err()).contains("cannot reach PostgreSQL at").contains("connection refused");
    export.failsWithOneLine(ExitCode.UNREACHABLE, TOOL_EXPORT);
    assertThat(output).as("no file for an export that never ran").doesNotExist();
    assertNoValueIn(forget);
  }

  @Test
  void aLoginWithoutTheEraserRoleIsExit3NamingTheRoleAndChangesNothing() throws Exception {
    List<List<String>> transactions = rows(ALL_TRANSACTIONS);

    Run run =
        gdpr(
            stdin(SUBJECT),
            "forget",
            "--namespace",
            "user",
            "--value-file",
            "-",
            "--request-id",
            "req-13",
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.WRITER_USER,
            "--db-password",
            TestWarehouse.TEST_PASSWORD,
            "--hmac-secret-file",
            keyFile.toString());

    run.failsWithOneLine(ExitCode.UNREACHABLE, TOOL_FORGET);
    assertThat(run.err())
        .contains("SQLSTATE 42501")
        .contains("\"" + TestWarehouse.WRITER_USER + "\" needs the etl_eraser role");
    assertThat(rows(ALL_TRANSACTIONS)).as("rolled back").isEqualTo(transactions);
    assertNothingErased();
    assertNoValueIn(run);
  }

  // --- the canary: the value in no output, and not in argv with --value-file -----------------

  @Test
  void throughTheScriptTheValueIsInNoOutputAndNotInTheJavaProcessArguments() throws Exception {
    Path argv = dir.resolve("java.argv");
    Path java = fakeJdkRecordingInto(argv);
    Path file = valueFile(SUBJECT + "\n");

    ScriptRun fromFile =
        script(
            java,
            null,
            "forget",
            "--namespace",
            "user",
            "--value-file",
            file.toString(),
            "--request-id",
            "req-14",
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            eraser(),
            "--hmac-secret-file",
            keyFile.toString(),
            "--dry-run");
    List<String> fileArgv = Files.readAllLines(argv);
    ScriptRun fromStdin =
        script(
            java,
            SUBJECT,
            "forget",
            "--namespace",
            "user",
            "--value-file",
            "-",
            "--request-id",
            "req-15",
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-user",
            eraser(),
            "--hmac-secret-file",
            keyFile.toString());
    List<String> stdinArgv = Files.readAllLines(argv);

    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.out())
        .endsWith("SUMMARY request=req-14 namespace=user tables=3 rows=3 dry_run=true\n");
    assertThat(fileArgv).contains("dev.ddbwarehouse.local.cli.Gdpr", file.toString());
    assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
    assertThat(fromStdin.out())
        .endsWith("SUMMARY request=req-15 namespace=user tables=3 rows=3 dry_run=false\n");
    assertThat(stdinArgv).contains("dev.ddbwarehouse.local.cli.Gdpr", "-");
    assertSubjectErased();
    for (String text :
        List.of(
            fromFile.out(),
            fromFile.err(),
            fromStdin.out(),
            fromStdin.err(),
            String.join("\n", fileArgv),
            String.join("\n", stdinArgv))) {
      assertThat(text).doesNotContain(SUBJECT).doesNotContain(pseudonym(SUBJECT));
    }
  }

  // --- helpers -----------------------------------------------------------------------------

  record Run(int code, List<String> stdout, String err) {
    /** One line on stderr, {@code tool: ...}, no stack frame, nothing on stdout. */
    void failsWithOneLine(int expected, String tool) {
      assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expected);
      assertThat(err.lines().toList()).singleElement().asString().startsWith(tool + ": ");
      assertThat(stdout).isEmpty();
    }
  }

  record ScriptRun(int code, String out, String err) {}

  private static Run gdpr(InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Gdpr.run(
            stdin == null ? InputStream.nullInputStream() : stdin,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            args);
    return new Run(code, out.toString().lines().toList(), err.toString());
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String eraser() {
    return TestWarehouse.ERASER_USER;
  }

  /** forget as the eraser login; {@code --namespace user} unless {@code extra} names another. */
  private static String[] forget(String requestId, String... extra) {
    List<String> args = new ArrayList<>(List.of("forget"));
    if (!List.of(extra).contains("--namespace")) args.addAll(List.of("--namespace", "user"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--request-id", requestId, "--db-user", eraser()));
    return withDatabase(args.toArray(String[]::new));
  }

  private static String[] export(String... extra) {
    List<String> args = new ArrayList<>(List.of("export", "--namespace", "user"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--db-user", eraser()));
    return withDatabase(args.toArray(String[]::new));
  }

  private static String[] withDatabase(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--jdbc-url",
            warehouse.jdbcUrl(),
            "--db-password",
            TestWarehouse.TEST_PASSWORD,
            "--hmac-secret-file",
            keyFile.toString()));
    return all.toArray(String[]::new);
  }

  private Path valueFile(String content) throws IOException {
    Path f = Files.createTempFile(dir, "value", ".txt");
    return Files.writeString(f, content);
  }

  /**
   * A JDK newer than any installed one, so local-runtime.sh picks it: it records the arguments the
   * script gave java (one a line), then runs the real java with them.
   */
  private Path fakeJdkRecordingInto(Path argv) throws IOException {
    Path java = dir.resolve("jdk/bin/java");
    Files.createDirectories(java.getParent());
    String real = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        java,
        """
        #!/bin/bash
        if [[ "$1" == -XshowSettings:properties ]]; then
          echo '    java.specification.version = 999' >&2
          exit 0
        fi
        printf '%%s\\n' "$@" >'%s'
        exec '%s' "$@"
        """
            .formatted(argv, real));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    return java;
  }

  /** scripts/gdpr.sh as a real process, on this test's classpath, the password in PGPASSWORD. */
  private static ScriptRun script(Path java, String stdin, String... args) throws Exception {
    Path script = repoRoot().resolve("scripts/gdpr.sh");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot().toFile());
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", java.getParent().getParent().toString());
    env.put("DDBW_LOCAL_CLASSPATH", System.getProperty("java.class.path"));
    env.put("PGPASSWORD", TestWarehouse.TEST_PASSWORD);
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
    String out = read(process, false);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("gdpr.sh hung");
    }
    return new ScriptRun(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
  }

  private static String read(Process process, boolean stderr) {
    try (InputStream in = stderr ? process.getErrorStream() : process.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts/gdpr.sh"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("scripts/gdpr.sh not found above the module");
    return dir;
  }

  private static String pseudonym(String userId) {
    return new Pseudonymiser(keys).pseudonym("user", userId);
  }

  /** The subject's profile gone, its transactions kept with their amounts, linked to nobody. */
  private static void assertSubjectErased() throws SQLException {
    String p = pseudonym(SUBJECT);
    assertThat(
            count(
                "SELECT count(*) FROM warehouse.user_profiles WHERE user_pseudonym = '" + p + "'"))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM warehouse.transactions t WHERE to_jsonb(t)::text LIKE '%"
                    + p
                    + "%'"))
        .isZero();
    assertThat(
            rows(
                "SELECT transaction_id, amount::text, currency, user_pseudonym, account_pseudonym,"
                    + " email_pseudonym, key_version FROM warehouse.transactions"
                    + " WHERE transaction_id IN ('t-1', 't-2') ORDER BY 1"))
        .containsExactly(
            List.of("t-1", "10.00", "EUR", "null", "null", "null", "null"),
            List.of("t-2", "5.50", "EUR", "null", "null", "null", "null"));
  }

  private static void assertNothingErased() throws SQLException {
    assertThat(count("SELECT count(*) FROM etl.erased_subjects")).isZero();
    assertThat(count("SELECT count(*) FROM etl.erasure_log")).isZero();
    assertThat(count("SELECT count(*) FROM warehouse.user_profiles")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM warehouse.transactions WHERE user_pseudonym IS NULL"))
        .isZero();
  }

  private static void assertNoValueIn(Run run) {
    String text = String.join("\n", run.stdout()) + run.err();
    assertThat(text).doesNotContain(SUBJECT).doesNotContain(pseudonym(SUBJECT));
  }

  private static List<String> othersRows() throws SQLException {
    List<String> out = new ArrayList<>();
    for (List<String> r :
        rows(
            "SELECT to_jsonb(t)::text FROM warehouse.transactions t WHERE transaction_id = 't-3'"
                + " UNION ALL SELECT to_jsonb(p)::text FROM warehouse.user_profiles p"
                + " WHERE user_pseudonym = '"
                + pseudonym(OTHER)
                + "'")) {
      out.add(r.get(0));
    }
    assertThat(out).hasSize(2);
    return out;
  }

  private static long count(String sql) throws SQLException {
    return Long.parseLong(rows(sql).get(0).get(0));
  }

  private static List<List<String>> rows(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) row.add(String.valueOf(rs.getString(i)));
        out.add(row);
      }
    }
    return out;
  }

  /** Two profiles and three transactions (two of the subject), as one stream batch each. */
  private static String history() throws IOException {
    List<Map<String, Object>> records = new ArrayList<>();
    records.add(record(PROFILES_ARN, 1, "userId", profile(SUBJECT)));
    records.add(record(PROFILES_ARN, 2, "userId", profile(OTHER)));
    records.add(record(TRANSACTIONS_ARN, 3, "transactionId", transaction("t-1", SUBJECT, "10.00")));
    records.add(record(TRANSACTIONS_ARN, 4, "transactionId", transaction("t-2", SUBJECT, "5.50")));
    records.add(record(TRANSACTIONS_ARN, 5, "transactionId", transaction("t-3", OTHER, "7.25")));
    return new ObjectMapper().writeValueAsString(Map.of("Records", records));
  }

  private static Map<String, Object> record(
      String arn, long sequence, String keyName, Map<String, Object> image) {
    Map<String, Object> dynamodb = new LinkedHashMap<>();
    dynamodb.put("ApproximateCreationDateTime", 1767261600);
    dynamodb.put("Keys", Map.of(keyName, image.get(keyName)));
    dynamodb.put("NewImage", image);
    dynamodb.put("SequenceNumber", String.format("%022d", sequence * 100));
    dynamodb.put("SizeBytes", 300);
    dynamodb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("eventID", "gdpr-it-" + sequence);
    r.put("eventName", "INSERT");
    r.put("eventVersion", "1.1");
    r.put("eventSource", "aws:dynamodb");
    r.put("awsRegion", "eu-west-1");
    r.put("dynamodb", dynamodb);
    r.put("eventSourceARN", arn);
    return r;
  }

  private static Map<String, Object> profile(String userId) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("userId", s(userId));
    p.put("email", s(userId + "@example.com"));
    p.put("birthDate", s("1987-03-14"));
    p.put("sex", s("female"));
    p.put("country", s("DE"));
    p.put("signupAt", s("2024-05-17T09:30:00Z"));
    p.put("updatedAt", s("2026-01-01T10:00:00Z"));
    return p;
  }

  private static Map<String, Object> transaction(String id, String userId, String amount) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("transactionId", s(id));
    t.put("userId", s(userId));
    t.put("accountId", s("acc-" + userId));
    t.put("email", s(userId + "@example.com"));
    t.put("ipAddress", s("203.0.113.77"));
    t.put("merchantName", s("Corner Shop"));
    t.put("amount", Map.of("N", amount));
    t.put("currency", s("EUR"));
    t.put("status", s("SETTLED"));
    t.put("country", s("DE"));
    t.put("createdAt", s("2026-01-01T10:00:00Z"));
    t.put("updatedAt", s("2026-01-01T10:00:00Z"));
    return t;
  }

  private static Map<String, Object> s(String value) {
    return Map.of("S", value);
  }
}
