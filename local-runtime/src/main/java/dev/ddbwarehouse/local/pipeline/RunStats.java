package dev.ddbwarehouse.local.pipeline;

import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.local.report.Percentiles;
import dev.ddbwarehouse.local.stream.DeliveryListener;
import dev.ddbwarehouse.local.stream.FailedBatch;
import dev.ddbwarehouse.local.stream.StreamRecordJson;
import dev.ddbwarehouse.local.synth.WriteLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a local run counts: what the handler reported per committed batch (as its observer),
 * what the poller delivered (as its listener) and the write-to-commit lag of every record.
 */
public final class RunStats implements BatchObserver, DeliveryListener {

  private final WriteLog writes;
  private final Percentiles lagNanos = new Percentiles();
  private final Percentiles invocationNanos = new Percentiles();
  private final Map<String, Integer> quarantinedByCode = new TreeMap<>();
  private final Map<String, Integer> droppedAttributes = new TreeMap<>();
  private final List<FailedBatch> failedBatches = new ArrayList<>();
  private long recordsAccepted;
  private long recordsReported;
  private long upserted;
  private long deleted;
  private long ignored;
  private long quarantined;
  private long invocations;
  private long retries;

  public RunStats(WriteLog writes) {
    this.writes = writes;
  }

  @Override
  public synchronized void onBatch(BatchReport report) {
    if (!report.committed()) {
      return; // rolled back: its records come again and are counted then
    }
    upserted += report.upserted();
    deleted += report.deleted();
    ignored += report.ignored();
    quarantined += report.quarantined();
    report.quarantinedByCode().forEach((code, n) -> quarantinedByCode.merge(code, n, Integer::sum));
    report.droppedAttributes().forEach((name, n) -> droppedAttributes.merge(name, n, Integer::sum));
  }

  @Override
  public void onCommitted(List<StreamRecordJson> records) {
    long now = System.nanoTime();
    for (StreamRecordJson record : records) {
      long written = writes.takeWrite(record.key());
      if (written >= 0) {
        lagNanos.add(now - written);
      }
    }
    synchronized (this) {
      recordsAccepted += records.size();
    }
  }

  @Override
  public synchronized void onExhausted(FailedBatch failed) {
    failedBatches.add(failed);
    recordsReported += failed.size();
  }

  @Override
  public synchronized void onInvocation(int records, long nanos, boolean fullySucceeded) {
    invocations++;
    invocationNanos.add(nanos);
  }

  @Override
  public synchronized void onRetry(String shardId, String reason) {
    retries++;
  }

  /**
   * Records the function accepted plus records reported after their retries: nothing else is left.
   */
  public synchronized long recordsSettled() {
    return recordsAccepted + recordsReported;
  }

  public synchronized long recordsAccepted() {
    return recordsAccepted;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(
        recordsAccepted,
        recordsReported,
        upserted,
        deleted,
        ignored,
        quarantined,
        invocations,
        retries,
        Map.copyOf(quarantinedByCode),
        Map.copyOf(droppedAttributes),
        List.copyOf(failedBatches),
        lagNanos.percentile(50),
        lagNanos.percentile(99),
        invocationNanos.percentile(50),
        invocationNanos.percentile(99));
  }

  /** A consistent copy of the counters, for the report. */
  public record Snapshot(
      long recordsAccepted,
      long recordsReported,
      long upserted,
      long deleted,
      long ignored,
      long quarantined,
      long invocations,
      long retries,
      Map<String, Integer> quarantinedByCode,
      Map<String, Integer> droppedAttributes,
      List<FailedBatch> failedBatches,
      long lagP50Nanos,
      long lagP99Nanos,
      long invocationP50Nanos,
      long invocationP99Nanos) {}
}
