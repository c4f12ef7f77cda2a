package dev.ddbwarehouse.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IpNetworksTest {

  /** The reading IPv4 literals had before their hand parse: a strict regex, then InetAddress. */
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  @Test
  void readsEveryDottedQuadAsTheStrictPatternAndInetAddressDid() throws Exception {
    Random random = new Random(3);
    String alphabet = "0123456789.....12525-x";
    for (int n = 0; n < 200_000; n++) {
      StringBuilder s = new StringBuilder();
      if (n % 2 == 0) {
        for (int k = 0; k < 4; k++) {
          if (k > 0) s.append('.');
          int v = random.nextInt(300);
          s.append(random.nextInt(10) == 0 ? "0" + v : Integer.toString(v));
        }
      } else {
        int len = random.nextInt(18);
        for (int k = 0; k < len; k++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = s.toString();
      Optional<String> expected = Optional.empty();
      if (IPV4.matcher(text).matches()) {
        byte[] b = InetAddress.getByName(text).getAddress();
        expected = Optional.of((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24");
      }
      assertThat(IpNetworks.generalise(text)).as(text).isEqualTo(expected);
    }
  }

  @Test
  void generalisesBothFamilies() {
    assertThat(IpNetworks.generalise(" 192.168.17.42 ")).contains("192.168.17.0/24");
    assertThat(IpNetworks.generalise("2001:db8:85a3::8a2e:370:7334"))
        .contains("2001:db8:85a3::/48");
    assertThat(IpNetworks.generalise("example.com")).isEmpty();
    assertThat(IpNetworks.generalise("1.2.3")).isEmpty();
  }

  /**
   * IPv6 as it was read before the hand check and formatting: a character pattern, InetAddress,
   * then "%x" formatting. Random texts of hex digits, colons, dots and look-alikes.
   */
  @Test
  void readsEveryIpv6TextAsThePatternInetAddressAndFormatDid() throws Exception {
    Pattern chars = Pattern.compile("[0-9A-Fa-f:.]+");
    Random random = new Random(5);
    String alphabet = "0123456789abcdefABCDEF::::...g\uff11\u0661%";
    int compared = 0;
    for (int n = 0; n < 100_000; n++) {
      StringBuilder s = new StringBuilder();
      int len = 2 + random.nextInt(24);
      for (int k = 0; k < len; k++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String text = s.toString();
      String literal = text.indexOf('%') >= 0 ? text.substring(0, text.indexOf('%')) : text;
      if (!literal.contains(":")) continue; // the IPv4 test above covers the rest
      Optional<String> expected = Optional.empty();
      if (chars.matcher(literal).matches()) {
        try {
          byte[] b = InetAddress.getByName(literal).getAddress();
          expected =
              Optional.of(
                  b.length == 4
                      ? (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24"
                      : String.format(
                          "%x:%x:%x::/48",
                          ((b[0] & 0xff) << 8) | (b[1] & 0xff),
                          ((b[2] & 0xff) << 8) | (b[3] & 0xff),
                          ((b[4] & 0xff) << 8) | (b[5] & 0xff)));
          compared++;
        } catch (UnknownHostException e) {
          // not an address: empty, as expected already says
        }
      }
      assertThat(IpNetworks.generalise(text)).as(text).isEqualTo(expected);
    }
    assertThat(compared).as("texts that were addresses").isGreaterThan(100);
    assertThat(IpNetworks.generalise("2001:DB8:0A:1::1")).contains("2001:db8:a::/48");
    assertThat(IpNetworks.generalise("::ffff:10.1.2.3")).contains("10.1.2.0/24");
    assertThat(IpNetworks.generalise("2001:db8::\uff11")).isEmpty();
  }
}
