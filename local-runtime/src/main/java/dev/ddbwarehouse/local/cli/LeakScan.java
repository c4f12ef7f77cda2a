package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.Progress;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.local.dynamo.SourceSample;
import dev.ddbwarehouse.local.warehouse.IdentifyingValues;
import dev.ddbwarehouse.privacyscan.ColumnFindings;
import dev.ddbwarehouse.privacyscan.KnownValues;
import dev.ddbwarehouse.privacyscan.LeakScanner;
import dev.ddbwarehouse.privacyscan.ScanProgress;
import dev.ddbwarehouse.privacyscan.TextScanner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@code scripts/leak-scan.sh}: the PII scanner. Reads every text-like, array, JSON, network and
 * temporal column of every table and view of the warehouse's schemas and reports, per column and
 * kind, how many values hold an e-mail address, IBAN, card number, phone number or IP address, or
 * one of the identifying values of items sampled from the source table (or listed in a file). It
 * prints names and counts, never a value: its output can go into a ticket.
 */
@Command(
    name = "leak-scan.sh",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Scans the warehouse for personal data that should not be there: e-mail addresses, IBANs",
      "(valid checksum), card numbers (Luhn), phone numbers, IP addresses outside network columns,",
      "and the identifying values of sampled source items (--source-table) or of --values-file.",
      "Prints 'leak SCHEMA.TABLE.COLUMN kind=KIND count=N' per finding kind, then a SUMMARY line;",
      "never a value. Exit codes: 0 clean, 1 findings, 2 bad arguments, 3 cannot connect."
    })
public final class LeakScan implements Callable<Integer> {

  static final List<String> DEFAULT_SCHEMAS = List.of("warehouse", "etl", "bi");

  /** Below this many estimated rows the scan takes seconds: no progress bar. */
  static final long PROGRESS_ROWS = 50_000;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--values-file",
      paramLabel = "F",
      description =
          "Known identifying values to search for, one per line (kept off the command line).")
  Path valuesFile;

  @Option(
      names = "--source-table",
      paramLabel = "T",
      description =
          "DynamoDB source table to sample: the values of every attribute its mapping entry"
              + " pseudonymises or drops are searched for.")
  String sourceTable;

  @Option(
      names = "--sample",
      paramLabel = "N",
      description = "How many items of --source-table to scan (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int sample;

  @Option(
      names = "--mapping",
      paramLabel = "F",
      description =
          "Mapping document (default: the built-in one): which attributes are identifying.")
  Path mapping;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "F",
      description =
          "The warehouse's key ring (the secret's JSON): also count how many sampled values are in"
              + " the warehouse as pseudonyms, i.e. whether the sample reached it at all.")
  Path hmacSecretFile;

  @Option(
      names = "--schemas",
      paramLabel = "S1,S2",
      split = ",",
      description = "Schemas to scan (default: warehouse,etl,bi: all the pipeline writes).")
  List<String> schemas;

  @Option(
      names = "--dynamodb-endpoint",
      paramLabel = "URL",
      description =
          "DynamoDB endpoint, e.g. http://localhost:8000 for DynamoDB Local (default: AWS, with the"
              + " default credentials and region chain).")
  URI dynamoDbEndpoint;

  @Mixin VerboseOption verbose;

  @Spec CommandLine.Model.CommandSpec spec;

  private PrintStream progressStream = System.err;

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  static int run(PrintStream out, PrintStream err, String... args) {
    LeakScan command = new LeakScan();
    command.progressStream = err;
    return Cli.run(
        command,
        new PrintWriter(out, true, StandardCharsets.UTF_8),
        new PrintWriter(err, true, StandardCharsets.UTF_8),
        args);
  }

  @Override
  public Integer call() throws SQLException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> scanned = checkedSchemas();
    if (sourceTable == null && spec.commandLine().getParseResult().hasMatchedOption("--sample")) {
      throw CliFailure.usage("--sample needs --source-table (the table to sample)");
    }
    if (sample < 1) throw CliFailure.usage("--sample must be at least 1, was " + sample);
    KeyRing keys = hmacSecretFile == null ? null : ConfigFiles.keyRing(hmacSecretFile);
    TableSpec entry = sourceTable == null ? null : entry(ConfigFiles.mapping(mapping), sourceTable);
    IdentifyingValues values = new IdentifyingValues(keys);
    if (valuesFile != null) readValues(valuesFile).forEach(values::addValue);
    DatabaseLogin login = DatabaseLogin.of(database);
    try (Connection connection = connect(login)) {
      requireSchemas(connection, scanned);
      int sampled = 0;
      if (entry != null) {
        List<AttributeRule> rules = IdentifyingValues.searchedRules(entry);
        List<Map<String, AttributeValue>> items = sampleItems();
        items.forEach(item -> values.addItem(item, rules));
        sampled = items.size();
      }
      KnownValues known = values.knownValues();
      err.printf(
          Locale.ROOT,
          "scanning schemas %s of %s for patterns and %,d known values (%,d forms)%s%n",
          String.join(", ", scanned),
          login.maskedUrl(),
          known.values(),
          known.forms(),
          entry == null ? "" : ", from " + sampled + " items of " + sourceTable);
      LeakScanner scanner =
          new LeakScanner(new TextScanner(known), scanned, values.expectedPseudonyms());
      LeakScanner.Result result;
      try (BarProgress progress = new BarProgress(progressStream)) {
        result = scanner.scan(connection, progress);
      } catch (SQLException e) {
        throw CliFailure.unreachable(
            "the scan failed (SQLSTATE "
                + e.getSQLState()
                + ")"
                + ("42501".equals(e.getSQLState())
                    ? ": user \"" + login.user() + "\" must be able to read every table it scans"
                    : ""),
            e);
      }
      report(result, out);
      if (keys != null && entry != null) {
        err.printf(
            Locale.ROOT,
            "note: %,d of the %,d pseudonyms of the sampled values are in the warehouse%s%n",
            result.expectedPseudonymsFound(),
            values.expectedPseudonyms().size(),
            result.expectedPseudonymsFound() == 0
                ? " (did the sample reach it? a clean scan of values never written proves little)"
                : "");
      }
      return result.findings() > 0 ? ExitCode.FOUND : ExitCode.OK;
    }
  }

  static void report(LeakScanner.Result result, PrintWriter out) {
    for (ColumnFindings column : result.columns()) {
      column
          .counts()
          .forEach(
              (kind, count) ->
                  out.printf(
                      Locale.ROOT,
                      "leak %s kind=%s count=%d%n",
                      column.qualifiedName(),
                      kind.label(),
                      count));
    }
    out.printf(
        Locale.ROOT,
        "SUMMARY columns_scanned=%d findings=%d columns_with_findings=%d%n",
        result.columnsScanned(),
        result.findings(),
        result.columns().size());
  }

  private List<String> checkedSchemas() {
    List<String> named = schemas == null ? DEFAULT_SCHEMAS : schemas;
    List<String> trimmed = named.stream().map(String::strip).toList();
    if (trimmed.isEmpty() || trimmed.stream().anyMatch(String::isEmpty)) {
      throw CliFailure.usage("--schemas: name one or more schemas, separated by commas");
    }
    return trimmed.stream().distinct().toList();
  }

  private static void requireSchemas(Connection connection, List<String> names)
      throws SQLException {
    List<String> missing = new ArrayList<>(names);
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY (?::text[])")) {
      ps.setArray(1, connection.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) missing.remove(rs.getString(1));
      }
    }
    if (!missing.isEmpty()) {
      throw CliFailure.usage(
          "--schemas: no schema " + String.join(", ", missing) + " in the database");
    }
  }

  private static Connection connect(DatabaseLogin login) {
    try {
      return DriverManager.getConnection(login.jdbcUrl(), login.user(), login.password());
    } catch (SQLException e) {
      login.check(); // the one-line reason of a refused or failed login, exit 3
      throw CliFailure.unreachable("cannot connect to " + login.maskedUrl(), e);
    }
  }

  /**
   * The entry fed by {@code table}'s stream; a version 1 document's one entry takes every table.
   */
  static TableSpec entry(Mapping mapping, String table) {
    return mapping.tables().stream()
        .filter(t -> table.equals(t.source()))
        .findFirst()
        .or(
            () ->
                mapping.routesEveryTable()
                    ? mapping.tables().stream().findFirst()
                    : java.util.Optional.empty())
        .orElseThrow(
            () ->
                CliFailure.usage(
                    "--source-table "
                        + table
                        + ": no entry of the mapping document has \"source\": \""
                        + table
                        + "\" (entries: "
                        + String.join(
                            ", ", mapping.tables().stream().map(TableSpec::source).toList())
                        + ")"));
  }

  private static List<String> readValues(Path file) {
    return Arrays.stream(ConfigFiles.read(file, "--values-file").split("\r?\n"))
        .filter(line -> !line.isBlank())
        .toList();
  }

  private List<Map<String, AttributeValue>> sampleItems() {
    try (DynamoDbClient dynamoDb = dynamoDb()) {
      return SourceSample.items(dynamoDb, sourceTable, sample);
    } catch (ResourceNotFoundException e) {
      throw CliFailure.unreachable(
          "--source-table " + sourceTable + ": no such DynamoDB table at " + dynamoDbWhere(), e);
    } catch (SdkClientException e) {
      throw CliFailure.unreachable(
          "cannot reach DynamoDB at " + dynamoDbWhere() + " (" + e.getClass().getSimpleName() + ")",
          e);
    } catch (DynamoDbException e) {
      throw CliFailure.unreachable(
          "DynamoDB at "
              + dynamoDbWhere()
              + " refused the scan of "
              + sourceTable
              + " ("
              + (e.awsErrorDetails() == null ? "no details" : e.awsErrorDetails().errorCode())
              + ")",
          e);
    }
  }

  private String dynamoDbWhere() {
    return dynamoDbEndpoint == null ? "AWS (default endpoint)" : dynamoDbEndpoint.toString();
  }

  private DynamoDbClient dynamoDb() {
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (dynamoDbEndpoint != null) {
      builder.endpointOverride(dynamoDbEndpoint);
      String host = dynamoDbEndpoint.getHost();
      if (host != null && List.of("localhost", "127.0.0.1", "[::1]", "::1").contains(host)) {
        // DynamoDB Local accepts any credentials; the SDK only needs some to sign with.
        builder.credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        builder.region(Region.US_EAST_1);
      }
    }
    try {
      return builder.build();
    } catch (SdkClientException e) {
      throw CliFailure.usage(
          "no AWS region for DynamoDB: set AWS_REGION (or the profile's region), or pass a local"
              + " --dynamodb-endpoint");
    }
  }

  /** The project's progress bar, shown once the tables are known to be large. */
  private static final class BarProgress implements ScanProgress, AutoCloseable {
    private final PrintStream err;
    private ProgressBar bar;

    BarProgress(PrintStream err) {
      this.err = err;
    }

    @Override
    public void started(int tables, long estimatedRows) {
      if (estimatedRows >= PROGRESS_ROWS) {
        bar = Progress.bar("leak scan of " + tables + " tables", estimatedRows, "rows", err);
      }
    }

    @Override
    public void rows(long rows) {
      if (bar == null) return;
      bar.stepBy(rows);
      if (bar.getCurrent() > bar.getMax()) bar.maxHint(bar.getCurrent());
    }

    @Override
    public void close() {
      if (bar != null) bar.close();
    }
  }
}
