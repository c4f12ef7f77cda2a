package dev.ddbwarehouse.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantTest {

  /** The fast path must agree with OffsetDateTime.parse wherever it answers at all. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T10:00:00Z",
        "2026-01-01T10:00:00.5Z",
        "2026-01-01T10:00:00.123456789Z",
        "2026-01-01T10:00:00+02:00",
        "2026-01-01T00:30:00-05:30",
        "2024-02-29T23:59:59+14:00",
        "1999-12-31T23:59:59.999-12:00",
      })
  void agreesWithTheGeneralParser(String text) {
    assertThat(IsoInstant.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-29T10:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T10:60:00Z",
        "2026-01-01T10:00:00",
        "2026-01-01T10:00:00.Z",
        "2026-01-01T10:00:00.1234567890Z",
        "2026-01-01T10:00:00+2:00",
        "2026-01-01 10:00:00Z",
        "2026-01-01T10:00Z",
        "2026-01-01t10:00:00z",
        "01/02/2026",
      })
  void leavesEverythingElseToTheGeneralParser(String text) {
    assertThat(IsoInstant.parse(text)).isNull();
    Instant general;
    try {
      general = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      general = null;
    }
    // Where the general parser accepts what the fast path declines (other shapes), Values falls
    // back to it, so nothing accepted before is refused now.
    if (general != null)
      assertThat(text)
          .doesNotMatch(
              "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
  }

  /**
   * Property: on strings near the fast path's shape (every field drawn around and beyond its valid
   * range), wherever the fast path answers it agrees with java.time, and it answers for no string
   * java.time refuses. Seeded, so a failure names a string that reproduces.
   */
  @Test
  void agreesWithJavaTimeOnGeneratedStrings() {
    Random random = new Random(20260101L);
    int answered = 0;
    for (int i = 0; i < 200_000; i++) {
      String text = generated(random);
      Instant fast = IsoInstant.parse(text);
      Instant general;
      try {
        general = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeException e) {
        general = null;
      }
      if (fast != null) {
        answered++;
        assertThat(fast).as(text).isEqualTo(general);
      }
    }
    assertThat(answered).as("strings the fast path answered").isGreaterThan(10_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-01T10:00:00+18:30", "2026-01-01T10:00:00-18:01"})
  void declinesOffsetsBeyondEighteenHours(String text) {
    assertThat(IsoInstant.parse(text)).isNull();
  }

  private static String generated(Random r) {
    StringBuilder b = new StringBuilder();
    b.append(pad(r.nextInt(10) == 0 ? r.nextInt(10_000) : 1960 + r.nextInt(100), 4));
    b.append(r.nextInt(50) == 0 ? '/' : '-').append(pad(r.nextInt(14), 2));
    b.append('-').append(pad(r.nextInt(33), 2));
    b.append(r.nextInt(50) == 0 ? 't' : 'T').append(pad(r.nextInt(26), 2));
    b.append(':').append(pad(r.nextInt(62), 2)).append(':').append(pad(r.nextInt(62), 2));
    if (r.nextBoolean()) {
      b.append('.');
      int digits = r.nextInt(11);
      for (int k = 0; k < digits; k++) b.append((char) ('0' + r.nextInt(10)));
    }
    switch (r.nextInt(6)) {
      case 0 -> b.append('Z');
      case 1 -> b.append(r.nextBoolean() ? "z" : "");
      default -> {
        b.append(r.nextBoolean() ? '+' : '-');
        b.append(pad(r.nextInt(20), 2)).append(':').append(pad(r.nextInt(61), 2));
        if (r.nextInt(20) == 0) b.append(":00");
      }
    }
    return b.toString();
  }

  private static String pad(int value, int width) {
    String digits = Integer.toString(value);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }
}
