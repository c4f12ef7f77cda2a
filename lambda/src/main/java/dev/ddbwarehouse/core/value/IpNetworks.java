package dev.ddbwarehouse.core.value;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Generalises an IP address to its network (IPv4 /24, IPv6 /48): coarse enough not to single out a
 * household, fine enough for fraud and geography analytics.
 */
public final class IpNetworks {

  private IpNetworks() {}

  /**
   * The four numbers of an IPv4 literal in dotted-decimal form (each 0-255, no leading zero, as
   * InetAddress reads it), or null. Every IPv4 address in every image passes here: a regex and an
   * InetAddress per value cost a tenth of the policy's time.
   */
  private static int[] dottedQuad(String s) {
    int[] quad = new int[4];
    int part = 0;
    int i = 0;
    int n = s.length();
    while (part < 4) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i++) - '0');
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) return null;
      quad[part++] = value;
      if (part < 4) {
        if (i >= n || s.charAt(i) != '.') return null;
        i++;
      }
    }
    return i == n ? quad : null;
  }

  /** The network in CIDR notation, or empty when the text is not an IP literal. */
  public static Optional<String> generalise(String text) {
    String s = text.strip();
    int zone = s.indexOf('%');
    if (zone >= 0) s = s.substring(0, zone);
    int[] quad = dottedQuad(s);
    if (quad != null) return Optional.of(quad[0] + "." + quad[1] + "." + quad[2] + ".0/24");
    // Only literals reach InetAddress: a host name there would trigger a DNS lookup.
    if (!isIpv6Literal(s)) return Optional.empty();
    byte[] bytes;
    try {
      InetAddress address = InetAddress.getByName(s);
      bytes = address.getAddress();
      if (address instanceof Inet4Address) {
        return Optional.of(
            (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24");
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    // Lower-case hex without leading zeros, as "%x" writes it (String.format costs more than the
    // parse).
    return Optional.of(
        Integer.toHexString(((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff))
            + ":"
            + Integer.toHexString(((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff))
            + ":"
            + Integer.toHexString(((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff))
            + "::/48");
  }

  /** Hex digits, colons and dots with at least one colon: the only text InetAddress may see. */
  private static boolean isIpv6Literal(String s) {
    boolean colon = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (c != '.' && !isAsciiHex(c)) {
        return false; // Character.digit would take other scripts' digits too
      }
    }
    return colon;
  }

  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
