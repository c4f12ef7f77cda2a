package dev.ddbwarehouse.core.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.item.DynamoValue;
import java.util.Currency;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The code readers accept exactly what the JDK's currency data and the pattern [0-9]{4} do. */
class CodeReadersTest {

  /** What {@code currency} accepted before its set: three capitals that Currency knows. */
  private static boolean knownToCurrency(String code) {
    if (!code.matches("[A-Z]{3}")) return false;
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean accepts(
      java.util.function.Function<DynamoValue, String> reader, String s) {
    try {
      assertThat(reader.apply(new DynamoValue.S(s))).isEqualTo(s);
      return true;
    } catch (PoisonRecordException e) {
      return false;
    }
  }

  @Test
  void everyThreeLetterCodeIsACurrencyExactlyWhenCurrencyKnowsIt() {
    int accepted = 0;
    for (char a = 'A'; a <= 'Z'; a++) {
      for (char b = 'A'; b <= 'Z'; b++) {
        for (char c = 'A'; c <= 'Z'; c++) {
          String code = "" + a + b + c;
          boolean ok = accepts(v -> ValueReaders.currency("currency", v), code);
          assertThat(ok).as(code).isEqualTo(knownToCurrency(code));
          if (ok) accepted++;
        }
      }
    }
    assertThat(accepted).isGreaterThan(150); // EUR, USD, ... not an empty set
    for (String other : new String[] {"eur", "EURO", "EU", "", " EUR", "E1R", "ÉUR"}) {
      assertThat(accepts(v -> ValueReaders.currency("currency", v), other)).as(other).isFalse();
    }
  }

  @Test
  void aMerchantCategoryCodeIsFourAsciiDigits() {
    Pattern fourDigits = Pattern.compile("[0-9]{4}");
    String[] cases = {
      "5411", "0000", "9999", "541", "54110", "", "54a1", " 541", "５４１１", "٥٤١١", "54.1", "-541"
    };
    for (String code : cases) {
      assertThat(accepts(v -> ValueReaders.merchantCategoryCode("mcc", v), code))
          .as(code)
          .isEqualTo(fourDigits.matcher(code).matches());
    }
    assertThatThrownBy(() -> ValueReaders.merchantCategoryCode("mcc", new DynamoValue.S("54a1")))
        .isInstanceOfSatisfying(
            PoisonRecordException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_VALUE);
              assertThat(e.getMessage()).doesNotContain("54a1").contains("mcc");
            });
  }
}
