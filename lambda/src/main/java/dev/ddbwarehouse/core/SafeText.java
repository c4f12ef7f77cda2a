package dev.ddbwarehouse.core;

/**
 * Makes text from a stream record safe to store and log: PostgreSQL refuses NUL in text (SQLSTATE
 * 22021), control characters forge log lines and terminal output, and an unbounded value can exceed
 * the quarantine's unique index (btree entries are limited to about 2.7 kB). Deterministic, so a
 * replayed record maps to the same quarantine entry.
 */
public final class SafeText {

  private static final String ELLIPSIS = "...";

  private SafeText() {}

  /**
   * For identifiers that are ASCII by definition (event ids, ARNs, sequence numbers, event names):
   * anything but printable ASCII becomes '?', so that {@code maxChars} also bounds the UTF-8 bytes.
   */
  public static String ascii(String text, int maxChars) {
    if (text == null) return null;
    if (text.length() <= maxChars && isPrintableAscii(text)) return text; // every real record
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
    for (int i = 0; i < text.length() && out.length() <= maxChars; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return bounded(out, text.length(), maxChars);
  }

  /**
   * For names and messages, which may be any language: control characters (C0, DEL, C1) and
   * unpaired surrogates become U+FFFD; at most {@code maxChars} UTF-16 units.
   */
  public static String text(String text, int maxChars) {
    if (text == null) return null;
    if (text.length() <= maxChars && isPrintableAscii(text)) return text;
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
    for (int i = 0; i < text.length() && out.length() <= maxChars; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return bounded(out, text.length(), maxChars);
  }

  private static boolean isPrintableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f) return false;
    }
    return true;
  }

  private static String bounded(StringBuilder out, int originalLength, int maxChars) {
    if (originalLength <= maxChars) return out.toString();
    int keep = maxChars - ELLIPSIS.length();
    // Never split a surrogate pair at the cut.
    if (keep > 0 && Character.isHighSurrogate(out.charAt(keep - 1))) keep--;
    return out.substring(0, Math.max(0, keep)) + ELLIPSIS;
  }
}
