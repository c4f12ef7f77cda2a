package dev.ddbwarehouse.backfill.copy;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time between zero
 * and {@code min(cap, base * 2^n)}. Full jitter spreads the copy threads apart after a throttle,
 * instead of letting them hit the table again in step.
 *
 * @param base the ceiling of the first retry's wait
 * @param cap the ceiling no retry's wait goes beyond
 * @param maxAttempts retries of one batch before the copy gives up as throttled
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

  public Backoff {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base must be positive, was " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("backoff needs at least one attempt, was " + maxAttempts);
    }
  }

  /** 50 ms doubling up to 5 s, 12 retries: about half a minute of throttling before giving up. */
  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5), 12);
  }

  /** The wait before retry {@code attempt} (0-based), drawn with {@code random} in [0, 1). */
  public long delayNanos(int attempt, DoubleSupplier random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
    }
    double ceiling = Math.min(cap.toNanos(), base.toNanos() * Math.pow(2, Math.min(attempt, 62)));
    return (long) (random.getAsDouble() * ceiling);
  }

  public boolean exhausted(int attempt) {
    return attempt >= maxAttempts;
  }
}
