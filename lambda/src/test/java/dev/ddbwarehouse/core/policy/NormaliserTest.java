package dev.ddbwarehouse.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

  /**
   * The IBAN and PHONE forms as pseudonym format v1 first wrote them (code-point and char streams):
   * the loops that replaced them must give the same text for any input, or every pseudonym of those
   * kinds would change.
   */
  @Test
  void ibanAndPhoneFormsAreThoseOfFormatV1ForAnyText() {
    Random random = new Random(11);
    String alphabet = "de89 3704\t+()-/0123456789\u00a0\u2007\u3000\u00dfé\uD83D\uDE00x\u0660\n";
    for (int n = 0; n < 50_000; n++) {
      StringBuilder raw = new StringBuilder();
      int len = random.nextInt(30);
      for (int k = 0; k < len; k++) raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String text = raw.toString();
      assertThat(Normaliser.IBAN.apply(text)).as(text).isEqualTo(ibanV1(text));
      assertThat(Normaliser.PHONE.apply(text)).as(text).isEqualTo(phoneV1(text));
    }
  }

  private static String ibanV1(String raw) {
    StringBuilder out = new StringBuilder();
    raw.codePoints()
        .filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp))
        .forEach(out::appendCodePoint);
    return out.toString().toUpperCase(Locale.ROOT);
  }

  private static String phoneV1(String raw) {
    String s = raw.strip();
    StringBuilder out = new StringBuilder();
    if (s.startsWith("+")) out.append('+');
    s.chars().filter(c -> c >= '0' && c <= '9').forEach(c -> out.append((char) c));
    return out.toString();
  }
}
