package dev.ddbwarehouse.privacyscan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iban4j.CountryCode;
import org.iban4j.IbanUtil;

/**
 * IBANs, compact or printed in groups of four, in either case: a country code and two check digits,
 * then exactly the country's length (iban4j), then a valid BBAN structure and mod-97 checksum. The
 * checksum is what keeps "two letters and digits" from being a finding.
 */
public final class IbanDetector implements Detector {

  private static final Pattern START = Pattern.compile("(?<![A-Za-z0-9])([A-Za-z]{2})\\d{2}");

  @Override
  public Kind kind() {
    return Kind.IBAN;
  }

  @Override
  public List<Span> find(String text) {
    List<Span> spans = new ArrayList<>();
    Matcher m = START.matcher(text);
    int from = 0;
    while (from < text.length() && m.find(from)) {
      int end = ibanEnd(text, m.start(), m.group(1).toUpperCase(Locale.ROOT));
      if (end > 0) {
        spans.add(new Span(m.start(), end));
        from = end;
      } else {
        from = m.start() + 1;
      }
    }
    return spans;
  }

  /** The end of a valid IBAN starting at {@code start}, or -1. */
  private static int ibanEnd(String text, int start, String country) {
    CountryCode code = CountryCode.getByCode(country);
    if (code == null || !IbanUtil.isSupportedCountry(code)) return -1;
    int length = IbanUtil.getIbanLength(code);
    StringBuilder compact = new StringBuilder(length);
    int i = start;
    while (i < text.length() && compact.length() < length) {
      char c = text.charAt(i);
      if (isAsciiAlnum(c)) {
        compact.append(c);
      } else if (c != ' ' || compact.length() == 0 || i + 1 >= text.length()) {
        return -1;
      } else if (!isAsciiAlnum(text.charAt(i + 1))) {
        return -1; // one space between groups, no more
      }
      i++;
    }
    if (compact.length() < length) return -1;
    if (i < text.length() && isAsciiAlnum(text.charAt(i))) return -1;
    return IbanUtil.isValid(compact.toString().toUpperCase(Locale.ROOT)) ? i : -1;
  }

  static boolean isAsciiAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
