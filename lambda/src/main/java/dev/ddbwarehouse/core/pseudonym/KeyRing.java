package dev.ddbwarehouse.core.pseudonym;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.json.JsonValue;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HMAC keys, by version, and which one is active.
 *
 * <p>Parsed from the secret's JSON: {@code {"active":"<version>","keys":{"<version>":"<base64>"}}}.
 * Older versions stay in the secret after a rotation so that operators can still compute the
 * pseudonyms of rows written with them. Key bytes never appear in {@code toString}, exceptions or
 * logs.
 *
 * <p>The suppression version ({@code "suppressionVersion"}, else the first version listed) is the
 * one whose pseudonyms the erasure suppression list is checked by: it must stay in the ring for as
 * long as erasures must hold, whatever the active version is (see docs/erasure.md). Rotating by
 * adding a version leaves the first one first.
 */
public final class KeyRing {

  /** HMAC-SHA256 keys shorter than the hash output weaken it (RFC 2104 section 3). */
  public static final int MIN_KEY_BYTES = 32;

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String activeVersion;
  private final String suppressionVersion;
  private final Map<String, byte[]> keys;

  private KeyRing(String activeVersion, String suppressionVersion, Map<String, byte[]> keys) {
    this.activeVersion = activeVersion;
    this.suppressionVersion = suppressionVersion;
    this.keys = keys;
  }

  /**
   * Parses the secret. {@code source} names where it came from (a secret id or file) for error
   * messages; the secret's content is never quoted.
   */
  public static KeyRing parse(String secretJson, String source) {
    JsonValue root;
    try {
      root = JsonValue.parse(secretJson);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + " is not valid JSON (expected {\"active\":..,\"keys\":{..}})");
    }
    if (!(root instanceof JsonValue.Obj)) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + " must be a JSON object {\"active\":..,\"keys\":{..}}");
    }
    String active = root.get("active") instanceof JsonValue.Str s ? s.value() : null;
    if (active == null || !VERSION.matcher(active).matches()) {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": \"active\" must name a key version ([A-Za-z0-9._-]{1,64})");
    }
    if (!(root.get("keys") instanceof JsonValue.Obj keysNode) || keysNode.fields().isEmpty()) {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": \"keys\" must be a non-empty object of version to base64 key");
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> entry : keysNode.fields().entrySet()) {
      String version = entry.getKey();
      if (!VERSION.matcher(version).matches()) {
        throw new InvalidConfigurationException(
            "HMAC key secret " + source + ": key version names must match [A-Za-z0-9._-]{1,64}");
      }
      keys.put(version, decode(entry.getValue(), version, source));
    }
    if (!keys.containsKey(active)) {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": active version \""
              + active
              + "\" is not among keys "
              + keys.keySet());
    }
    String suppression;
    if (root.get("suppressionVersion") == null) {
      suppression = keys.keySet().iterator().next();
    } else if (root.get("suppressionVersion") instanceof JsonValue.Str s
        && keys.containsKey(s.value())) {
      suppression = s.value();
    } else {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": \"suppressionVersion\" must name one of the key versions "
              + keys.keySet());
    }
    return new KeyRing(active, suppression, Map.copyOf(keys));
  }

  private static byte[] decode(JsonValue value, String version, String source) {
    if (!(value instanceof JsonValue.Str text)) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + ": keys." + version + " must be a base64 string");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.value().trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + ": keys." + version + " is not valid base64");
    }
    if (bytes.length < MIN_KEY_BYTES) {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": keys."
              + version
              + " is "
              + bytes.length
              + " bytes; at least "
              + MIN_KEY_BYTES
              + " random bytes are required");
    }
    if (allEqual(bytes)) {
      // 32 zero bytes (an unfilled buffer, a placeholder) would make every pseudonym computable by
      // anyone who knows the scheme: refuse it like a missing key.
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": keys."
              + version
              + " has no entropy (all its bytes are equal); generate "
              + MIN_KEY_BYTES
              + " random bytes");
    }
    return bytes;
  }

  private static boolean allEqual(byte[] bytes) {
    for (byte b : bytes) if (b != bytes[0]) return false;
    return true;
  }

  public String activeVersion() {
    return activeVersion;
  }

  public Set<String> versions() {
    return keys.keySet();
  }

  /** The version whose pseudonyms the erasure suppression list is looked up by. */
  public String suppressionVersion() {
    return suppressionVersion;
  }

  /** The active key's bytes, a copy. Package-private: only the pseudonymiser needs them. */
  byte[] activeKey() {
    return keys.get(activeVersion).clone();
  }

  byte[] key(String version) {
    byte[] key = keys.get(version);
    if (key == null) {
      throw new IllegalArgumentException("no HMAC key version " + version);
    }
    return key.clone();
  }

  @Override
  public String toString() {
    return "KeyRing[active="
        + activeVersion
        + ", suppression="
        + suppressionVersion
        + ", versions="
        + keys.keySet()
        + ", keys=<redacted>]";
  }
}
