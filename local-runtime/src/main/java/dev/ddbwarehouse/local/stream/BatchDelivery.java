package dev.ddbwarehouse.local.stream;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Hands one batch of one shard to the function the way Lambda's event source mapping does with
 * {@code ReportBatchItemFailures}: a named failure checkpoints the records before it and retries
 * from it; a thrown error bisects the batch (when enabled) without counting as a retry; a record
 * range that fails more than {@code maxRetries} times is reported as a {@link FailedBatch} and
 * skipped, so the shard moves on and nothing disappears unreported.
 */
public final class BatchDelivery {

  /** Waits between retries; tests pass one that does not sleep. */
  @FunctionalInterface
  public interface Backoff {
    void pause(int attempt);

    /** Doubling from 100 ms up to 5 s: Lambda also backs off between retries of a shard. */
    Backoff EXPONENTIAL =
        attempt -> {
          try {
            Thread.sleep(Math.min(5_000L, 100L << Math.min(attempt - 1, 6)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
  }

  private record Attempt(List<StreamRecordJson> records, int retries) {}

  private sealed interface Outcome {}

  private record AllDone() implements Outcome {}

  private record FailedFrom(int index) implements Outcome {}

  private record FunctionError(String reason) implements Outcome {}

  private final String streamArn;
  private final StreamBatchFunction function;
  private final PollerSettings settings;
  private final DeliveryListener listener;
  private final Backoff backoff;

  public BatchDelivery(
      String streamArn,
      StreamBatchFunction function,
      PollerSettings settings,
      DeliveryListener listener,
      Backoff backoff) {
    this.streamArn = streamArn;
    this.function = function;
    this.settings = settings;
    this.listener = listener;
    this.backoff = backoff;
  }

  /** Delivers the batch until every record is committed or reported; records of one shard. */
  public void deliver(List<StreamRecordJson> batch) {
    Deque<Attempt> work = new ArrayDeque<>();
    work.push(new Attempt(List.copyOf(batch), 0));
    while (!work.isEmpty()) {
      Attempt attempt = work.pop();
      List<StreamRecordJson> records = attempt.records();
      switch (invoke(records)) {
        case AllDone done -> listener.onCommitted(records);
        case FailedFrom failed -> {
          if (failed.index() > 0) {
            listener.onCommitted(records.subList(0, failed.index()));
          }
          List<StreamRecordJson> rest = records.subList(failed.index(), records.size());
          retryOrReport(work, rest, attempt.retries() + 1, "batchItemFailures");
        }
        case FunctionError error -> {
          if (settings.bisectOnError() && records.size() > 1) {
            int half = records.size() / 2;
            listener.onRetry(records.get(0).shardId(), "bisect after " + error.reason());
            work.push(new Attempt(records.subList(half, records.size()), attempt.retries()));
            work.push(new Attempt(records.subList(0, half), attempt.retries()));
          } else {
            retryOrReport(work, records, attempt.retries() + 1, error.reason());
          }
        }
      }
    }
  }

  private void retryOrReport(
      Deque<Attempt> work, List<StreamRecordJson> records, int retries, String reason) {
    String shardId = records.get(0).shardId();
    if (settings.maxRetries() >= 0 && retries > settings.maxRetries()) {
      listener.onExhausted(
          new FailedBatch(
              streamArn,
              shardId,
              records.get(0).sequenceNumber(),
              records.get(records.size() - 1).sequenceNumber(),
              records.size(),
              retries,
              reason));
      return;
    }
    listener.onRetry(shardId, reason);
    backoff.pause(retries);
    work.push(new Attempt(records, retries));
  }

  private Outcome invoke(List<StreamRecordJson> records) {
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome = interpret(function.invoke(new LambdaEvent(records)), records);
    } catch (RuntimeException e) {
      // The class name is enough to tell failures apart and can carry no record contents.
      outcome = new FunctionError(e.getClass().getSimpleName());
    }
    listener.onInvocation(records.size(), System.nanoTime() - start, outcome instanceof AllDone);
    return outcome;
  }

  private static Outcome interpret(StreamsEventResponse response, List<StreamRecordJson> records) {
    if (response == null
        || response.getBatchItemFailures() == null
        || response.getBatchItemFailures().isEmpty()) {
      return new AllDone();
    }
    // Lambda checkpoints at the lowest sequence number named; an identifier that names no record
    // of the batch makes the whole batch fail.
    int lowest = Integer.MAX_VALUE;
    for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
      int index = indexOf(records, failure.getItemIdentifier());
      if (index < 0) {
        return new FailedFrom(0);
      }
      lowest = Math.min(lowest, index);
    }
    return new FailedFrom(lowest);
  }

  private static int indexOf(List<StreamRecordJson> records, String sequenceNumber) {
    if (sequenceNumber == null || sequenceNumber.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
        return i;
      }
    }
    return -1;
  }
}
