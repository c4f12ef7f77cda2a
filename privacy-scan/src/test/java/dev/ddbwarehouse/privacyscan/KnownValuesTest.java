package dev.ddbwarehouse.privacyscan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownValuesTest {

  private final KnownValues known =
      KnownValues.of(
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
    assertThat(known.containsAny("customer anna.schmidt7@EXAMPLE.com asked")).isTrue();
    assertThat(known.containsAny("{\"note\": \"zofia nowak\"}")).isTrue();
  }

  @Test
  void findsNormalisedFormsOfPhonesAndIbans() {
    assertThat(known.containsAny("4915112345678")).as("digits only").isTrue();
    assertThat(known.containsAny("+4915112345678")).isTrue();
    assertThat(known.containsAny("x DE89370400440532013000 y")).as("IBAN without spaces").isTrue();
  }

  @Test
  void findsTheFormsACallerAdds() {
    KnownValues withForms =
        KnownValues.builder().add("CANARY-USER-7f3a9", List.of("CANARYUSER7F3A9")).build();
    assertThat(withForms.containsAny("x canaryuser7f3a9 y")).isTrue();
    assertThat(withForms.values()).isEqualTo(1);
  }

  @Test
  void doesNotFlagPseudonymsOrTheGeneralisedNetwork() {
    assertThat(known.containsAny("85.12.33.0/24")).isFalse();
    assertThat(
            known.containsAny("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
        .isFalse();
    assertThat(known.containsAny("")).isFalse();
  }

  @Test
  void aShortValueInsideAPseudonymIsNoFinding() {
    TextScanner scanner = new TextScanner(KnownValues.of(List.of("a08f")));
    String pseudonym = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f0a08f";
    assertThat(KnownValues.of(List.of("a08f")).containsAny(pseudonym)).isTrue();
    assertThat(scanner.scan(pseudonym)).isEmpty();
    assertThat(scanner.scan("ref A08F")).containsExactly(Kind.KNOWN_VALUE);
  }

  @Test
  void findsAnExactBirthDateOrSignupTimeAsPostgresqlPrintsThem() {
    assertThat(known.containsAny("1987-03-14")).as("a date column as text").isTrue();
    assertThat(known.containsAny("2021-03-04 05:06:07.12+00"))
        .as("a timestamptz column as text in UTC")
        .isTrue();
    assertThat(known.containsAny("2021-03-04T05:06:07.120Z")).as("as written").isTrue();
  }

  @Test
  void doesNotFlagTheGeneralisedBirthBandOrSignupMonth() {
    assertThat(known.containsAny("1985")).isFalse();
    assertThat(known.containsAny("2021-03-01")).isFalse();
    assertThat(known.containsAny("2021-03-04 00:00:00+00")).isFalse();
  }

  @Test
  void findsAPostcodeWithOrWithoutItsSpace() {
    assertThat(known.containsAny("sw1a2aa")).isTrue();
    assertThat(known.containsAny("x SW1A 2AA y")).isTrue();
  }

  @Test
  void dropsFormsTooShortToMean() {
    assertThat(KnownValues.of(List.of("EUR", " ab ")).isEmpty()).isTrue();
  }
}
