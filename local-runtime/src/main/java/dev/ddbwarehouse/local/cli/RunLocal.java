package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.stream.PollerSettings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/run-local.sh}: the whole pipeline on this machine, end to end, with a report. This
 * class is the command line only: {@link #plan()} checks every option before anything starts,
 * {@link LocalRun} does the run, {@link ServeMode} the {@code --serve} part.
 */
@Command(
    name = "run-local.sh",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    sortOptions = false,
    description = {
      "Starts DynamoDB Local and an embedded PostgreSQL (or uses --jdbc-url), migrates, writes fake"
          + " transactions and the profiles of their users (tables transactions and user-profiles)"
          + " with fake personal data, streams both through Lambda-like event source mappings into"
          + " the one real handler, and prints a report. Last stdout line (counts summed over the"
          + " tables):",
      "SUMMARY source_items=<n> warehouse_rows=<n> quarantined=<n> pii_leaks=<n> elapsed_ms=<n>"
          + " tables=<n>",
      "",
      "Exit codes: 0 done, 2 bad option or file, 3 --jdbc-url database unreachable or login refused,"
          + " 70 bug (--verbose prints the stack trace), 130 stopped by Ctrl-C (--serve: after the"
          + " final SUMMARY line).",
      ""
    })
public final class RunLocal implements Callable<Integer> {

  @Option(
      names = "--items",
      defaultValue = "10000",
      paramLabel = "N",
      description =
          "Transactions to insert (default: ${DEFAULT-VALUE}); their users, about one per ten,"
              + " get a profile each.")
  int items;

  @Option(
      names = "--preexisting",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Items written before the table has a stream, loaded through the backfill (default:"
              + " ${DEFAULT-VALUE}).")
  int preexisting;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of the fake data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--updates",
      paramLabel = "N",
      description =
          "Transaction status updates after the inserts (default: items/10); a tenth as many"
              + " profile updates.")
  Integer updates;

  @Option(
      names = "--deletes",
      paramLabel = "N",
      description = "Transaction deletes after the updates (default: items/50).")
  Integer deletes;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Records per invocation, 1..10000 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--batch-window-ms",
      defaultValue = "0",
      paramLabel = "MS",
      description =
          "Batching window: wait up to this long to fill a batch, 0..300000 (default:"
              + " ${DEFAULT-VALUE}, Lambda's default).")
  long batchWindowMs;

  @Option(
      names = "--max-retries",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Retries before records are reported as failed, -1 = forever (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "FILE",
      description = "Key file (default: .local/hmac-secret.json, generated once).")
  Path hmacSecretFile;

  @Option(
      names = "--mapping",
      paramLabel = "FILE",
      description = "Mapping/policy JSON (default: built-in policy).")
  Path mapping;

  @Option(
      names = "--export-source",
      paramLabel = "FILE",
      description = "Write the source items as JSON lines (DynamoDB JSON).")
  Path exportSource;

  @Option(
      names = "--serve",
      description =
          "Keep running: print BI and writer logins, keep writing at --rate, stop on Ctrl-C.")
  boolean serve;

  @Option(
      names = "--rate",
      defaultValue = "20/s",
      paramLabel = "N/s",
      description =
          "Changes per second in --serve mode, 0 < N <= 10000 (default: ${DEFAULT-VALUE}).")
  String rate;

  @Mixin VerboseOption verbose;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean ownProcess;

  RunLocal(PrintStream out, PrintStream err, boolean ownProcess) {
    this.out = out;
    this.err = err;
    this.ownProcess = ownProcess;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, true, args));
  }

  /** One run in this JVM, e.g. from another module's tests; returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, false, args);
  }

  private static int run(PrintStream out, PrintStream err, boolean ownProcess, String... args) {
    return Cli.run(
        new RunLocal(out, err, ownProcess),
        new PrintWriter(out, true, StandardCharsets.UTF_8),
        new PrintWriter(err, true, StandardCharsets.UTF_8),
        args);
  }

  @Override
  public Integer call() throws Exception {
    RunPlan plan = plan();
    // Before anything starts: a wrong host or password is one line, not a failed migration.
    plan.database().ifPresent(DatabaseCheck::requireReachable);
    if (ownProcess) {
      HandlerLog.redirectSystemOut(err);
    }
    new LocalRun(plan, out, err).run();
    return 0;
  }

  /**
   * Every option checked, files read and parsed, nothing started: each mistake is a {@link
   * CliFailure} (exit 2) naming the option and what it accepts.
   */
  RunPlan plan() {
    atLeast("--items", items, 0);
    atLeast("--preexisting", preexisting, 0);
    if ((long) items + preexisting > Integer.MAX_VALUE) {
      throw CliFailure.usage("--items plus --preexisting must be at most " + Integer.MAX_VALUE);
    }
    int updateCount = updates == null ? items / 10 : atLeast("--updates", updates, 0);
    int deleteCount = deletes == null ? items / 50 : atLeast("--deletes", deletes, 0);
    within("--batch-size", batchSize, 1, PollerSettings.MAX_BATCH_SIZE);
    within("--batch-window-ms", batchWindowMs, 0, Duration.ofMinutes(5).toMillis());
    atLeast("--max-retries", maxRetries, -1);
    PollerSettings settings =
        PollerSettings.defaults()
            .withBatchSize(batchSize)
            .withBatchingWindow(Duration.ofMillis(batchWindowMs))
            .withMaxRetries(maxRetries);
    Rate changes = Rate.parse(rate);
    if (hmacSecretFile != null) {
      ConfigFiles.requireHmacKey(hmacSecretFile);
    }
    if (mapping != null) {
      ConfigFiles.requireMapping(mapping);
    }
    if (exportSource != null) {
      requireWritable(exportSource);
    }
    return new RunPlan(
        items,
        preexisting,
        seed,
        updateCount,
        deleteCount,
        settings,
        ConfigFiles.externalDatabase(database),
        hmacSecretFile,
        mapping,
        exportSource,
        serve,
        changes);
  }

  private static int atLeast(String option, long value, long min) {
    return within(option, value, min, Integer.MAX_VALUE);
  }

  private static int within(String option, long value, long min, long max) {
    if (value < min || value > max) {
      String range = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
      throw CliFailure.usage(option + " must be " + range + ", was " + value);
    }
    return (int) value;
  }

  private static void requireWritable(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || folder == null || !Files.isDirectory(folder)) {
      throw CliFailure.usage(
          "--export-source: cannot write "
              + file
              + " (its folder must exist and it must not be a folder itself)");
    }
    if (!Files.isWritable(folder) || (Files.exists(file) && !Files.isWritable(file))) {
      throw CliFailure.usage("--export-source: " + file + " is not writable");
    }
  }

  /** Where the handler's own log lines go in a run-local process. */
  private static final class HandlerLog {
    /**
     * The handler logs a JSON line and a metrics line per batch to System.out, as Lambda wants; in
     * a local run that would bury the report and the progress bar, so it goes to a file instead.
     */
    static void redirectSystemOut(PrintStream err) {
      Path file = HmacSecretFile.stateDir().resolve("run-local-handler.log");
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        System.setOut(new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8));
        err.println("handler logs (JSON lines) go to " + file.toAbsolutePath());
      } catch (java.io.IOException e) {
        System.setOut(err);
        err.println("handler logs go to stderr: cannot write " + file);
      }
    }
  }
}
