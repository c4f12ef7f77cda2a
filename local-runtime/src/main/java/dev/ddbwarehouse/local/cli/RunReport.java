package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.backfill.PreexistingLoader;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.pipeline.LocalPipeline;
import dev.ddbwarehouse.local.pipeline.RunStats;
import dev.ddbwarehouse.local.stream.FailedBatch;
import dev.ddbwarehouse.local.stream.PollerSettings;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import dev.ddbwarehouse.local.warehouse.WarehouseReport;
import dev.ddbwarehouse.privacyscan.ColumnFindings;
import dev.ddbwarehouse.privacyscan.KnownValues;
import dev.ddbwarehouse.privacyscan.LeakScanner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The end-of-run report of run-local.sh: counts, timings, what analysts see, the leak check. */
final class RunReport {

  /**
   * The profiles this run wrote: one per user of the transactions, and the later updates.
   *
   * @param inserted profiles written, one per fake person
   * @param updated profiles written again with a later {@code updatedAt}
   */
  record Profiles(int inserted, int updated) {}

  private final PrintStream out;
  private final DynamoDbLocal dynamo;
  private final LocalWarehouse warehouse;
  private final LocalWarehouse.Login reader;
  private final SourceTable table;
  private final RunTables tables;
  private final LocalPipeline pipeline;
  private final Instant started;

  RunReport(
      PrintStream out,
      DynamoDbLocal dynamo,
      LocalWarehouse warehouse,
      LocalWarehouse.Login reader,
      SourceTable transactions,
      SourceTable profiles,
      LocalPipeline pipeline,
      Instant started,
      Path hmacKeyFile) {
    this.out = out;
    this.dynamo = dynamo;
    this.warehouse = warehouse;
    this.reader = reader;
    this.table = transactions;
    this.tables = new RunTables(transactions, profiles, hmacKeyFile);
    this.pipeline = pipeline;
    this.started = started;
  }

  /**
   * @param preexisting items written before the stream existed: their records come from the
   *     backfill's shadow stream, outside the timed part, so the throughput leaves them out
   */
  void print(
      int inserted,
      int updated,
      int deleted,
      long seed,
      PollerSettings settings,
      long pipelineNanos,
      int preexisting,
      Profiles profiles,
      Optional<PreexistingLoader.Loaded> backfill)
      throws SQLException {
    RunStats.Snapshot s = pipeline.stats().snapshot();
    long streamRecords = pipeline.writes().writes() - preexisting;
    long profileRecords = (long) profiles.inserted() + profiles.updated();
    out.println();
    out.println("== ddb-warehouse local run ==");
    out.printf(
        "source      DynamoDB Local (in-process), table %s, stream NEW_AND_OLD_IMAGES%n",
        table.name());
    out.printf(
        "source      DynamoDB Local (in-process), table %s, stream NEW_AND_OLD_IMAGES%n",
        tables.tables().get(1).table().name());
    out.printf("warehouse   %s%n", warehouse.describe());
    out.printf(
        Locale.ROOT,
        "workload    %,d inserts, %,d status updates, %,d deletes (seed %d) -> %,d stream records%n",
        inserted,
        updated,
        deleted,
        seed,
        streamRecords - profileRecords);
    out.printf(
        Locale.ROOT,
        "profiles    %,d inserts (one per user of the transactions), %,d updates -> %,d stream records%n",
        profiles.inserted(),
        profiles.updated(),
        profileRecords);
    out.printf(
        Locale.ROOT,
        "mapping     batch size %,d, batching window %d ms, max retries %d, bisect on error%n",
        settings.batchSize(),
        settings.batchingWindow().toMillis(),
        settings.maxRetries());
    backfill.ifPresent(b -> out.println(b.reportLine()));
    out.println();
    out.printf(
        Locale.ROOT,
        "records     read %,d · committed %,d · reported after retries %,d · invocations %,d · retries %,d%n",
        s.recordsAccepted() + s.recordsReported(),
        s.recordsAccepted(),
        s.recordsReported(),
        s.invocations(),
        s.retries());
    out.printf(
        Locale.ROOT,
        "handler     upserted %,d · deleted %,d · ignored %,d · quarantined %,d%n",
        s.upserted(),
        s.deleted(),
        s.ignored(),
        s.quarantined());
    out.println("quarantined " + counts(s.quarantinedByCode()));
    out.println(
        "dropped     " + counts(s.droppedAttributes()) + " (attribute: records; never stored)");
    out.printf(
        Locale.ROOT,
        "throughput  %,.0f records/s (first write to last commit, %.1f s, writes and reads overlapping)%n",
        streamRecords / Math.max(1e-9, pipelineNanos / 1e9),
        pipelineNanos / 1e9);
    out.printf(
        Locale.ROOT,
        "lag         item write -> row committed: p50 %,d ms · p99 %,d ms%n",
        s.lagP50Nanos() / 1_000_000,
        s.lagP99Nanos() / 1_000_000);
    out.printf(
        Locale.ROOT,
        "invocation  parse + handler: p50 %,d ms · p99 %,d ms%n",
        s.invocationP50Nanos() / 1_000_000,
        s.invocationP99Nanos() / 1_000_000);
    for (FailedBatch failed : s.failedBatches()) {
      out.printf(
          "FAILED      %d records of shard %s, sequence numbers %s..%s, after %d attempts (%s)%n",
          failed.size(),
          failed.shardId(),
          failed.firstSequenceNumber(),
          failed.lastSequenceNumber(),
          failed.attempts(),
          failed.reason());
    }
    try (Connection admin = warehouse.adminConnection()) {
      out.println();
      for (RunTables.Counts c : tables.count(dynamo.dynamoDb(), admin)) {
        out.printf(
            Locale.ROOT,
            "table       %-13s %,d source items (%s) -> %,d live rows (%s)%n",
            c.entry(),
            c.sourceItems(),
            c.source(),
            c.warehouseRows(),
            c.view());
      }
    }
    try (Connection bi = warehouse.connect(reader)) {
      out.println();
      out.printf(
          Locale.ROOT,
          "bi.transactions, newest 5 of %,d rows (as %s, a bi_reader login):%n",
          WarehouseReport.liveRows(bi),
          reader.user());
      out.print(WarehouseReport.sampleRows(bi));
      out.println();
      out.println("booked volume per month and currency (bi.transactions):");
      out.print(WarehouseReport.monthlyVolume(bi));
      out.println();
      out.printf(
          Locale.ROOT,
          "booked EUR spend per birth-year band and month (bi.transactions joined to"
              + " bi.user_profiles on user_pseudonym; %,d of %,d customers have a profile, %,d"
              + " profiles):%n",
          WarehouseReport.customersWithProfile(bi),
          WarehouseReport.customers(bi),
          WarehouseReport.liveProfiles(bi));
      out.print(WarehouseReport.spendPerBirthBand(bi));
    }
    LeakScanner.Result leaks = leakCheck();
    out.println();
    out.printf(
        Locale.ROOT,
        "leak check  %,d identifying values written to DynamoDB, both tables (and their normalised forms), and e-mail, IBAN, card, phone and IP patterns searched in %,d values of %d text-like, network and temporal columns, %d tables and views, every schema: %,d found%n",
        pipeline.writes().identifyingValues().size(),
        leaks.valuesScanned(),
        leaks.columnsScanned(),
        leaks.tablesScanned(),
        leaks.leakedValues());
    for (ColumnFindings leak : leaks.columns()) {
      StringBuilder kinds = new StringBuilder();
      leak.counts()
          .forEach(
              (kind, count) ->
                  kinds
                      .append(kinds.isEmpty() ? "" : ", ")
                      .append(kind.label())
                      .append(' ')
                      .append(count));
      out.printf(
          Locale.ROOT,
          "LEAK        %s: %,d values (%s)%n",
          leak.qualifiedName(),
          leak.values(),
          kinds);
    }
  }

  /**
   * The machine-readable last line, recomputed from the source tables and the database, and about
   * this run only: a database given with --jdbc-url may hold rows of earlier runs, so the rows
   * counted are those of the items in this run's source tables, the quarantine rows those written
   * since this run started. Counts are summed over the tables; {@code tables=} comes last so that
   * parsers of the older line keep working.
   */
  String summary(long elapsedMillis) throws SQLException {
    try (Connection admin = warehouse.adminConnection()) {
      List<RunTables.Counts> counts = tables.count(dynamo.dynamoDb(), admin);
      return String.format(
          Locale.ROOT,
          "SUMMARY source_items=%d warehouse_rows=%d quarantined=%d pii_leaks=%d elapsed_ms=%d"
              + " tables=%d",
          counts.stream().mapToLong(RunTables.Counts::sourceItems).sum(),
          counts.stream().mapToLong(RunTables.Counts::warehouseRows).sum(),
          WarehouseReport.quarantineRowsSince(admin, started),
          leakCheck().leakedValues(),
          elapsedMillis,
          counts.size());
    }
  }

  private LeakScanner.Result leakCheck() throws SQLException {
    try (Connection admin = warehouse.adminConnection()) {
      return LeakScanner.of(KnownValues.of(pipeline.writes().identifyingValues())).scan(admin);
    }
  }

  private static String counts(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return "(none)";
    }
    StringBuilder line = new StringBuilder();
    counts.forEach(
        (k, v) ->
            line.append(line.isEmpty() ? "" : ", ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%,d", v)));
    return line.toString();
  }
}
