package dev.ddbwarehouse.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeakScannerTest {

  private final LeakScanner scanner =
      new LeakScanner(
          List.of(
              "Anna.Schmidt7@example.com",
              "+49 151 12345678",
              "DE89 3704 0044 0532 0130 00",
              "85.12.33.201",
              "Zofia Nowak",
              "1987-03-14",
              "2021-03-04T05:06:07.120Z",
              "SW1A 2AA"));

  @Test
  void findsAValueEmbeddedInLongerTextWhateverItsCase() {
    assertThat(scanner.containsAny("customer anna.schmidt7@EXAMPLE.com asked")).isTrue();
    assertThat(scanner.containsAny("{\"note\": \"zofia nowak\"}")).isTrue();
  }

  @Test
  void findsNormalisedFormsOfPhonesAndIbans() {
    assertThat(scanner.containsAny("4915112345678")).as("digits only").isTrue();
    assertThat(scanner.containsAny("+4915112345678")).isTrue();
    assertThat(scanner.containsAny("x DE89370400440532013000 y"))
        .as("IBAN without spaces")
        .isTrue();
  }

  @Test
  void doesNotFlagPseudonymsOrTheGeneralisedNetwork() {
    assertThat(scanner.containsAny("85.12.33.0/24")).isFalse();
    assertThat(
            scanner.containsAny("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
        .isFalse();
    assertThat(scanner.containsAny("")).isFalse();
  }

  @Test
  void findsAnExactBirthDateOrSignupTimeAsPostgresqlPrintsThem() {
    assertThat(scanner.containsAny("1987-03-14")).as("a date column as text").isTrue();
    assertThat(scanner.containsAny("2021-03-04 05:06:07.12+00"))
        .as("a timestamptz column as text in UTC")
        .isTrue();
    assertThat(scanner.containsAny("2021-03-04T05:06:07.120Z")).as("as written").isTrue();
  }

  @Test
  void doesNotFlagTheGeneralisedBirthBandOrSignupMonth() {
    assertThat(scanner.containsAny("1985")).isFalse();
    assertThat(scanner.containsAny("2021-03-01")).isFalse();
    assertThat(scanner.containsAny("2021-03-04 00:00:00+00")).isFalse();
  }

  @Test
  void findsAPostcodeWithOrWithoutItsSpace() {
    assertThat(scanner.containsAny("sw1a2aa")).isTrue();
    assertThat(scanner.containsAny("x SW1A 2AA y")).isTrue();
  }
}
