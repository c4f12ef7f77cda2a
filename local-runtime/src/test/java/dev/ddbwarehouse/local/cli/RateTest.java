package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateTest {

  @Test
  void describesOneChangeInTheSingular() {
    assertThat(Rate.parse("1/s").describe()).isEqualTo("about 1 change per second");
  }

  @Test
  void describesOtherRatesInThePluralWithoutRoundingThemAway() {
    assertThat(Rate.parse("20/s").describe()).isEqualTo("about 20 changes per second");
    assertThat(Rate.parse("0.5/s").describe()).isEqualTo("about 0.5 changes per second");
    assertThat(Rate.parse("2500").describe()).isEqualTo("about 2,500 changes per second");
  }

  @Test
  void spacesWritesByTheRate() {
    assertThat(Rate.parse("20/s").intervalNanos()).isEqualTo(50_000_000L);
  }
}
