package dev.ddbwarehouse.core.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
 * <p>Not thread-safe in the Mac it reuses; each thread builds its own (Lambda runs one at a time).
 */
public final class Pseudonymiser {

  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final String keyVersion;
  private final ThreadLocal<Mac> mac;
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
    SecretKeySpec key = new SecretKeySpec(keys.key(keyVersion), ALGORITHM);
    this.mac = ThreadLocal.withInitial(() -> newMac(key));
    mac.get(); // fail at start-up, not on the first record, if the JVM lacks HmacSHA256
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

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " unavailable", e);
    }
  }

  public String keyVersion() {
    return keyVersion;
  }

  /** The pseudonym of an already normalised value in a namespace. */
  public String pseudonym(String namespace, String normalisedValue) {
    if (namespace.indexOf('\0') >= 0 || normalisedValue.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("pseudonym input must not contain NUL");
    }
    Mac m = mac.get();
    m.update(namespace.getBytes(StandardCharsets.UTF_8));
    m.update((byte) 0);
    return HEX.formatHex(m.doFinal(normalisedValue.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "Pseudonymiser[keyVersion=" + keyVersion + "]";
  }
}
