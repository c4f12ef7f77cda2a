package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The phone-e164 normaliser: one pseudonym per number, whatever its written form. */
class PhoneE164Test {

  private static final Pseudonymiser VECTOR_KEY =
      new Pseudonymiser(
          KeyRing.parse(
              "{\"active\":\"v1\",\"keys\":{\"v1\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}",
              "test"));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0151 2345678        | DE | +491512345678",
        "+49 151 2345678     | DE | +491512345678",
        "0049 151 2345678    | DE | +491512345678",
        "(0151) 234-5678     | DE | +491512345678",
        "+49 (0)151 2345678  | DE | +491512345678",
        "+49 151 2345678     |    | +491512345678",
        "020 7946 0958       | GB | +442079460958",
        "+44 20 7946 0958    | DE | +442079460958",
      })
  void writesOneE164FormPerNumber(String raw, String region, String expected) {
    assertThat(Normaliser.PHONE_E164.apply(raw, region)).isEqualTo(expected);
  }

  @Test
  void theTestVectorOfTheReadme() {
    String e164 = Normaliser.PHONE_E164.apply("0151 2345678", "DE");
    assertThat(VECTOR_KEY.pseudonym("phone", e164))
        .isEqualTo("eb0fbb8d6ccc46567b59617f881295e00f478e903eed7c9bed6cc8caff99fcf0");
    assertThat(VECTOR_KEY.pseudonym("phone", Normaliser.PHONE_E164.apply("+49 151 2345678", "DE")))
        .isEqualTo("eb0fbb8d6ccc46567b59617f881295e00f478e903eed7c9bed6cc8caff99fcf0");
  }

  @Test
  void whatIsNoPossibleNumberKeepsThePhoneForm() {
    assertThat(Normaliser.PHONE_E164.apply("+49 1234567890123456789", "DE"))
        .as("too long for any numbering plan")
        .isEqualTo("+491234567890123456789");
    assertThat(Normaliser.PHONE_E164.apply("n/a", "DE")).as("no digits: no pseudonym").isEmpty();
    assertThat(Normaliser.PHONE_E164.apply("0151 2345678", null))
        .as("a national form without a region")
        .isEqualTo("01512345678");
  }

  @Test
  void theV1PhoneNormaliserIsUnchanged() {
    assertThat(Normaliser.PHONE.apply("0151 2345678")).isEqualTo("01512345678");
    assertThat(Normaliser.PHONE.apply("+49 151 1234 5678")).isEqualTo("+4915112345678");
  }

  @Test
  void aMappingDeclaresItWithARegion() {
    TableSpec t =
        MappingDocument.parse(
                "{\"tables\": {\"user_profiles\": {\"attributes\": {\"phone\": {\"treatment\": \"pseudonymise\","
                    + " \"column\": \"phone_pseudonym\", \"namespace\": \"phone\", \"normalise\": \"phone-e164\","
                    + " \"region\": \"DE\"}}}}}",
                "test")
            .table("user_profiles")
            .orElseThrow();
    assertThat(t.rule("phone").orElseThrow().normalise("0151 2345678")).isEqualTo("+491512345678");
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"tables\": {\"user_profiles\": {\"attributes\": {\"phone\": {\"treatment\": \"pseudonymise\","
                        + " \"column\": \"phone_pseudonym\", \"namespace\": \"phone\", \"normalise\": \"phone\","
                        + " \"region\": \"DE\"}}}}}",
                    "test"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("\"region\" applies to normalise \"phone-e164\" only");
    assertThatThrownBy(
            () ->
                MappingDocument.parse(
                    "{\"tables\": {\"user_profiles\": {\"attributes\": {\"phone\": {\"treatment\": \"pseudonymise\","
                        + " \"column\": \"phone_pseudonym\", \"namespace\": \"phone\", \"normalise\": \"phone-e164\","
                        + " \"region\": \"Germany\"}}}}}",
                    "test"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("ISO 3166-1 alpha-2");
  }
}
