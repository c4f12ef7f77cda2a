package dev.ddbwarehouse.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WellFormedTextTest {

  @Test
  void wellFormedIsExactlyTextThatSurvivesUtf8Unchanged() {
    String[] cases = {
      "",
      "plain",
      "Grüße",
      "\uD83D\uDE00",
      "a\uD83D\uDE00b",
      "\uD83D",
      "\uDE00",
      "x\uDE00\uD83D",
      "\uD83D\uDE00\uD83D",
      "\uD7FF\uE000",
      "\uFFFF"
    };
    for (String text : cases) assertThat(ValueReaders.isWellFormed(text)).isEqualTo(survives(text));
    // Random UTF-16 units, dense in surrogates and their neighbours.
    Random random = new Random(7);
    char[] units = {'a', 'é', '\uD7FF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000'};
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(6); i >= 0; i--) b.append(units[random.nextInt(units.length)]);
      String text = b.toString();
      assertThat(ValueReaders.isWellFormed(text)).as("case %d", n).isEqualTo(survives(text));
    }
  }

  private static boolean survives(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
  }
}
