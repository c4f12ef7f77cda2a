package dev.ddbwarehouse.core.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
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
}
