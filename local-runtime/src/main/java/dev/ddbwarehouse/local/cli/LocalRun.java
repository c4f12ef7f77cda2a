package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.backfill.PreexistingLoader;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceScan;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.LocalPipeline;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.synth.FakePerson;
import dev.ddbwarehouse.local.synth.ProfileWorkload;
import dev.ddbwarehouse.local.synth.SourceWorkload;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * One run-local run of a checked {@link RunPlan}: start DynamoDB Local and the warehouse, migrate,
 * write the workload, stream it through the handler, report; then {@link ServeMode} if asked.
 */
final class LocalRun {

  /** Enough concurrent writers to keep DynamoDB Local busy on two cores. */
  private static final int WRITER_THREADS = 4;

  private final RunPlan plan;
  private final PrintStream out;
  private final PrintStream err;

  LocalRun(RunPlan plan, PrintStream out, PrintStream err) {
    this.plan = plan;
    this.out = out;
    this.err = err;
  }

  void run() throws Exception {
    Path key = HmacSecretFile.resolve(plan.hmacSecretFile(), HmacSecretFile.stateDir(), err);
    err.println(
        "starting DynamoDB Local and "
            + (plan.database().isPresent()
                ? "connecting to PostgreSQL"
                : "an embedded PostgreSQL 16")
            + " ...");
    // In --serve, Ctrl-C's shutdown hooks wait on this until everything below is closed in order.
    CountDownLatch closed = new CountDownLatch(1);
    CompletableFuture<LocalWarehouse> warehouseStart =
        CompletableFuture.supplyAsync(this::openWarehouse);
    try (DynamoDbLocal dynamo = DynamoDbLocal.start();
        LocalWarehouse warehouse = join(warehouseStart)) {
      if (plan.serve()) {
        warehouse.holdShutdownUntil(closed);
      }
      err.println("applied " + warehouse.migrate() + " migrations to " + warehouse.describe());
      // What this run quarantines is what the quarantine gains from now on (see RunReport).
      Instant started = Instant.now();
      // The handler logs in as production's Lambda does: a member of etl_writer, nothing more.
      LocalWarehouse.Login writer =
          warehouse.isEmbedded()
              ? warehouse.loginInRole("etl_loader", "etl_writer")
              : warehouse.admin();
      LocalWarehouse.Login reader =
          warehouse.isEmbedded()
              ? warehouse.loginInRole("analyst", "bi_reader")
              : warehouse.admin();
      WarehouseFunction.Settings handler =
          new WarehouseFunction.Settings(
              writer.jdbcUrl(), writer.user(), writer.password(), key, plan.mappingFile(), null);
      try (LocalPipeline pipeline =
              new LocalPipeline(dynamo, plan.mapping(), handler, UnaryOperator.identity());
          SourceWorkload workload =
              pipeline.workload(
                  RunPlan.TRANSACTIONS_TABLE,
                  plan.seed(),
                  plan.preexisting() + plan.items(),
                  WRITER_THREADS)) {
        SourceTable table;
        Optional<PreexistingLoader.Loaded> backfill = Optional.empty();
        if (plan.preexisting() > 0) {
          table = writePreexisting(dynamo, pipeline, workload);
          backfill = Optional.of(new PreexistingLoader().load(pipeline, table, err));
        } else {
          table = pipeline.createTable(RunPlan.TRANSACTIONS_TABLE);
          pipeline.poll(table);
        }
        // The second source table: its own stream and mapping, the same handler (as in AWS).
        SourceTable profilesTable =
            pipeline.createTable(ProfileWorkload.TABLE, ProfileWorkload.PARTITION_KEY);
        pipeline.poll(profilesTable);
        RunReport report =
            new RunReport(
                out, dynamo, warehouse, reader, table, profilesTable, pipeline, started, key);
        loadAndReport(pipeline, workload, pipeline.profiles(plan.seed()), report, backfill);
        if (plan.exportSource() != null) {
          err.println(
              "exported "
                  + SourceScan.export(dynamo.dynamoDb(), table.name(), plan.exportSource())
                  + " source items to "
                  + plan.exportSource());
        }
        out.println(report.summary(elapsedMillis()));
        if (plan.serve()) {
          LocalWarehouse.Login analyst =
              warehouse.isEmbedded() ? reader : warehouse.loginInRole("analyst", "bi_reader");
          ServeLogins logins = new ServeLogins(writer, analyst, warehouse.isEmbedded());
          new ServeMode(out, err, plan.rate(), closed).serve(logins, pipeline, workload, report);
        }
      }
    } finally {
      closed.countDown();
    }
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
        plan.preexisting());
    SourceTable.createWithoutStream(dynamo.dynamoDb(), RunPlan.TRANSACTIONS_TABLE);
    workload.insert(plan.preexisting());
    SourceTable table = SourceTable.enableStream(dynamo.dynamoDb(), RunPlan.TRANSACTIONS_TABLE);
    pipeline.poll(table);
    return table;
  }

  private void loadAndReport(
      LocalPipeline pipeline,
      SourceWorkload workload,
      ProfileWorkload profiles,
      RunReport report,
      Optional<PreexistingLoader.Loaded> backfill)
      throws Exception {
    long loadStart = System.nanoTime();
    // The backfill's records are settled already; the bar counts the timed part's from zero.
    long settledBefore = pipeline.stats().recordsSettled();
    // No transactions, no users: a run of --items 0 writes no profiles either.
    List<FakePerson> people =
        plan.preexisting() + plan.items() == 0 ? List.of() : workload.people();
    int profileUpdates = Math.min(plan.profileUpdates(), people.size());
    int updated;
    int deleted;
    boolean settled;
    try (RunProgress progress =
        RunProgress.toTotal(
            plan.expectedStreamRecords() + people.size() + profileUpdates,
            () -> pipeline.stats().recordsSettled() - settledBefore,
            err)) {
      profiles.insert(people);
      workload.insert(plan.items());
      updated = workload.updateStatuses(plan.updates());
      deleted = workload.delete(plan.deletes());
      profiles.update(profileUpdates);
      settled = pipeline.awaitSettled(Duration.ofSeconds(60));
    }
    long pipelineNanos = System.nanoTime() - loadStart;
    if (!settled) {
      err.println("WARNING: the pipeline made no progress for 60 s; reporting what arrived");
    }
    report.print(
        plan.items(),
        updated,
        deleted,
        plan.seed(),
        plan.mapping(),
        pipelineNanos,
        plan.preexisting(),
        new RunReport.Profiles(people.size(), profileUpdates),
        backfill);
  }

  private LocalWarehouse openWarehouse() {
    return plan.database().map(LocalWarehouse::external).orElseGet(LocalWarehouse::embedded);
  }

  private static LocalWarehouse join(CompletableFuture<LocalWarehouse> start) {
    try {
      return start.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  static long elapsedMillis() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
