package dev.ddbwarehouse.backfill.copy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Holds a client-side rate in items per second across every copy thread. Each caller reserves a
 * slot on one shared timeline and sleeps until it starts, so the rate holds however many threads
 * ask; an idle limiter lets at most {@link #BURST} worth of items through at once, so a pause in
 * the scan is not made up for by a spike against the shadow table's write capacity.
 */
public final class RateLimiter {

  /** How much idle time may be spent at once. */
  static final Duration BURST = Duration.ofMillis(100);

  /** Sleeps; tests pass one that only advances a fake clock. */
  @FunctionalInterface
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double nanosPerItem;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextFree;
  private boolean started;

  /** {@code itemsPerSecond <= 0} means no limit. */
  RateLimiter(double itemsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (Double.isNaN(itemsPerSecond)) {
      throw new IllegalArgumentException("rate must be a number of items/s");
    }
    this.nanosPerItem = itemsPerSecond > 0 ? 1e9 / itemsPerSecond : 0;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** A limiter on the system clock; a rate of 0 or less means no limit. */
  public static RateLimiter perSecond(double itemsPerSecond) {
    return new RateLimiter(
        itemsPerSecond,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /** Blocks until {@code items} may be sent. */
  public void acquire(int items) throws InterruptedException {
    if (nanosPerItem == 0) {
      return;
    }
    long wait = reserve(items);
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
  }

  /** Books the next slot and returns how long to wait for its start. */
  synchronized long reserve(int items) {
    long now = nanoTime.getAsLong();
    long earliest = now - BURST.toNanos();
    if (!started || nextFree < earliest) {
      nextFree = started ? earliest : now;
      started = true;
    }
    long start = nextFree;
    nextFree = start + Math.round(items * nanosPerItem);
    return start - now;
  }
}
