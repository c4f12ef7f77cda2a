package dev.ddbwarehouse.core.value;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Generalises an IP address to its network (IPv4 /24, IPv6 /48): coarse enough not to single out a
 * household, fine enough for fraud and geography analytics.
 */
public final class IpNetworks {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpNetworks() {}

  /** The network in CIDR notation, or empty when the text is not an IP literal. */
  public static Optional<String> generalise(String text) {
    String s = text.strip();
    int zone = s.indexOf('%');
    if (zone >= 0) s = s.substring(0, zone);
    // Only literals reach InetAddress: a host name there would trigger a DNS lookup.
    boolean literal =
        IPV4.matcher(s).matches() || (s.contains(":") && IPV6_CHARS.matcher(s).matches());
    if (!literal) return Optional.empty();
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
    return Optional.of(
        String.format(
            "%x:%x:%x::/48",
            ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff),
            ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff),
            ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff)));
  }
}
