package dev.ddbwarehouse.backfill.copy;

import java.time.Duration;
import java.util.Locale;

/**
 * The exact counts of a copy run.
 *
 * @param copied items in the shadow table according to the checkpoint, each counted once, earlier
 *     runs included
 * @param copiedBefore of those, items an earlier run had already copied
 * @param written items the shadow table accepted in this run, including items of an interrupted
 *     page written again on resume
 * @param complete every segment was scanned to its end
 */
public record CopyResult(
    long copied,
    long copiedBefore,
    long scanned,
    long written,
    long requests,
    long unprocessedRetried,
    long throttled,
    Duration elapsed,
    boolean complete) {

  public double itemsPerSecond() {
    double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
    return written / seconds;
  }

  /** The machine-readable last line of {@code copy}. */
  public String summaryLine() {
    return String.format(
        Locale.ROOT,
        "COPY complete=%s copied=%d copied_before=%d scanned=%d written=%d requests=%d unprocessed_retried=%d"
            + " throttled=%d elapsed_ms=%d items_per_s=%.0f",
        complete,
        copied,
        copiedBefore,
        scanned,
        written,
        requests,
        unprocessedRetried,
        throttled,
        elapsed.toMillis(),
        itemsPerSecond());
  }
}
