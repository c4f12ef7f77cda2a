package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code --rate N/s}: how many changes per second {@code --serve} writes, 0 < N <= 10,000. */
record Rate(double perSecond) {

  static final double MAX = 10_000;

  /** Plain decimals only: no exponents, hex floats, NaN or Infinity sneak in. */
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

  Rate {
    if (!(perSecond > 0 && perSecond <= MAX)) {
      throw new IllegalArgumentException("rate must be 0 < N <= " + MAX + ", was " + perSecond);
    }
  }

  /** "20/s", "20" or "0.5/s". */
  static Rate parse(String text) {
    String number = text.strip();
    if (number.endsWith("/s")) {
      number = number.substring(0, number.length() - 2).strip();
    }
    double value = NUMBER.matcher(number).matches() ? Double.parseDouble(number) : Double.NaN;
    if (!(value > 0 && value <= MAX)) {
      throw CliFailure.usage(
          "--rate must be changes per second, more than 0 and at most 10000 (e.g. 20/s or 0.5/s),"
              + " was \""
              + text
              + "\"");
    }
    return new Rate(value);
  }

  long intervalNanos() {
    return Math.round(1e9 / perSecond);
  }

  /** "about 20 changes per second", "about 1 change per second", "about 0.5 changes per second". */
  String describe() {
    String n =
        new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT))
            .format(perSecond);
    return "about " + n + (n.equals("1") ? " change" : " changes") + " per second";
  }
}
