package dev.ddbwarehouse.backfill.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5), 12);

  @Test
  void ceilingDoublesPerAttemptUpToTheCap() {
    assertThat(backoff.delayNanos(0, () -> 0.999999)).isEqualTo(49_999_950L);
    assertThat(backoff.delayNanos(3, () -> 0.5)).isEqualTo(200_000_000L);
    assertThat(backoff.delayNanos(30, () -> 0.5)).as("capped").isEqualTo(2_500_000_000L);
  }

  @Test
  void fullJitterDrawsFromZeroToTheCeiling() {
    assertThat(backoff.delayNanos(5, () -> 0.0)).isZero();
  }

  @Test
  void givesUpAfterMaxAttempts() {
    assertThat(backoff.exhausted(11)).isFalse();
    assertThat(backoff.exhausted(12)).isTrue();
  }
}
