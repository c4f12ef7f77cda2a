package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormaliserTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "IBAN  | de89 3704 0044 0532 0130 00    | DE89370400440532013000",
        "IBAN  | 'DE89\t3704 0044\u00a00532013000' | DE89370400440532013000",
        "EMAIL | '  Alice@Example.COM '          | alice@example.com",
        "PHONE | +49 (151) 1234-5678             | +4915112345678",
        "PHONE | 0151 / 1234 5678                | 015112345678",
        "PHONE | ' +1-202-555-0100 '             | +12025550100",
        "TRIM  | '  user-123 '                   | user-123",
      })
  void canonicalisesBeforeHashing(Normaliser normaliser, String raw, String expected) {
    assertThat(normaliser.apply(raw)).isEqualTo(expected);
  }
}
