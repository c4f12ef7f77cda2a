package dev.ddbwarehouse.privacyscan;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.List;

/**
 * Phone numbers as libphonenumber finds them in text ({@code findNumbers}, {@link Leniency#VALID}:
 * a number valid for its region, not merely possible), national numbers read in a default region.
 *
 * <p>Only matches written as phone numbers are written count: with a {@code +}, an international
 * {@code 00} or a national trunk {@code 0}, optionally in parentheses. German numbers vary in
 * length, so a bare run of digits (an amount, a counter, a date without dashes) is often "valid"
 * for DE; such runs are left to the card detector and the known-value search.
 */
public final class PhoneDetector implements Detector {

  /** The region national numbers (no + or 00) are read in. */
  public static final String DEFAULT_REGION = "DE";

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private final String region;

  public PhoneDetector() {
    this(DEFAULT_REGION);
  }

  public PhoneDetector(String region) {
    if (!PHONES.getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException("unknown phone region " + region);
    }
    this.region = region;
  }

  @Override
  public Kind kind() {
    return Kind.PHONE;
  }

  @Override
  public List<Span> find(String text) {
    if (digits(text) < 6) return List.of();
    List<Span> spans = new ArrayList<>();
    for (PhoneNumberMatch match :
        PHONES.findNumbers(text, region, Leniency.VALID, Long.MAX_VALUE)) {
      if (writtenAsPhone(match.rawString())) {
        spans.add(new Span(match.start(), match.end()));
      }
    }
    return spans;
  }

  private static boolean writtenAsPhone(String raw) {
    String s = raw.startsWith("(") ? raw.substring(1) : raw;
    return s.startsWith("+") || s.startsWith("0");
  }

  private static int digits(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') n++;
    }
    return n;
  }
}
