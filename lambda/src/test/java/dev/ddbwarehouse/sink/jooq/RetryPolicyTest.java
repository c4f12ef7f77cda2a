package dev.ddbwarehouse.sink.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.TransientFailureException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final SqlFailure DEADLOCK = new SqlFailure("40P01");
  private static final SqlFailure SERIALIZATION = new SqlFailure("40001");
  private static final SqlFailure ADMIN_SHUTDOWN = new SqlFailure("57P01");
  private static final SqlFailure PERMISSION_DENIED = new SqlFailure("42501");
  private static final SQLException CAUSE = new SQLException("deadlock detected", "40P01");

  private final RetryPolicy standard = RetryPolicy.standard();

  @Test
  void retriesADeadlockThreeTimesThenGivesUpAsATransientFailure() {
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(standard.pauseAfter(attempt, DEADLOCK, CAUSE)).isPositive();
    }
    assertThatThrownBy(() -> standard.pauseAfter(4, DEADLOCK, CAUSE))
        .isInstanceOf(TransientFailureException.class)
        .hasMessage("warehouse write not committed after 4 attempts (SQLSTATE 40P01)")
        .hasCause(CAUSE);
  }

  @Test
  void retriesASerializationFailureLikeADeadlock() {
    assertThat(standard.pauseAfter(3, SERIALIZATION, CAUSE)).isPositive();
    assertThatThrownBy(() -> standard.pauseAfter(4, SERIALIZATION, CAUSE))
        .isInstanceOf(TransientFailureException.class);
  }

  @Test
  void retriesABrokenConnectionOnceWithoutPausing() {
    assertThat(standard.pauseAfter(1, ADMIN_SHUTDOWN, CAUSE)).isZero();
    assertThatThrownBy(() -> standard.pauseAfter(2, ADMIN_SHUTDOWN, CAUSE))
        .isInstanceOf(TransientFailureException.class)
        .hasMessageContaining("after 2 attempts (SQLSTATE 57P01)");
  }

  @Test
  void leavesAnyOtherFailureToLambdasRetry() {
    assertThatThrownBy(() -> standard.pauseAfter(1, PERMISSION_DENIED, CAUSE))
        .isInstanceOf(TransientFailureException.class)
        .hasMessage("warehouse write not committed after 1 attempt (SQLSTATE 42501)");
  }

  @Test
  void pausesDoubleAndStayInTheUpperHalfOfTheirWindow() {
    RetryPolicy policy =
        new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1), new SplittableRandom(7));
    long[] windows = {50, 100, 200};
    for (int retry = 1; retry <= 3; retry++) {
      LongSummaryStatistics micros = draws(policy, retry);
      long window = windows[retry - 1] * 1000;
      assertThat(micros.getMin()).as("retry %d", retry).isGreaterThanOrEqualTo(window / 2);
      assertThat(micros.getMax()).as("retry %d", retry).isLessThanOrEqualTo(window);
      assertThat(micros.getMax() - micros.getMin())
          .as("jitter spreads retry %d over its window", retry)
          .isGreaterThan(window * 4 / 10);
    }
  }

  @Test
  void neverPausesLongerThanTheCap() {
    RetryPolicy policy =
        new RetryPolicy(
            40, Duration.ofMillis(50), Duration.ofMillis(300), new SplittableRandom(11));
    for (int retry = 1; retry <= 40; retry++) {
      assertThat(draws(policy, retry).getMax()).isLessThanOrEqualTo(300_000);
    }
    assertThat(draws(policy, 40).getMin()).isGreaterThanOrEqualTo(150_000);
  }

  @Test
  void theStandardPolicyPausesAtMost350MillisecondsInAll() {
    long worst = 0;
    for (int retry = 1; retry <= 3; retry++) worst += draws(standard, retry).getMax();
    assertThat(worst).isLessThanOrEqualTo(350_000);
  }

  @Test
  void theStandardPolicyJittersDifferentlyOnEveryThread() throws InterruptedException {
    // The batch may run on a thread that never touched ThreadLocalRandom (a warm-up thread, a
    // local poller); an unseeded generator would give every thread and every JVM the same pauses.
    List<List<Duration>> perThread = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      AtomicReference<List<Duration>> pauses = new AtomicReference<>();
      Thread thread =
          new Thread(
              () -> {
                List<Duration> p = new ArrayList<>();
                for (int i = 0; i < 20; i++) p.add(standard.backoff(3));
                pauses.set(p);
              });
      thread.start();
      thread.join();
      perThread.add(pauses.get());
    }
    assertThat(perThread.get(0)).as("two threads' pauses").isNotEqualTo(perThread.get(1));
    assertThat(perThread.get(0).stream().distinct().count())
        .as("pauses within one thread")
        .isGreaterThan(10);
    assertThat(perThread.get(0))
        .allSatisfy(p -> assertThat(p).isBetween(Duration.ofMillis(100), Duration.ofMillis(200)));
  }

  private static LongSummaryStatistics draws(RetryPolicy policy, int retry) {
    LongSummaryStatistics s = new LongSummaryStatistics();
    for (int i = 0; i < 2000; i++) s.accept(policy.backoff(retry).toNanos() / 1000);
    return s;
  }
}
