package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceScan;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.LocalPipeline;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.report.ProgressBar;
import dev.ddbwarehouse.local.stream.MappingSettings;
import dev.ddbwarehouse.local.synth.SourceWorkload;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scripts/run-local.sh}: the whole pipeline on this machine, end to end, with a report. */
@Command(
    name = "run-local.sh",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts DynamoDB Local and an embedded PostgreSQL (or uses --jdbc-url), migrates, writes fake",
      "transactions with fake personal data, streams them through a Lambda-like event source mapping",
      "into the real handler, and prints a report. Last stdout line:",
      "SUMMARY source_items=<n> warehouse_rows=<n> quarantined=<n> pii_leaks=<n> elapsed_ms=<n>"
    })
public final class RunLocal implements Callable<Integer> {

  @Option(
      names = "--items",
      defaultValue = "10000",
      description = "Transactions to insert (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--preexisting",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Items written before the table has a stream, loaded through the backfill (default: ${DEFAULT-VALUE}).")
  int preexisting;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the fake data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--updates",
      description = "Status updates after the inserts (default: items/10).")
  Integer updates;

  @Option(names = "--deletes", description = "Deletes after the updates (default: items/50).")
  Integer deletes;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Records per invocation, 1..10000 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--batch-window-ms",
      defaultValue = "0",
      description =
          "Batching window: wait up to this long to fill a batch (default: ${DEFAULT-VALUE}, Lambda's default).")
  long batchWindowMs;

  @Option(
      names = "--max-retries",
      defaultValue = "3",
      description = "Retries before records are reported as failed (default: ${DEFAULT-VALUE}).")
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
          "Keep running: print BI connection details, keep writing at --rate, stop on Ctrl-C.")
  boolean serve;

  @Option(
      names = "--rate",
      defaultValue = "20/s",
      paramLabel = "N/s",
      description = "Writes per second in --serve mode (default: ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--table", defaultValue = "transactions", hidden = true)
  String tableName;

  /** Enough concurrent writers to keep DynamoDB Local busy on two cores. */
  private static final int WRITER_THREADS = 4;

  private final PrintStream out;
  private final PrintStream err;

  RunLocal(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(handlerLog(stderr));
    System.exit(run(stdout, stderr, args));
  }

  /** One run in this JVM, e.g. from another module's tests; returns the exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    // picocli would take System.out, which main() points at the handler log: --help belongs on
    // stdout.
    return new CommandLine(new RunLocal(out, err))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /**
   * The handler logs a JSON line and a metrics line per batch to System.out, as Lambda wants; in a
   * local run that would bury the report and the progress bar, so it goes to a file instead.
   */
  private static PrintStream handlerLog(PrintStream stderr) {
    Path file = HmacSecretFile.stateDir().resolve("run-local-handler.log");
    try {
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      stderr.println("handler logs (JSON lines) go to " + file.toAbsolutePath());
      return new PrintStream(
          java.nio.file.Files.newOutputStream(file), true, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      stderr.println("handler logs go to stderr: cannot write " + file);
      return stderr;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (preexisting < 0) {
      err.println("--preexisting must be >= 0, was " + preexisting);
      return 2;
    }
    Optional<PreexistingLoader> loader =
        preexisting > 0
            ? ServiceLoader.load(PreexistingLoader.class).findFirst()
            : Optional.empty();
    if (preexisting > 0 && loader.isEmpty()) {
      err.println(
          "--preexisting needs the backfill module on the classpath (scripts/run-local.sh adds it)");
      return 2;
    }
    MappingSettings settings =
        MappingSettings.defaults()
            .withBatchSize(batchSize)
            .withBatchingWindow(Duration.ofMillis(batchWindowMs))
            .withMaxRetries(maxRetries);
    double writesPerSecond = parseRate(rate);
    err.println(
        "starting DynamoDB Local and "
            + (database.jdbcUrl().isPresent()
                ? "connecting to PostgreSQL"
                : "an embedded PostgreSQL 16")
            + " ...");
    CompletableFuture<LocalWarehouse> warehouseStart =
        CompletableFuture.supplyAsync(this::openWarehouse);
    try (DynamoDbLocal dynamo = DynamoDbLocal.start();
        LocalWarehouse warehouse = warehouseStart.join()) {
      err.println("applied " + warehouse.migrate() + " migrations to " + warehouse.describe());
      // The handler logs in as production's Lambda does: a member of etl_writer, nothing more.
      LocalWarehouse.Login writer =
          warehouse.isEmbedded()
              ? warehouse.loginInRole("etl_loader", "etl_writer")
              : warehouse.admin();
      LocalWarehouse.Login reader =
          warehouse.isEmbedded()
              ? warehouse.loginInRole("analyst", "bi_reader")
              : warehouse.admin();
      Path key = HmacSecretFile.resolve(hmacSecretFile, HmacSecretFile.stateDir(), err);
      WarehouseFunction.Settings handler =
          new WarehouseFunction.Settings(
              writer.jdbcUrl(), writer.user(), writer.password(), key, mapping, null);
      try (LocalPipeline pipeline =
          new LocalPipeline(dynamo, settings, handler, UnaryOperator.identity())) {
        try (SourceWorkload workload =
            pipeline.workload(tableName, seed, preexisting + items, WRITER_THREADS)) {
          SourceTable table;
          Optional<PreexistingLoader.Loaded> backfill = Optional.empty();
          if (loader.isPresent()) {
            table = writePreexisting(dynamo, pipeline, workload);
            backfill = Optional.of(loader.get().load(pipeline, table, err));
          } else {
            table = pipeline.createTable(tableName);
            pipeline.poll(table);
          }
          RunReport report = new RunReport(out, dynamo, warehouse, reader, table, pipeline);
          loadAndReport(pipeline, workload, report, settings, backfill);
          if (exportSource != null) {
            err.println(
                "exported "
                    + SourceScan.export(dynamo.dynamoDb(), table.name(), exportSource)
                    + " source items to "
                    + exportSource);
          }
          out.println(report.summary(elapsedMillis()));
          if (serve) {
            serve(
                warehouse,
                warehouse.isEmbedded() ? reader : warehouse.loginInRole("analyst", "bi_reader"),
                pipeline,
                workload,
                report,
                writesPerSecond);
          }
        }
      }
    }
    return 0;
  }

  /**
   * The backfill's starting point, in the order AWS needs: items written while the table has no
   * stream, then the stream and the live mapping, so the backfill is the only way in for them.
   */
  private SourceTable writePreexisting(
      DynamoDbLocal dynamo, LocalPipeline pipeline, SourceWorkload workload) {
    err.printf(
        Locale.ROOT,
        "writing %,d preexisting items before the table has a stream ...%n",
        preexisting);
    SourceTable.createWithoutStream(dynamo.dynamoDb(), tableName);
    workload.insert(preexisting);
    SourceTable table = SourceTable.enableStream(dynamo.dynamoDb(), tableName);
    pipeline.poll(table);
    return table;
  }

  private void loadAndReport(
      LocalPipeline pipeline,
      SourceWorkload workload,
      RunReport report,
      MappingSettings settings,
      Optional<PreexistingLoader.Loaded> backfill)
      throws Exception {
    long loadStart = System.nanoTime();
    int updated;
    int deleted;
    boolean settled;
    try (ProgressBar bar =
        new ProgressBar(
                err,
                pipeline.stats()::recordsSettled,
                pipeline.writes()::writes,
                pipeline.writes()::writes)
            .start()) {
      workload.insert(items);
      updated = workload.updateStatuses(updates == null ? items / 10 : updates);
      deleted = workload.delete(deletes == null ? items / 50 : deletes);
      settled = pipeline.awaitSettled(Duration.ofSeconds(60));
    }
    long pipelineNanos = System.nanoTime() - loadStart;
    if (!settled) {
      err.println("WARNING: the pipeline made no progress for 60 s; reporting what arrived");
    }
    report.print(items, updated, deleted, seed, settings, pipelineNanos, preexisting, backfill);
  }

  private LocalWarehouse openWarehouse() {
    return database
        .jdbcUrl()
        .map(
            url ->
                LocalWarehouse.external(
                    new LocalWarehouse.Login(url, database.user(), database.password())))
        .orElseGet(LocalWarehouse::embedded);
  }

  private void serve(
      LocalWarehouse warehouse,
      LocalWarehouse.Login analyst,
      LocalPipeline pipeline,
      SourceWorkload workload,
      RunReport report,
      double rate)
      throws Exception {
    String url = analyst.jdbcUrl();
    String hostPortDb = url.substring("jdbc:postgresql://".length()).replaceFirst("\\?.*$", "");
    out.println();
    out.println("serving. BI connection (role bi_reader, schema bi):");
    out.println(
        "  JDBC URL: "
            + url
            + (url.contains("?") ? "&" : "?")
            + "user="
            + analyst.user()
            + "&password="
            + analyst.password());
    out.println(
        "  psql:     psql \"postgresql://"
            + analyst.user()
            + ":"
            + analyst.password()
            + "@"
            + hostPortDb
            + "\" -c 'SELECT * FROM bi.transactions LIMIT 10'");
    out.printf(
        "  writing about %.0f changes/s to DynamoDB Local; Ctrl-C stops everything cleanly.%n",
        rate);
    out.flush();
    Thread writer =
        Thread.ofPlatform().name("serve-writer").start(() -> writeSteadily(workload, rate));
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch reported = new CountDownLatch(1);
    // Ctrl-C runs the shutdown hooks while this thread still works: ours only wakes it and then
    // waits for the final summary; the warehouse's hook waits for it too before stopping
    // PostgreSQL.
    warehouse.holdShutdownUntil(reported);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  interrupted.countDown();
                  try {
                    reported.await(30, java.util.concurrent.TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "serve-shutdown"));
    try (ProgressBar bar =
        new ProgressBar(
                err,
                pipeline.stats()::recordsSettled,
                pipeline.writes()::writes,
                pipeline.writes()::writes)
            .start()) {
      interrupted.await();
      writer.interrupt();
      writer.join(5_000);
      pipeline.awaitSettled(Duration.ofSeconds(5));
    }
    err.println("stopping: stream drained; closing DynamoDB Local and PostgreSQL");
    try {
      out.println(report.summary(elapsedMillis()));
      out.flush();
    } finally {
      reported.countDown();
    }
  }

  private static void writeSteadily(SourceWorkload workload, double rate) {
    long intervalNanos = (long) (1e9 / rate);
    long next = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      workload.oneMixedWrite();
      next += intervalNanos;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  static double parseRate(String rate) {
    String number = rate.endsWith("/s") ? rate.substring(0, rate.length() - 2) : rate;
    double value = Double.parseDouble(number.strip());
    if (value <= 0 || value > 10_000) {
      throw new IllegalArgumentException("--rate must be 0 < N/s <= 10000, was " + rate);
    }
    return value;
  }

  private static long elapsedMillis() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
