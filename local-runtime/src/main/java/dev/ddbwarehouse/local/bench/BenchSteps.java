package dev.ddbwarehouse.local.bench;

import dev.ddbwarehouse.lambda.TransactionStreamHandler;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import dev.ddbwarehouse.local.warehouse.WarehouseReport;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's steps, in order, each printing its figures. */
public final class BenchSteps {

  private final PrintStream out;
  private final PrintStream err;
  private final LocalWarehouse warehouse;
  private final TransactionStreamHandler handler;
  private final WarehouseFunction.Settings settings;

  public BenchSteps(PrintStream out, PrintStream err, LocalWarehouse warehouse, TransactionStreamHandler handler,
      WarehouseFunction.Settings settings) {
    this.out = out;
    this.err = err;
    this.warehouse = warehouse;
    this.handler = handler;
    this.settings = settings;
  }

  /** {@code lambdaJar}: the shaded deployment jar for the artifact's own cold start; null to skip it. */
  public void run(int records, List<Integer> batchSizes, int warmupRecords, int coldStartRuns, Path lambdaJar)
      throws Exception {
    out.printf(Locale.ROOT, "bench: %,d INSERT records per run (fake transactions), %s, Java %s, %d cores%n",
        records, warehouse.describe(), Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
    if (warmupRecords > 0) {
      err.printf("warm-up: %,d records through the handler%n", warmupRecords);
      PipelineRun.run(handler, SyntheticEvents.events(-1, warmupRecords, 1000, 1), warmupRecords);
    }
    PipelineRun.Result largest = null;
    long peakHeap = 0;
    for (int batchSize : batchSizes) {
      truncate();
      List<byte[]> events = SyntheticEvents.events(batchSize, records, batchSize, 1_000_000L);
      resetPeaks();
      err.printf("pipeline: %,d records in batches of %,d%n", records, batchSize);
      PipelineRun.Result pipeline = PipelineRun.run(handler, events, records);
      peakHeap = Math.max(peakHeap, peakHeapBytes());
      events = null; // free the event JSON before the COPY reference loads its rows
      double copySeconds;
      try (Connection admin = warehouse.adminConnection()) {
        long rows = WarehouseReport.count(admin, "SELECT count(*) FROM " + CopyReference.SOURCE);
        if (rows != records) {
          throw new IllegalStateException("expected " + records + " rows after the pipeline, found " + rows);
        }
        err.printf("copy: the same %,d rows with COPY in chunks of %,d%n", rows, batchSize);
        copySeconds = CopyReference.copySeconds(admin, batchSize);
        CopyReference.drop(admin);
      }
      double copyRate = records / copySeconds;
      out.printf(Locale.ROOT, "[batch size %,d]%n", batchSize);
      out.printf(Locale.ROOT, "pipeline_records_per_s=%.0f copy_records_per_s=%.0f ratio=%.2f%n",
          pipeline.recordsPerSecond(), copyRate, pipeline.recordsPerSecond() / copyRate);
      out.printf(Locale.ROOT, "  (pipeline %.2f s, of which %.2f s parsing event JSON; COPY %.2f s)%n",
          pipeline.seconds(), pipeline.parseSeconds(), copySeconds);
      if (largest == null || batchSize >= largest.records() / Math.max(1, pipeline.batchNanos().count())) {
        largest = pipeline;
      }
    }
    int largestBatch = largest.records() / Math.max(1, largest.batchNanos().count());
    out.printf(Locale.ROOT, "batch_latency_ms batch_size=%d p50=%.0f p99=%.0f (n=%d batches)%n", largestBatch,
        largest.batchNanos().percentile(50) / 1e6, largest.batchNanos().percentile(99) / 1e6, largest.batchNanos().count());
    out.printf(Locale.ROOT, "peak_heap_mb=%.0f (heap used during the pipeline runs, max heap %.0f MB)%n",
        peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
    if (coldStartRuns > 0) {
      coldStart(coldStartRuns, lambdaJar);
    }
  }

  private void coldStart(int runs, Path lambdaJar) throws Exception {
    Path dir = Files.createTempDirectory("bench-cold-start");
    ColdStart.Setup local = ColdStart.localRuntime();
    List<ColdStart.Setup> setups = new ArrayList<>(List.of(local));
    ColdStart.Setup jarC1 = null;
    ColdStart.Setup jarTiered = null;
    if (lambdaJar != null && Files.isRegularFile(lambdaJar)) {
      jarC1 = ColdStart.lambdaJar(lambdaJar, true, dir);
      jarTiered = ColdStart.lambdaJar(lambdaJar, false, dir);
      setups.addAll(List.of(jarC1, jarTiered));
    } else {
      err.printf("cold start: no Lambda jar at %s, measuring the local-runtime classpath only%n", lambdaJar);
    }
    err.printf("cold start: %d fresh JVMs for each of %d set-ups%n", runs, setups.size());
    Map<ColdStart.Setup, List<Long>> millis = ColdStart.measure(setups, runs, settings.environment(), dir);
    out.printf(Locale.ROOT, "cold_start_ms median=%d runs=%s (fresh JVM, -XX:TieredStopAtLevel=1, no SnapStart)%n",
        median(millis.get(local)), millis.get(local));
    if (jarC1 != null) {
      out.printf(Locale.ROOT, "cold_start_lambda_jar_ms median=%d runs=%s (%s + runtime serialiser only, -XX:TieredStopAtLevel=1, no SnapStart)%n",
          median(millis.get(jarC1)), millis.get(jarC1), lambdaJar.getFileName());
      out.printf(Locale.ROOT, "cold_start_lambda_jar_tiered_ms median=%d runs=%s (same classpath, full tiered compilation)%n",
          median(millis.get(jarTiered)), millis.get(jarTiered));
    }
  }

  private static long median(List<Long> runs) {
    List<Long> sorted = new ArrayList<>(runs);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private void truncate() {
    warehouse.execute("TRUNCATE " + CopyReference.SOURCE + ", etl.quarantine");
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peaks since the last reset: an upper bound of the heap in use. */
  private static long peakHeapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
