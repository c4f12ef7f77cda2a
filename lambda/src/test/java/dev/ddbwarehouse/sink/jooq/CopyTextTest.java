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
      String escaped = escape(value);
      byte[] expected = (escaped + "\t\\N\n").getBytes(StandardCharsets.UTF_8);
      CopyText.Encoder encoder = new CopyText.Encoder();
      encoder.row(new String[] {value, null}, TWO_FIELDS);
      assertThat(Arrays.copyOf(encoder.bytes(), encoder.size())).as(value).isEqualTo(expected);
    }
  }

  /**
   * Real values are ASCII with at most a rare other character: one escaped or non-ASCII character
   * anywhere in a value (first, last, between), after a field of plain text, encodes as Java does.
   */
  @Test
  void anAsciiValueWithOneOtherCharacterAnywhereEncodesAsJavaDoes() {
    Random random = new Random(11);
    String others = "\\\t\n\ré\u00ff\u0100東😀\ud800";
    for (int n = 0; n < 2_000; n++) {
      char[] chars = new char[1 + random.nextInt(30)];
      for (int i = 0; i < chars.length; i++) chars[i] = (char) (0x20 + random.nextInt(0x5f));
      String plain = new String(chars);
      int at = random.nextInt(chars.length + 1);
      String other = String.valueOf(others.charAt(random.nextInt(others.length())));
      String value = n % 3 == 0 ? plain : plain.substring(0, at) + other + plain.substring(at);
      String escaped = escape(value);
      byte[] expected = (escape(plain) + "\t" + escaped + "\n").getBytes(StandardCharsets.UTF_8);
      CopyText.Encoder encoder = new CopyText.Encoder();
      encoder.row(new String[] {plain, value}, TWO_FIELDS);
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

  /** COPY text's escapes, the slow and obvious way. */
  private static String escape(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }

  private static String encode(String[] row) {
    CopyText.Encoder encoder = new CopyText.Encoder();
    encoder.row(row, TWO_FIELDS);
    return new String(encoder.bytes(), 0, encoder.size(), StandardCharsets.UTF_8);
  }
}
