package dev.ddbwarehouse.core.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pseudonym format v1, a public contract:
 *
 * <pre>lowercase hex( HMAC-SHA256( key, UTF-8(namespace) || 0x00 || UTF-8(normalised value) ) )
 * </pre>
 *
 * <p>The namespace keeps equal strings of different kinds (a user id that happens to equal an
 * account id) from sharing a pseudonym; the 0x00 separator keeps {@code ("ab","c")} and {@code
 * ("a","bc")} apart, since neither part may contain NUL. Values are normalised by the caller.
 *
 * <p>HMAC as RFC 2104 defines it, computed from SHA-256 states taken once: the key's inner and
 * outer pads, and the inner state after each namespace and its separator. A pseudonym then costs
 * two SHA-256 blocks for a short value, where {@code javax.crypto.Mac} hashes the pads again on
 * every call (four blocks): the pseudonyms were a quarter of the JVM's time per record. The
 * PseudonymiserTest checks the result against {@code Mac} and the format's vectors. Thread-safe:
 * the states are cloned, never updated.
 */
public final class Pseudonymiser {

  private static final String DIGEST = "SHA-256";
  private static final int BLOCK = 64;
  private static final int MAX_NAMESPACES = 256;

  /** Each byte's two lowercase hex digits, as Latin-1 bytes: a pseudonym is 64 of them. */
  private static final byte[] HEX_DIGITS = new byte[512];

  static {
    for (int b = 0; b < 256; b++) {
      String two = HexFormat.of().toHexDigits((byte) b);
      HEX_DIGITS[2 * b] = (byte) two.charAt(0);
      HEX_DIGITS[2 * b + 1] = (byte) two.charAt(1);
    }
  }

  private final String keyVersion;

  /** SHA-256 after the key's inner pad, and after its outer pad: clone, never update. */
  private final MessageDigest innerPad;

  private final MessageDigest outerPad;

  /** {@link #innerPad} then a namespace and its 0x00: what every pseudonym in it starts from. */
  private final Map<String, MessageDigest> namespaces = new ConcurrentHashMap<>();

  private final Pseudonymiser suppression;
  private final java.util.List<Pseudonymiser> older;

  public Pseudonymiser(KeyRing keys) {
    this(keys, keys.activeVersion(), true);
  }

  /** For operators recomputing pseudonyms of rows written with an older key version. */
  public Pseudonymiser(KeyRing keys, String keyVersion) {
    this(keys, keyVersion, false);
  }

  private Pseudonymiser(KeyRing keys, String keyVersion, boolean withOlder) {
    this.keyVersion = keyVersion;
    byte[] key = keys.key(keyVersion);
    if (key.length > BLOCK) key = digest().digest(key);
    byte[] pad = Arrays.copyOf(key, BLOCK);
    for (int i = 0; i < BLOCK; i++) pad[i] ^= 0x36;
    this.innerPad = digest();
    innerPad.update(pad);
    for (int i = 0; i < BLOCK; i++) pad[i] ^= 0x36 ^ 0x5c;
    this.outerPad = digest();
    outerPad.update(pad);
    Arrays.fill(pad, (byte) 0);
    copy(innerPad); // a JVM whose SHA-256 cannot be cloned fails at start-up, not on a record
    this.suppression =
        keys.suppressionVersion().equals(keyVersion)
            ? this
            : new Pseudonymiser(keys, keys.suppressionVersion());
    java.util.List<Pseudonymiser> others = new java.util.ArrayList<>();
    if (withOlder) {
      for (String v : new java.util.TreeSet<>(keys.versions())) {
        if (v.equals(keyVersion)) continue;
        others.add(v.equals(suppression.keyVersion) ? suppression : new Pseudonymiser(keys, v));
      }
    }
    this.older = java.util.List.copyOf(others);
  }

  /**
   * For the active version's pseudonymiser: one per other version of the ring (what rows written
   * before the last rotation carry); empty for the others.
   */
  public java.util.List<Pseudonymiser> older() {
    return older;
  }

  /**
   * The pseudonymiser of the ring's suppression version, whose pseudonyms the erasure suppression
   * list is checked by; {@code this} when that is this one's version (then a row's pseudonyms are
   * its suppression tokens, at no extra cost).
   */
  public Pseudonymiser suppression() {
    return suppression;
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance(DIGEST);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(DIGEST + " unavailable", e);
    }
  }

  private static MessageDigest copy(MessageDigest state) {
    try {
      return (MessageDigest) state.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(DIGEST + " states cannot be copied", e);
    }
  }

  private MessageDigest namespace(String namespace) {
    MessageDigest prefix = copy(innerPad);
    prefix.update(namespace.getBytes(StandardCharsets.UTF_8));
    prefix.update((byte) 0);
    return prefix;
  }

  public String keyVersion() {
    return keyVersion;
  }

  /** The pseudonym of an already normalised value in a namespace. */
  public String pseudonym(String namespace, String normalisedValue) {
    if (namespace.indexOf('\0') >= 0 || normalisedValue.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("pseudonym input must not contain NUL");
    }
    MessageDigest prefix = namespaces.get(namespace);
    if (prefix == null) {
      prefix = namespace(namespace);
      // The mapping's namespaces, a handful; a caller's own are not all kept.
      if (namespaces.size() < MAX_NAMESPACES) namespaces.putIfAbsent(namespace, prefix);
    }
    MessageDigest inner = copy(prefix);
    byte[] innerHash = inner.digest(normalisedValue.getBytes(StandardCharsets.UTF_8));
    return hex(copy(outerPad).digest(innerHash));
  }

  /** HexFormat's lowercase digits from a table, made into the String in one copy. */
  private static String hex(byte[] hash) {
    byte[] text = new byte[hash.length * 2];
    for (int i = 0; i < hash.length; i++) {
      int b = (hash[i] & 0xFF) * 2;
      text[2 * i] = HEX_DIGITS[b];
      text[2 * i + 1] = HEX_DIGITS[b + 1];
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return "Pseudonymiser[keyVersion=" + keyVersion + "]";
  }
}
