package dev.ddbwarehouse.core.pseudonym;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
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
 */
public final class KeyRing {

  /** HMAC-SHA256 keys shorter than the hash output weaken it (RFC 2104 section 3). */
  public static final int MIN_KEY_BYTES = 32;

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String activeVersion;
  private final Map<String, byte[]> keys;

  private KeyRing(String activeVersion, Map<String, byte[]> keys) {
    this.activeVersion = activeVersion;
    this.keys = keys;
  }

  /**
   * Parses the secret. {@code source} names where it came from (a secret id or file) for error
   * messages; the secret's content is never quoted.
   */
  public static KeyRing parse(String secretJson, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(secretJson);
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + " is not valid JSON (expected {\"active\":..,\"keys\":{..}})");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + " must be a JSON object {\"active\":..,\"keys\":{..}}");
    }
    JsonNode active = root.get("active");
    if (active == null || !active.isTextual() || !VERSION.matcher(active.asText()).matches()) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + ": \"active\" must name a key version ([A-Za-z0-9._-]{1,64})");
    }
    JsonNode keysNode = root.get("keys");
    if (keysNode == null || !keysNode.isObject() || keysNode.isEmpty()) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + ": \"keys\" must be a non-empty object of version to base64 key");
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = keysNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String version = entry.getKey();
      if (!VERSION.matcher(version).matches()) {
        throw new InvalidConfigurationException(
            "HMAC key secret " + source + ": key version names must match [A-Za-z0-9._-]{1,64}");
      }
      keys.put(version, decode(entry.getValue(), version, source));
    }
    if (!keys.containsKey(active.asText())) {
      throw new InvalidConfigurationException(
          "HMAC key secret "
              + source
              + ": active version \""
              + active.asText()
              + "\" is not among keys "
              + keys.keySet());
    }
    return new KeyRing(active.asText(), Map.copyOf(keys));
  }

  private static byte[] decode(JsonNode value, String version, String source) {
    if (!value.isTextual()) {
      throw new InvalidConfigurationException(
          "HMAC key secret " + source + ": keys." + version + " must be a base64 string");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.asText().trim());
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
    return bytes;
  }

  public String activeVersion() {
    return activeVersion;
  }

  public Set<String> versions() {
    return keys.keySet();
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
    return "KeyRing[active=" + activeVersion + ", versions=" + keys.keySet() + ", keys=<redacted>]";
  }
}
