package dev.ddbwarehouse.privacyscan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 host addresses. A network in CIDR notation with a shorter prefix than a host's
 * ({@code 198.51.100.0/24}, {@code 2001:db8:1::/48}) is what the pipeline's generalise-ip writes
 * and is not a finding; neither is the unspecified address {@code ::}. Scanners skip this detector
 * altogether on network columns ({@link ColumnKind#NETWORK}).
 */
public final class IpDetector implements Detector {

  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern V4 =
      Pattern.compile("(?<![\\d.])" + OCTET + "(?:\\." + OCTET + "){3}(?!\\d|\\.\\d)");
  private static final Pattern V6 =
      Pattern.compile(
          "(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
              + "(?:\\.\\d{1,3}){0,3}(?![0-9A-Za-z:])");
  private static final Pattern PREFIX = Pattern.compile("/(\\d{1,3})(?!\\d)");

  @Override
  public Kind kind() {
    return Kind.IP;
  }

  @Override
  public List<Span> find(String text) {
    List<Span> spans = new ArrayList<>();
    if (text.indexOf('.') >= 0) {
      Matcher m = V4.matcher(text);
      while (m.find()) {
        if (!isNetwork(text, m.end(), 32)) spans.add(new Span(m.start(), m.end()));
      }
    }
    if (text.indexOf(':') >= 0) {
      Matcher m = V6.matcher(text);
      while (m.find()) {
        if (isIpv6Host(m.group()) && !isNetwork(text, m.end(), 128)) {
          spans.add(new Span(m.start(), m.end()));
        }
      }
      spans.sort((a, b) -> Integer.compare(a.start(), b.start()));
    }
    return spans;
  }

  /** Followed by {@code /N} with N shorter than a host prefix: a network, not an address. */
  private static boolean isNetwork(String text, int end, int hostPrefix) {
    Matcher m = PREFIX.matcher(text).region(end, text.length());
    return m.lookingAt() && Integer.parseInt(m.group(1)) < hostPrefix;
  }

  /** RFC 4291 text form (one {@code ::} at most, an IPv4 tail allowed), not all zeros. */
  static boolean isIpv6Host(String s) {
    int compressed = s.indexOf("::");
    if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) return false;
    String head = compressed >= 0 ? s.substring(0, compressed) : s;
    String tail = compressed >= 0 ? s.substring(compressed + 2) : "";
    int[] groups = new int[1];
    boolean[] nonZero = new boolean[1];
    if (!groups(head, compressed < 0, groups, nonZero)) return false;
    if (!groups(tail, true, groups, nonZero)) return false;
    boolean sizeOk = compressed >= 0 ? groups[0] <= 7 : groups[0] == 8;
    return sizeOk && nonZero[0];
  }

  private static boolean groups(
      String part, boolean ipv4TailAllowed, int[] count, boolean[] nonZero) {
    if (part.isEmpty()) return true;
    String[] pieces = part.split(":", -1);
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (p.indexOf('.') >= 0) {
        if (!ipv4TailAllowed || i != pieces.length - 1 || !V4.matcher(p).matches()) return false;
        count[0] += 2;
        nonZero[0] |= !p.equals("0.0.0.0");
        continue;
      }
      if (p.isEmpty() || p.length() > 4) return false;
      for (int c = 0; c < p.length(); c++) {
        if (Character.digit(p.charAt(c), 16) < 0) return false;
      }
      count[0]++;
      nonZero[0] |= Integer.parseInt(p, 16) != 0;
    }
    return true;
  }
}
