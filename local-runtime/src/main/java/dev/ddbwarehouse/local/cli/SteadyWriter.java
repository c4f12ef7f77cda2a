package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.synth.SourceWorkload;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code --serve}'s steady load: one write every 1/rate seconds on its own thread. Stopping lets
 * the write in flight finish instead of interrupting it: an interrupted SDK call throws {@code
 * AbortedException}, and leaves a write the log counted but the stream never carries, which the
 * drain would then wait for in vain.
 */
final class SteadyWriter implements AutoCloseable {

  private final SourceWorkload workload;
  private final long intervalNanos;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile RuntimeException failure;

  SteadyWriter(SourceWorkload workload, Rate rate) {
    this.workload = workload;
    this.intervalNanos = rate.intervalNanos();
    this.thread = Thread.ofPlatform().name("serve-writer").daemon().start(this::loop);
  }

  private void loop() {
    long next = System.nanoTime();
    try {
      while (!stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        workload.oneMixedWrite();
        next += intervalNanos;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Why the writer stopped on its own, or null while it runs or after a clean stop. */
  RuntimeException failure() {
    return failure;
  }

  /** Stops after the write in flight and waits for it (a write to DynamoDB Local takes ms). */
  @Override
  public void close() throws InterruptedException {
    stop.countDown();
    thread.join(10_000);
  }
}
