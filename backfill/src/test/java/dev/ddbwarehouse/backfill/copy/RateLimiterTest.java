package dev.ddbwarehouse.backfill.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RateLimiter limiter =
      new RateLimiter(1_000, now::get, nanos -> now.addAndGet(nanos));

  @Test
  void spacesBatchesSoTheRateHoldsExactly() throws InterruptedException {
    long start = now.get();
    for (int i = 0; i < 400; i++) {
      limiter.acquire(25);
    }
    // 10,000 items at 1,000/s: the last batch starts at 9.975 s.
    assertThat(now.get() - start).isEqualTo(9_975_000_000L);
  }

  @Test
  void anIdleLimiterAllowsOnlyAShortBurst() {
    limiter.reserve(25);
    now.addAndGet(60_000_000_000L); // a minute without copying

    long waited = 0;
    for (int i = 0; i < 8; i++) {
      waited = limiter.reserve(25);
    }
    assertThat(waited).as("100 ms of credit, then the rate applies").isEqualTo(75_000_000L);
  }

  @Test
  void zeroMeansUnlimited() throws InterruptedException {
    RateLimiter unlimited = new RateLimiter(0, now::get, nanos -> now.addAndGet(nanos));
    long start = now.get();
    for (int i = 0; i < 1000; i++) {
      unlimited.acquire(25);
    }
    assertThat(now.get()).isEqualTo(start);
  }
}
