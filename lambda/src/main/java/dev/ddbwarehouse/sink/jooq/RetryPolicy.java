package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.TransientFailureException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * When the sink tries a failed, rolled-back write again within the invocation, and after how long.
 *
 * <ul>
 *   <li>A broken connection: once, at once, on a fresh connection.
 *   <li>A deadlock (40P01) or serialization failure (40001): the other transaction usually commits
 *       within milliseconds, so up to {@code conflictRetries} more attempts, each after a pause
 *       drawn from the upper half of an exponentially growing, capped window. The jitter keeps two
 *       batches that collided from colliding again in step; the lower bound keeps a retry from
 *       starting before the winner could finish.
 *   <li>Anything else, or the attempts spent: {@link TransientFailureException}, so that Lambda
 *       retries the batch and the records wait.
 * </ul>
 */
final class RetryPolicy {

  private final int conflictRetries;
  private final Duration base;
  private final Duration cap;
  private final RandomGenerator random;

  RetryPolicy(int conflictRetries, Duration base, Duration cap, RandomGenerator random) {
    if (conflictRetries < 0 || base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("retries >= 0 and 0 <= base <= cap");
    }
    this.conflictRetries = conflictRetries;
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  /**
   * Jitter from the calling thread's {@link ThreadLocalRandom}, seeded per JVM and thread. Not
   * {@code RandomGenerator.getDefault()}: its factory loads and inspects every JDK algorithm (a
   * service lookup with reflection) on the cold start's main thread. Not the instance {@code
   * current()} returns, kept in a field: drawn from on a thread that never called {@code current()}
   * it has no seed, and every environment would pause in step.
   */
  private static final RandomGenerator JITTER = () -> ThreadLocalRandom.current().nextLong();

  /** 3 retries after 25–50, 50–100 and 100–200 ms: at most 350 ms of pauses per batch. */
  static RetryPolicy standard() {
    return new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(1000), JITTER);
  }

  /**
   * The pause before the next attempt, after attempt number {@code attempt} (from 1) failed.
   *
   * @throws TransientFailureException when this failure gets no further attempt in this invocation
   */
  Duration pauseAfter(int attempt, SqlFailure failure, Throwable cause) {
    if (failure.conflicted() && attempt <= conflictRetries) return backoff(attempt);
    if (failure.brokeConnection() && attempt == 1) return Duration.ZERO;
    throw new TransientFailureException(
        "warehouse write not committed after "
            + attempt
            + (attempt == 1 ? " attempt" : " attempts")
            + " (SQLSTATE "
            + failure.sqlState()
            + ")",
        cause);
  }

  /** Upper half of min(cap, base · 2^(retry-1)). */
  Duration backoff(int retry) {
    long window = Math.min(cap.toNanos(), base.toNanos() << Math.min(retry - 1, 30));
    long half = window / 2;
    return Duration.ofNanos(half + random.nextLong(window - half + 1));
  }
}
