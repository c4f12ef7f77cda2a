package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.bench.BenchSteps;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench.sh}: pipeline vs raw COPY in one run and database, latency, heap, cold
 * start.
 */
@Command(
    name = "bench.sh",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    sortOptions = false,
    description = {
      "Measures, in one run and one database: N records as Lambda event JSON -> handler -> committed rows, in batches",
      "of 1,000 and 10,000, against a raw COPY of the same final rows into an identical table; batch latency of",
      "10,000-record batches; peak heap; cold start of a fresh JVM (on this classpath, and on the Lambda jar alone with",
      "and without -XX:TieredStopAtLevel=1). Without --jdbc-url it starts an embedded PostgreSQL."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:measured and printed",
      "2:bad option or missing file, not a PostgreSQL URL",
      "3:the database is unreachable, refused the login, does not exist, or refused the migrations",
      "70:a bug in the tool (--verbose prints the stack trace)"
    })
public final class Bench implements Callable<Integer> {

  @Option(
      names = "--records",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Records per measured run (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--batch-sizes",
      paramLabel = "N",
      defaultValue = "1000,10000",
      split = ",",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Pipeline-then-COPY pairs per batch size; figures are the medians (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--modify",
      description = "Also measure MODIFY records, which take the staged, version-guarded merge.")
  boolean modify;

  @Option(
      names = "--warmup-records",
      paramLabel = "N",
      defaultValue = "20000",
      description = "Records through the handler before measuring (default: ${DEFAULT-VALUE}).")
  int warmupRecords;

  @Option(
      names = "--cold-start-runs",
      paramLabel = "N",
      defaultValue = "5",
      description = "Fresh JVMs for the cold start median; 0 skips it (default: ${DEFAULT-VALUE}).")
  int coldStartRuns;

  @Option(
      names = "--lambda-jar",
      paramLabel = "JAR",
      defaultValue = "lambda/target/ddb-warehouse-lambda.jar",
      description =
          "Shaded deployment jar whose own cold start is measured too, when present (default: ${DEFAULT-VALUE}).")
  Path lambdaJar;

  @Option(
      names = "--suppressed-subjects",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Erased subjects on the suppression list (etl.erased_subjects) during the runs: the cost"
              + " of the erasure check every batch makes (default: ${DEFAULT-VALUE}).")
  int suppressedSubjects;

  @Option(
      names = "--pin",
      description =
          "Run PostgreSQL on core 0 and the benchmark JVM on core 1 (taskset; needs 2 cores and a"
              + " database on this machine), as with a database on its own host.")
  boolean pin;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "FILE",
      description = "Key file (default: .local/hmac-secret.json).")
  Path hmacSecretFile;

  @Option(
      names = "--check-only",
      description =
          "Check the options, files and database login, then exit (bench.sh does this before JMH).")
  boolean checkOnly;

  @Mixin VerboseOption verbose;

  private final PrintStream out;
  private final PrintStream err;

  Bench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // The handler's per-batch logs are discarded; help, errors and figures use the real streams.
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
    System.exit(run(stdout, System.err, args));
  }

  /** Runs the command; returns the exit code (tests call this instead of main). */
  static int run(PrintStream out, PrintStream err, String... args) {
    return Cli.run(
        new Bench(out, err), new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Override
  public Integer call() throws Exception {
    // Validate everything that costs nothing before starting or migrating a database.
    atLeast("--records", records, 1);
    atLeast("--rounds", rounds, 1);
    atLeast("--warmup-records", warmupRecords, 0);
    atLeast("--cold-start-runs", coldStartRuns, 0);
    atLeast("--suppressed-subjects", suppressedSubjects, 0);
    for (int size : batchSizes) atLeast("--batch-sizes", size, 1);
    InputFile.require(hmacSecretFile, "--hmac-secret-file", "a key file {\"active\":...}");
    DatabaseLogin login = database.jdbcUrl().isPresent() ? DatabaseLogin.of(database) : null;
    if (login != null) login.check();
    if (checkOnly) return ExitCode.OK;
    try (LocalWarehouse warehouse =
        login == null
            ? LocalWarehouse.embedded()
            : LocalWarehouse.external(
                new LocalWarehouse.Login(login.jdbcUrl(), login.user(), login.password()))) {
      try {
        warehouse.migrate();
      } catch (RuntimeException e) {
        throw DatabaseLogin.migrationFailure(e, warehouse.admin().user());
      }
      LocalWarehouse.Login writer =
          warehouse.isEmbedded()
              ? warehouse.loginInRole("etl_loader", "etl_writer")
              : warehouse.admin();
      Path key = HmacSecretFile.resolve(hmacSecretFile, HmacSecretFile.stateDir(), err);
      suppress(warehouse, key);
      if (pin) {
        try (java.sql.Connection admin = warehouse.adminConnection()) {
          out.println(dev.ddbwarehouse.local.bench.CorePinning.pin(admin));
        }
      }
      WarehouseFunction.Settings settings =
          new WarehouseFunction.Settings(
              writer.jdbcUrl(), writer.user(), writer.password(), key, null, null);
      StreamHandler handler = LocalHandler.create(settings, BatchObserver.NONE);
      new BenchSteps(out, err, warehouse, handler, settings)
          .run(records, batchSizes, rounds, modify, warmupRecords, coldStartRuns, lambdaJar);
    }
    return ExitCode.OK;
  }

  /**
   * Fills the suppression list with subjects no bench record belongs to, under the key's
   * suppression version: every batch then probes a list of that size, as in production.
   */
  private void suppress(LocalWarehouse warehouse, Path key) throws java.io.IOException {
    warehouse.execute("TRUNCATE etl.erased_subjects");
    if (suppressedSubjects == 0) return;
    String version =
        dev.ddbwarehouse.core.pseudonym.KeyRing.parse(
                java.nio.file.Files.readString(key), key.toString())
            .suppressionVersion();
    warehouse.execute(
        "INSERT INTO etl.erased_subjects SELECT 'user', '"
            + version.replace("'", "''")
            + "', encode(sha256(('bench-subject-' || g)::bytea), 'hex'), 'bench', now()"
            + " FROM generate_series(1, "
            + suppressedSubjects
            + ") g");
    // Settled as a long-lived list is: vacuumed (its index answers from the index alone) and
    // checkpointed, so the insert's autovacuum and checkpoint do not land in a measured round.
    warehouse.execute("VACUUM ANALYZE etl.erased_subjects");
    warehouse.execute("CHECKPOINT");
    out.printf(java.util.Locale.ROOT, "suppression_list_subjects=%d%n", suppressedSubjects);
  }

  private static void atLeast(String flag, int value, int min) {
    if (value < min) throw CliFailure.usage(flag + " must be at least " + min + ", was " + value);
  }
}
