package dev.ddbwarehouse.backfill.copy;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one copy run, shared by its threads and read by the progress bar. */
public final class CopyCounters {

  final AtomicLong scanned = new AtomicLong();
  final AtomicLong written = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong unprocessedRetried = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();

  /** Items read from the source in this run. */
  public long scanned() {
    return scanned.get();
  }

  /**
   * Items the shadow table accepted in this run (an item re-sent after UnprocessedItems counts
   * once).
   */
  public long written() {
    return written.get();
  }

  /** BatchWriteItem calls, retries included. */
  public long requests() {
    return requests.get();
  }

  /** Items DynamoDB returned as UnprocessedItems and that were sent again. */
  public long unprocessedRetried() {
    return unprocessedRetried.get();
  }

  /** BatchWriteItem calls refused as throttled after the SDK's own retries, and backed off. */
  public long throttled() {
    return throttled.get();
  }
}
