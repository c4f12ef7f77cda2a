package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.lambda.TransactionStreamHandler;
import dev.ddbwarehouse.local.bench.BenchSteps;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
    sortOptions = false,
    description = {
      "Measures, in one run and one database: N records as Lambda event JSON -> handler -> committed",
      "rows, in batches of 1,000 and 10,000, against a raw COPY of the same final rows into an identical",
      "table; batch latency of 10,000-record batches; peak heap; cold start of a fresh JVM (on this",
      "classpath, and on the Lambda jar alone with and without -XX:TieredStopAtLevel=1)."
    })
public final class Bench implements Callable<Integer> {

  @Option(
      names = "--records",
      defaultValue = "100000",
      description = "Records per measured run (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--batch-sizes",
      defaultValue = "1000,10000",
      split = ",",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--rounds",
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
      defaultValue = "20000",
      description = "Records through the handler before measuring (default: ${DEFAULT-VALUE}).")
  int warmupRecords;

  @Option(
      names = "--cold-start-runs",
      defaultValue = "5",
      description = "Fresh JVMs for the cold start median (default: ${DEFAULT-VALUE}).")
  int coldStartRuns;

  @Option(
      names = "--lambda-jar",
      paramLabel = "JAR",
      defaultValue = "lambda/target/ddb-warehouse-lambda.jar",
      description =
          "Shaded deployment jar whose own cold start is measured too, when present (default: ${DEFAULT-VALUE}).")
  Path lambdaJar;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "FILE",
      description = "Key file (default: .local/hmac-secret.json).")
  Path hmacSecretFile;

  private final PrintStream out;
  private final PrintStream err;

  Bench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream stdout = System.out;
    System.setOut(
        new PrintStream(java.io.OutputStream.nullOutputStream())); // per-batch handler logs
    // Help and usage errors go to the real stdout/stderr, not the discarded handler output.
    System.exit(
        new CommandLine(new Bench(stdout, System.err))
            .setOut(new java.io.PrintWriter(stdout, true))
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (LocalWarehouse warehouse =
        database
            .jdbcUrl()
            .map(
                url ->
                    LocalWarehouse.external(
                        new LocalWarehouse.Login(url, database.user(), database.password())))
            .orElseGet(LocalWarehouse::embedded)) {
      warehouse.migrate();
      LocalWarehouse.Login writer =
          warehouse.isEmbedded()
              ? warehouse.loginInRole("etl_loader", "etl_writer")
              : warehouse.admin();
      Path key = HmacSecretFile.resolve(hmacSecretFile, HmacSecretFile.stateDir(), err);
      WarehouseFunction.Settings settings =
          new WarehouseFunction.Settings(
              writer.jdbcUrl(), writer.user(), writer.password(), key, null, null);
      TransactionStreamHandler handler = WarehouseFunction.handler(settings, BatchObserver.NONE);
      new BenchSteps(out, err, warehouse, handler, settings)
          .run(records, batchSizes, rounds, modify, warmupRecords, coldStartRuns, lambdaJar);
    }
    return 0;
  }
}
