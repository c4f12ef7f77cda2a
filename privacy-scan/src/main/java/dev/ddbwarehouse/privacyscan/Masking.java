package dev.ddbwarehouse.privacyscan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blanks out what the warehouse holds by design and what would otherwise look like a pattern: a hex
 * pseudonym (64 lower-case hex characters, HMAC-SHA256) can hold a 13-digit run or a phone-shaped
 * one, a UUID digit groups, an ARN a 12-digit account id. Lengths are kept, so spans stay valid.
 */
final class Masking {

  private static final Pattern PSEUDONYM =
      Pattern.compile("(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])");
  private static final Pattern IDENTIFIERS =
      Pattern.compile(
          "(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])"
              + "|(?<![0-9A-Za-z-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z-])"
              + "|(?<![0-9A-Za-z])arn:aws[a-z-]*:[^\\s\"',}\\]]*");

  private Masking() {}

  /** Pseudonyms only: what the known-value search must not look into (a short needle in hex). */
  static String pseudonyms(String text) {
    return text.length() < 64 ? text : blank(PSEUDONYM.matcher(text), text);
  }

  /** Pseudonyms, UUIDs and ARNs: what the pattern detectors must not look into. */
  static String identifiers(String text) {
    return text.length() < 36 ? text : blank(IDENTIFIERS.matcher(text), text);
  }

  static String blank(String text, Span span) {
    return text.substring(0, span.start())
        + " ".repeat(span.end() - span.start())
        + text.substring(span.end());
  }

  private static String blank(Matcher m, String text) {
    if (!m.find()) return text;
    StringBuilder out = new StringBuilder(text);
    do {
      for (int i = m.start(); i < m.end(); i++) out.setCharAt(i, ' ');
    } while (m.find());
    return out.toString();
  }
}
