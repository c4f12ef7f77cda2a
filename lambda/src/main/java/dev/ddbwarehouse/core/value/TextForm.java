package dev.ddbwarehouse.core.value;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Values in the text form PostgreSQL's input functions read, independent of the session's settings:
 * instants in ISO-8601 with {@code Z} (so the session time zone never shifts them), dates as {@code
 * yyyy-MM-dd}, numbers without exponent, booleans as {@code t}/{@code f}, arrays as literals with
 * every element quoted.
 */
public final class TextForm {

  private TextForm() {}

  /** The text of a typed value as the mapper produces it: String, BigDecimal, Instant, ... */
  public static String of(Object value) {
    return switch (value) {
      case null -> null;
      case String s -> s;
      case BigDecimal d -> d.toPlainString();
      case Instant i -> instant(i);
      case LocalDate d -> d.toString();
      case Boolean b -> b ? "t" : "f";
      case List<?> l -> arrayLiteral(l);
      default -> value.toString(); // BigInteger, Long
    };
  }

  /**
   * Exactly {@link Instant#toString()} (ISO-8601, seconds always, the fraction in groups of three
   * digits, {@code Z}), without its formatter: every row carries several instants, and the
   * formatter cost more than encoding the rest of the row. Years outside 0000-9999 take the slow
   * way.
   */
  public static String instant(Instant i) {
    long seconds = i.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    if (day < -719_528 || day > 2_932_896) return i.toString(); // before 0000 or after 9999
    LocalDate date = LocalDate.ofEpochDay(day);
    int nanos = i.getNano();
    char[] out = new char[30];
    int p = 0;
    p = digits(out, p, date.getYear(), 4);
    out[p++] = '-';
    p = digits(out, p, date.getMonthValue(), 2);
    out[p++] = '-';
    p = digits(out, p, date.getDayOfMonth(), 2);
    out[p++] = 'T';
    p = digits(out, p, secondOfDay / 3600, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay / 60 % 60, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay % 60, 2);
    if (nanos != 0) {
      out[p++] = '.';
      if (nanos % 1_000_000 == 0) {
        p = digits(out, p, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        p = digits(out, p, nanos / 1_000, 6);
      } else {
        p = digits(out, p, nanos, 9);
      }
    }
    out[p++] = 'Z';
    return new String(out, 0, p);
  }

  private static int digits(char[] out, int p, int value, int width) {
    for (int k = width - 1; k >= 0; k--) {
      out[p + k] = (char) ('0' + value % 10);
      value /= 10;
    }
    return p + width;
  }

  /** A PostgreSQL array literal: every element quoted, backslash and quote escaped. */
  public static String arrayLiteral(List<?> values) {
    if (values == null) return null;
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) out.append(',');
      appendElement(out, values.get(i) == null ? null : values.get(i).toString());
    }
    return out.append('}').toString();
  }

  /** An array element: NULL unquoted, anything else quoted with backslash and quote escaped. */
  public static void appendElement(StringBuilder out, String v) {
    if (v == null) {
      out.append("NULL");
      return;
    }
    out.append('"');
    for (int j = 0; j < v.length(); j++) {
      char ch = v.charAt(j);
      if (ch == '"' || ch == '\\') out.append('\\');
      out.append(ch);
    }
    out.append('"');
  }
}
