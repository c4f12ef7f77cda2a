package dev.ddbwarehouse.local.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.report.Percentiles;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import dev.ddbwarehouse.local.warehouse.WarehouseReport;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
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
import software.amazon.awssdk.services.dynamodb.model.OperationType;

/** The benchmark's steps, in order, each printing its figures. */
public final class BenchSteps {

  private final PrintStream out;
  private final PrintStream err;
  private final LocalWarehouse warehouse;
  private final StreamHandler handler;
  private final WarehouseFunction.Settings settings;
  private long peakHeap;

  public BenchSteps(
      PrintStream out,
      PrintStream err,
      LocalWarehouse warehouse,
      StreamHandler handler,
      WarehouseFunction.Settings settings) {
    this.out = out;
    this.err = err;
    this.warehouse = warehouse;
    this.handler = handler;
    this.settings = settings;
  }

  /**
   * {@code lambdaJar}: the shaded deployment jar for the artifact's own cold start; null to skip
   * it.
   */
  public void run(
      int records,
      List<Integer> batchSizes,
      int rounds,
      boolean modify,
      int warmupRecords,
      int coldStartRuns,
      Path lambdaJar)
      throws Exception {
    if (rounds < 1)
      throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
    out.printf(
        Locale.ROOT,
        "bench: %,d %s records per run (fake transactions), %s, Java %s, %d cores%n",
        records,
        modify ? "INSERT, then MODIFY," : "INSERT",
        warehouse.describe(),
        Runtime.version().feature(),
        Runtime.getRuntime().availableProcessors());
    err.printf("jit: %s%n", jit());
    err.printf("gc: %s%n", gc());
    if (warmupRecords > 0) {
      err.printf("warm-up: %,d records through the handler%n", warmupRecords);
      PipelineRun.run(handler, SyntheticEvents.events(-1, warmupRecords, 1000, 1), warmupRecords);
    }
    Percentiles largestBatches = null;
    int largestBatch = 0;
    for (int batchSize : batchSizes) {
      Percentiles batches = measure(records, batchSize, rounds, OperationType.INSERT);
      if (batchSize >= largestBatch) {
        largestBatch = batchSize;
        largestBatches = batches;
      }
      if (modify) measure(records, batchSize, rounds, OperationType.MODIFY);
    }
    out.printf(
        Locale.ROOT,
        "batch_latency_ms batch_size=%d p50=%.0f p99=%.0f (n=%d batches)%n",
        largestBatch,
        largestBatches.percentile(50) / 1e6,
        largestBatches.percentile(99) / 1e6,
        largestBatches.count());
    out.printf(
        Locale.ROOT,
        "peak_heap_mb=%.0f (heap used during the pipeline runs, max heap %.0f MB)%n",
        peakHeap / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0);
    if (coldStartRuns > 0) {
      // A cold start is a fresh environment, not the pinned pipeline: its JVMs get every core (a
      // child inherits the bench's affinity, and one core made each start half a second slower).
      CorePinning.unpin();
      coldStart(coldStartRuns, lambdaJar);
    }
  }

  /**
   * Rounds of one batch size and event kind; prints each round and the medians, returns the batch
   * latencies.
   */
  private Percentiles measure(int records, int batchSize, int rounds, OperationType kind)
      throws Exception {
    // Each round is a pipeline run and, right after it, the COPY of its rows: a burst of load
    // from elsewhere on the machine then hits one pair, and the medians of the pairs hold.
    List<double[]> pairs = new ArrayList<>();
    List<Double> cpuMicros = new ArrayList<>();
    Percentiles batches = new Percentiles();
    for (int round = 1; round <= rounds; round++) {
      truncate();
      List<byte[]> events =
          SyntheticEvents.events(batchSize + round, records, batchSize, 1_000_000L, kind);
      // The events are the invocations' payloads, which Lambda holds outside the function's heap.
      // Collected now, they leave the young generation before the measured run; otherwise its
      // young collections copied the bench's own ~80 MB of input (events of 1,000 records are
      // not humongous, those of 10,000 are), and counted that as the pipeline's CPU.
      System.gc();
      resetPeaks();
      awaitCompilerIdle();
      JvmShares before = JvmShares.now();
      err.printf(
          "pipeline: %,d %s records in batches of %,d (round %d of %d)%n",
          records, kind, batchSize, round, rounds);
      PipelineRun.Result pipeline = PipelineRun.run(handler, events, records);
      JvmShares after = JvmShares.now();
      cpuMicros.add((after.processCpuNanos() - before.processCpuNanos()) / 1e3 / records);
      // Where the JVM's CPU went, to read jvm_cpu_us_per_record by (progress, not a result line).
      err.printf(
          Locale.ROOT,
          "  jvm: %.1f µs CPU per record, %.1f of it the handler's thread; JIT %d ms, GC %d ms%n",
          (after.processCpuNanos() - before.processCpuNanos()) / 1e3 / records,
          (after.handlerThreadNanos() - before.handlerThreadNanos()) / 1e3 / records,
          after.jitMillis() - before.jitMillis(),
          after.gcMillis() - before.gcMillis());
      peakHeap = Math.max(peakHeap, peakHeapBytes());
      events = null; // free the event JSON before the COPY reference loads its rows
      double copySeconds = copyReference(records, batchSize);
      pairs.add(new double[] {pipeline.recordsPerSecond(), records / copySeconds});
      pipeline.batchNanos().forEach(batches::add);
      out.printf(
          Locale.ROOT,
          "  round %d: pipeline %.2f s = %.0f records/s; COPY %.2f s = %.0f records/s; ratio %.2f%n",
          round,
          pipeline.seconds(),
          pipeline.recordsPerSecond(),
          copySeconds,
          records / copySeconds,
          pipeline.recordsPerSecond() * copySeconds / records);
    }
    double pipelineRate = median(pairs.stream().map(p -> p[0]).toList());
    double copyRate = median(pairs.stream().map(p -> p[1]).toList());
    double ratio = median(pairs.stream().map(p -> p[0] / p[1]).toList());
    String what = kind == OperationType.INSERT ? "" : ", " + kind + " records (guarded merge)";
    out.printf(Locale.ROOT, "[batch size %,d%s, medians of %d rounds]%n", batchSize, what, rounds);
    out.printf(
        Locale.ROOT,
        "pipeline_records_per_s=%.0f copy_records_per_s=%.0f ratio=%.2f%n",
        pipelineRate,
        copyRate,
        ratio);
    // The JVM's own CPU during the pipeline runs only (PostgreSQL runs in its own processes): the
    // parse, mapping, pseudonyms, encoding, send, GC and JIT of each record.
    out.printf(Locale.ROOT, "jvm_cpu_us_per_record=%.1f%n", median(cpuMicros));
    return batches;
  }

  /** Seconds a raw COPY of the rows the pipeline left takes, in chunks of the batch size. */
  private double copyReference(int records, int batchSize) throws Exception {
    try (Connection admin = warehouse.adminConnection()) {
      long rows = WarehouseReport.count(admin, "SELECT count(*) FROM " + CopyReference.SOURCE);
      if (rows != records) {
        throw new IllegalStateException(
            "expected " + records + " rows after the pipeline, found " + rows);
      }
      err.printf("copy: the same %,d rows with COPY in chunks of %,d%n", rows, batchSize);
      double seconds = CopyReference.copySeconds(admin, batchSize);
      CopyReference.drop(admin);
      return seconds;
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
      err.printf(
          "cold start: no Lambda jar at %s, measuring the local-runtime classpath only%n",
          lambdaJar);
    }
    err.printf("cold start: %d fresh JVMs for each of %d set-ups%n", runs, setups.size());
    Map<ColdStart.Setup, List<Long>> millis =
        ColdStart.measure(setups, runs, settings.environment(), dir);
    out.printf(
        Locale.ROOT,
        "cold_start_ms median=%d runs=%s (fresh JVM, -XX:TieredStopAtLevel=1, serial GC, no SnapStart)%n",
        median(millis.get(local)),
        millis.get(local));
    if (jarC1 != null) {
      out.printf(
          Locale.ROOT,
          "cold_start_lambda_jar_ms median=%d runs=%s (%s only, as a stream handler, -XX:TieredStopAtLevel=1, serial GC, no SnapStart)%n",
          median(millis.get(jarC1)),
          millis.get(jarC1),
          lambdaJar.getFileName());
      out.printf(
          Locale.ROOT,
          "cold_start_lambda_jar_tiered_ms median=%d runs=%s (same classpath, full tiered compilation)%n",
          median(millis.get(jarTiered)),
          millis.get(jarTiered));
    }
  }

  /** The middle value (the upper of the two middle ones for an even count). */
  private static <T extends Comparable<? super T>> T median(List<T> values) {
    List<T> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private void truncate() {
    warehouse.execute("TRUNCATE " + CopyReference.SOURCE + ", etl.quarantine");
  }

  /**
   * How this JVM compiles, which moves every per-record figure: Lambda's java21 runtime stops at C1
   * unless JAVA_TOOL_OPTIONS say otherwise (the template's default says level 4).
   */
  private static String jit() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (vm == null) return "unknown (not a HotSpot JVM)";
    if (!Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())) {
      return "C2 only (-XX:-TieredCompilation)";
    }
    int stop = Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue());
    return stop >= 4
        ? "C1, then C2 (full tiered compilation), as the stream function's default JavaToolOptions"
        : "C1 only (-XX:TieredStopAtLevel="
            + stop
            + "), as Lambda's java21 runtime without JavaToolOptions";
  }

  /** The collectors of this JVM, by their beans' names ("Copy, MarkSweepCompact": serial). */
  private static String gc() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(collector.getName());
    }
    boolean serial = names.contains("Copy") && names.contains("MarkSweepCompact");
    return String.join(", ", names)
        + (serial ? " (serial, as Lambda's Java runtimes)" : " (not Lambda's serial collector)");
  }

  /**
   * Waits, at most 10 s, until the JIT has finished no compilation for 300 ms. Generating a round's
   * events (formatters, patterns, normalisers) queues compilations that otherwise ran on into the
   * measured pipeline run, on the pinned core, and counted as its CPU (JIT threads were about 5 µs
   * per record of it). The pipeline's own compilations still count.
   */
  private static void awaitCompilerIdle() throws InterruptedException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
    long deadline = System.nanoTime() + 10_000_000_000L;
    long last = jit.getTotalCompilationTime();
    for (int quiet = 0; quiet < 3 && System.nanoTime() < deadline; ) {
      Thread.sleep(100);
      long now = jit.getTotalCompilationTime();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
  }

  /** The JVM's counters at one moment: the process's CPU, this thread's, JIT and GC time. */
  private record JvmShares(
      long processCpuNanos, long handlerThreadNanos, long jitMillis, long gcMillis) {
    static JvmShares now() {
      long gc = 0;
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        gc += Math.max(0, collector.getCollectionTime());
      }
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      return new JvmShares(
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime(),
          ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(),
          jit != null && jit.isCompilationTimeMonitoringSupported()
              ? jit.getTotalCompilationTime()
              : 0,
          gc);
    }
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
