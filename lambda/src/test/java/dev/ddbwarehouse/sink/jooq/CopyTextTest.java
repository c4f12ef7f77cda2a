package dev.ddbwarehouse.sink.jooq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CopyTextTest {

  private static final List<Function<String[], String>> TWO_FIELDS = List.of(r -> r[0], r -> r[1]);

  @Test
  void encodesCopyTextFormatStraightToUtf8() {
    assertThat(encode(new String[] {"plain", null})).isEqualTo("plain\t\\N\n");
    assertThat(encode(new String[] {"a\\b\tc\nd\re", "Zoë 東京 😀"}))
        .isEqualTo("a\\\\b\\tc\\nd\\re\tZoë 東京 😀\n");
  }

  /** Whatever the text, the bytes are those of its escaped form as Java encodes it. */
  @Test
  void agreesWithJavasOwnUtf8EncodingForAnyText() {
    Random random = new Random(7);
    for (int n = 0; n < 5_000; n++) {
      char[] chars = new char[random.nextInt(40)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] =
            switch (random.nextInt(6)) {
              case 0 -> (char) random.nextInt(0x80);
              case 1 -> (char) (0x80 + random.nextInt(0x780));
              case 2 -> (char) (0xD800 + random.nextInt(0x800)); // surrogates, paired or not
              case 3 -> "\\\t\n\r".charAt(random.nextInt(4));
              default -> (char) random.nextInt(0x10000);
            };
      }
      String value = new String(chars);
      String escaped =
          value
              .replace("\\", "\\\\")
              .replace("\t", "\\t")
              .replace("\n", "\\n")
              .replace("\r", "\\r");
      byte[] expected = (escaped + "\t\\N\n").getBytes(StandardCharsets.UTF_8);
      CopyText.Encoder encoder = new CopyText.Encoder();
      encoder.row(new String[] {value, null}, TWO_FIELDS);
      assertThat(Arrays.copyOf(encoder.bytes(), encoder.size())).as(value).isEqualTo(expected);
    }
  }

  @Test
  void growsForARowLongerThanAChunk() {
    String large = "x".repeat(3 * CopyText.CHUNK_BYTES);
    CopyText.Encoder encoder = new CopyText.Encoder();
    encoder.row(new String[] {large, "y"}, TWO_FIELDS);
    assertThat(encoder.size()).isEqualTo(large.length() + 3);
  }

  private static String encode(String[] row) {
    CopyText.Encoder encoder = new CopyText.Encoder();
    encoder.row(row, TWO_FIELDS);
    return new String(encoder.bytes(), 0, encoder.size(), StandardCharsets.UTF_8);
  }
}
