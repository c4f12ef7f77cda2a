package dev.ddbwarehouse.privacyscan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 13–19 digits, compact or in groups separated by single spaces or dashes,
 * passing the Luhn check, starting with a major industry identifier of a card network (2–6: Visa,
 * Mastercard, Amex, Discover, JCB, UnionPay, Maestro). The first digit keeps epoch milliseconds and
 * other 13-digit counters (all starting with 1 for decades) from passing one time in ten.
 *
 * <p>A card may start or end at any group boundary of a longer run ("ref 12 4111 1111 1111 1111"),
 * but never inside a group: 25 digits without separators are an identifier, not a card. Digits
 * after a {@code +} are a phone number's.
 */
public final class CardDetector implements Detector {

  private static final Pattern RUN = Pattern.compile("(?<![\\d+-])\\d+(?:[ -]\\d+)*");

  @Override
  public Kind kind() {
    return Kind.CARD;
  }

  @Override
  public List<Span> find(String text) {
    List<Span> spans = new ArrayList<>();
    Matcher m = RUN.matcher(text);
    while (m.find()) {
      if (m.end() - m.start() >= 13) findInRun(text, m.start(), m.end(), spans);
    }
    return spans;
  }

  private static void findInRun(String text, int runStart, int runEnd, List<Span> spans) {
    List<int[]> groups = new ArrayList<>(); // {start, end} of each digit group
    int i = runStart;
    while (i < runEnd) {
      int g = i;
      while (i < runEnd && Character.isDigit(text.charAt(i))) i++;
      groups.add(new int[] {g, i});
      i++; // the separator
    }
    int first = 0;
    while (first < groups.size()) {
      int matchedLast = -1;
      int digits = 0;
      StringBuilder number = new StringBuilder(19);
      for (int last = first; last < groups.size() && digits <= 19; last++) {
        number.append(text, groups.get(last)[0], groups.get(last)[1]);
        digits = number.length();
        if (digits >= 13 && digits <= 19 && isCard(number)) matchedLast = last;
      }
      if (matchedLast >= 0) {
        spans.add(new Span(groups.get(first)[0], groups.get(matchedLast)[1]));
        first = matchedLast + 1;
      } else {
        first++;
      }
    }
  }

  private static boolean isCard(CharSequence digits) {
    char lead = digits.charAt(0);
    return lead >= '2' && lead <= '6' && luhn(digits);
  }

  static boolean luhn(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
