package dev.ddbwarehouse.backfill.copy;

import dev.ddbwarehouse.backfill.table.AwsErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Copies the source into the shadow: one thread per parallel-scan segment, pages of {@code
 * pageSize} items written in BatchWriteItem chunks of 25 under one shared rate limit, the
 * checkpoint advanced after each fully written page. {@link #cancel()} (Ctrl-C) stops every thread
 * at its next chunk; the run then ends incomplete and {@code --resume} continues it.
 */
public final class ParallelCopy {

  private final DynamoDbClient dynamoDb;
  private final CopySettings settings;
  private final CheckpointFile checkpoint;
  private final CopyListener listener;
  private final RateLimiter limiter;
  private final BatchWriter writer;
  private final CopyCounters counters = new CopyCounters();
  private volatile boolean cancelled;

  public ParallelCopy(
      DynamoDbClient dynamoDb,
      CopySettings settings,
      CheckpointFile checkpoint,
      CopyListener listener) {
    if (checkpoint.segmentCount() != settings.segments()) {
      throw new IllegalArgumentException(
          "checkpoint has "
              + checkpoint.segmentCount()
              + " segments, settings "
              + settings.segments());
    }
    this.dynamoDb = dynamoDb;
    this.settings = settings;
    this.checkpoint = checkpoint;
    this.listener = listener;
    this.limiter = RateLimiter.perSecond(settings.rate());
    this.writer =
        new BatchWriter(
            dynamoDb,
            settings.shadow(),
            settings.backoff(),
            () -> ThreadLocalRandom.current().nextDouble(),
            nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)),
            counters);
  }

  public CopyCounters counters() {
    return counters;
  }

  public CheckpointFile checkpoint() {
    return checkpoint;
  }

  public void cancel() {
    cancelled = true;
  }

  /** Copies every unfinished segment; throws the first failure after all threads stopped. */
  public CopyResult run() throws InterruptedException {
    long copiedBefore = checkpoint.itemsCopied();
    long started = System.nanoTime();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            settings.segments(), Thread.ofPlatform().name("copy-segment-", 0).factory());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int segment = 0; segment < settings.segments(); segment++) {
        int s = segment;
        futures.add(
            threads.submit(
                () -> {
                  copySegment(s);
                  return null;
                }));
      }
      RuntimeException failure = null;
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          cancelled = true; // the others stop at their next chunk; their pages stay resumable
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("copy thread failed", e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException e) {
      cancelled = true;
      throw e;
    } finally {
      threads.shutdown();
    }
    return new CopyResult(
        checkpoint.itemsCopied(),
        copiedBefore,
        counters.scanned(),
        counters.written(),
        counters.requests(),
        counters.unprocessedRetried(),
        counters.throttled(),
        Duration.ofNanos(System.nanoTime() - started),
        checkpoint.complete());
  }

  private void copySegment(int segment) throws InterruptedException {
    SegmentState state = checkpoint.segment(segment);
    while (!state.done() && !cancelled) {
      ScanResponse page = scan(segment, state.lastEvaluatedKey());
      counters.scanned.addAndGet(page.count());
      List<Map<String, AttributeValue>> items = page.items();
      for (int from = 0; from < items.size(); from += BatchWriter.MAX_ITEMS) {
        if (cancelled) {
          return; // this page stays unrecorded: a resume writes it again
        }
        List<Map<String, AttributeValue>> chunk =
            items.subList(from, Math.min(items.size(), from + BatchWriter.MAX_ITEMS));
        limiter.acquire(chunk.size());
        listener.beforeWrite(chunk);
        writer.write(chunk);
      }
      state =
          checkpoint.pageWritten(
              segment, page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null, items.size());
    }
  }

  private ScanResponse scan(int segment, Map<String, AttributeValue> from) {
    try {
      return dynamoDb.scan(
          b ->
              b.tableName(settings.source())
                  .segment(segment)
                  .totalSegments(settings.segments())
                  .limit(settings.pageSize())
                  .exclusiveStartKey(from));
    } catch (AwsServiceException e) {
      throw AwsErrors.translate("Scan", settings.source(), e);
    }
  }
}
