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
      case Instant i -> i.toString();
      case LocalDate d -> d.toString();
      case Boolean b -> b ? "t" : "f";
      case List<?> l -> arrayLiteral(l);
      default -> value.toString(); // BigInteger, Long
    };
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
