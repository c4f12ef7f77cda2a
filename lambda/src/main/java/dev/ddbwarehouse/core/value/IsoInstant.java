package dev.ddbwarehouse.core.value;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A fast path for the one timestamp shape nearly every item carries, {@code
 * yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}: {@code OffsetDateTime.parse} took a tenth of the
 * pipeline's CPU for two timestamps per record. Anything else returns null and goes to the general
 * ISO-8601 parser, so what is accepted does not change.
 */
final class IsoInstant {

  private IsoInstant() {}

  /** The instant, or null when the text is not in the fast-path shape or not a valid time. */
  static Instant parse(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
      int count = i - start;
      if (count < 1 || count > 9) return null;
      nanos = digits(s, start, count);
      for (int k = count; k < 9; k++) nanos *= 10;
    }
    if (i >= n) return null;
    int offsetSeconds;
    char sign = s.charAt(i);
    if (sign == 'Z' && i == n - 1) {
      offsetSeconds = 0;
    } else if ((sign == '+' || sign == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      // java.time's bound is the total, ±18:00; +18:30 has valid fields but is no offset.
      if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) return null;
      offsetSeconds = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) return null;
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 if any is not one. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
