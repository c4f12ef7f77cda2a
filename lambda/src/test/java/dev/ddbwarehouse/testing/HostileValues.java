package dev.ddbwarehouse.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random attribute values in DynamoDB JSON: every type, nested, unicode up to astral
 * characters, numbers across DynamoDB's whole range. Every string a test must never see stored
 * carries {@link #MARKER}, so one search finds any leak.
 */
public final class HostileValues {

  /** Not hexadecimal, so a pseudonym can never contain it by chance. */
  public static final String MARKER = "CNRY";

  /** Every DynamoDB type tag. */
  public static final List<String> TYPES =
      List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");

  private static final int[][] CODE_POINT_RANGES = {
    {0x41, 0x5a}, // Latin capitals
    {0xe0, 0xff}, // Latin-1 letters
    {0x3b1, 0x3c9}, // Greek
    {0x5d0, 0x5ea}, // Hebrew (right to left)
    {0x4e00, 0x4e80}, // CJK
    {0x300, 0x30f}, // combining marks
    {0x200b, 0x200d}, // zero-width space and joiner
    {0x1f600, 0x1f64f}, // emoji (astral: surrogate pairs in UTF-16)
    {0x1d400, 0x1d433}, // mathematical alphanumerics (astral)
    {0x10000, 0x1000f}, // Linear B, the first astral plane's start
  };

  private final Random random;

  public HostileValues(long seed) {
    this.random = new Random(seed);
  }

  public Random random() {
    return random;
  }

  /** A personal-looking value with the marker and a unicode tail. */
  public String canary(String kind) {
    return MARKER
        + "-"
        + kind
        + "-"
        + Integer.toHexString(0x100000 + random.nextInt(0xeffff))
        + text(3);
  }

  /** Random well-formed text (no NUL, no lone surrogate) of 0..max code points. */
  public String text(int max) {
    StringBuilder out = new StringBuilder();
    int n = random.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      int[] range = CODE_POINT_RANGES[random.nextInt(CODE_POINT_RANGES.length)];
      out.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    return out.toString();
  }

  /** A documentation-range IPv4 address whose last octet has three digits (unique as text). */
  public String ipv4() {
    return "198.51." + random.nextInt(256) + "." + (100 + random.nextInt(155));
  }

  public String phone() {
    return "+44 7700 9" + (10000 + random.nextInt(90000));
  }

  /** A number DynamoDB accepts, in one of the forms it may arrive in. */
  public String number() {
    return switch (random.nextInt(8)) {
      case 0 -> Long.toString(random.nextLong());
      case 1 ->
          (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + random.nextInt(1000);
      case 2 -> (1 + random.nextInt(9)) + "E+" + random.nextInt(126);
      case 3 -> "-" + (1 + random.nextInt(9)) + "e-" + random.nextInt(130);
      case 4 -> "9.9999999999999999999999999999999999999E+125";
      case 5 -> "-1E-130";
      case 6 -> "0." + "0".repeat(random.nextInt(20));
      default -> "1234567890123456789012345678901234567" + random.nextInt(10);
    };
  }

  /** A value of the given type, nested up to {@code depth} levels, strings marked. */
  public Map<String, Object> value(String type, int depth) {
    Object v =
        switch (type) {
          case "S" -> canary("s");
          case "N" -> number();
          case "B" -> base64(canary("b"));
          case "BOOL" -> random.nextBoolean();
          case "NULL" -> true;
          case "M" -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = random.nextInt(4); i > 0; i--) m.put("k" + i + text(2), any(depth - 1));
            yield m;
          }
          case "L" -> {
            List<Object> l = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) l.add(any(depth - 1));
            yield l;
          }
          case "SS" -> members(() -> canary("ss"));
          case "NS" -> members(this::number);
          default -> members(() -> base64(canary("bs")));
        };
    return Map.of(type, v);
  }

  /** A value of any type; at depth 0 a scalar. */
  public Map<String, Object> any(int depth) {
    int bound = depth <= 0 ? 5 : TYPES.size();
    return value(TYPES.get(random.nextInt(bound)), depth);
  }

  /** A value of a type outside {@code accepted} (and not NULL, which means absent). */
  public Map<String, Object> wrongType(Set<String> accepted) {
    List<String> wrong =
        TYPES.stream().filter(t -> !accepted.contains(t) && !t.equals("NULL")).toList();
    return value(wrong.get(random.nextInt(wrong.size())), 2);
  }

  /** Zero to three members: DynamoDB forbids empty sets, the event format does not. */
  private List<Object> members(java.util.function.Supplier<String> member) {
    List<Object> out = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) out.add(member.get());
    return out;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
