package dev.ddbwarehouse.local.stream;

import java.util.List;

/** Told what became of every record an event source mapping read; called on the polling thread. */
public interface DeliveryListener {

  /** The function accepted these records (a record it quarantined counts as accepted). */
  void onCommitted(List<StreamRecordJson> records);

  /** These records will not be retried again; they are reported, not dropped silently. */
  void onExhausted(FailedBatch failed);

  /** One invocation, successful or not; {@code nanos} covers event parsing and the function. */
  default void onInvocation(int records, long nanos, boolean fullySucceeded) {}

  /** A delivery will be retried; the reason names a failure kind, never record contents. */
  default void onRetry(String shardId, String reason) {}

  DeliveryListener NONE =
      new DeliveryListener() {
        @Override
        public void onCommitted(List<StreamRecordJson> records) {}

        @Override
        public void onExhausted(FailedBatch failed) {}
      };

  /** Tells {@code first}, then {@code second}, of everything. */
  static DeliveryListener both(DeliveryListener first, DeliveryListener second) {
    return new DeliveryListener() {
      @Override
      public void onCommitted(List<StreamRecordJson> records) {
        first.onCommitted(records);
        second.onCommitted(records);
      }

      @Override
      public void onExhausted(FailedBatch failed) {
        first.onExhausted(failed);
        second.onExhausted(failed);
      }

      @Override
      public void onInvocation(int records, long nanos, boolean fullySucceeded) {
        first.onInvocation(records, nanos, fullySucceeded);
        second.onInvocation(records, nanos, fullySucceeded);
      }

      @Override
      public void onRetry(String shardId, String reason) {
        first.onRetry(shardId, reason);
        second.onRetry(shardId, reason);
      }
    };
  }
}
