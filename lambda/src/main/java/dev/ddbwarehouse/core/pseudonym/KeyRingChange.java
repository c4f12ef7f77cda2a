package dev.ddbwarehouse.core.pseudonym;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.json.JsonText;
import dev.ddbwarehouse.core.json.JsonValue;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits of the key secret's JSON: rotation adds a version at the end and makes it active (never
 * removing one, and leaving the first version first: it stays the suppression version); retirement
 * removes one. Each result is parsed again by {@link KeyRing#parse}, so no edit can write a secret
 * the function would refuse. Key bytes appear only in the returned JSON.
 */
public final class KeyRingChange {

  private static final Pattern NUMBERED = Pattern.compile("v(\\d{1,9})");

  /** The secret after the change and what changed; {@code secretJson} never in toString. */
  public record Result(String secretJson, String version, String suppressionVersion) {
    @Override
    public String toString() {
      return "KeyRingChange.Result[version="
          + version
          + ", suppression="
          + suppressionVersion
          + "]";
    }
  }

  private KeyRingChange() {}

  /** Adds a new random 32-byte key as the next version ({@code vN+1}) and makes it active. */
  public static Result rotate(String secretJson, String source, SecureRandom random) {
    KeyRing current = KeyRing.parse(secretJson, source);
    Map<String, Object> root = object(secretJson, source);
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) root.get("keys");
    String version = next(keys);
    byte[] key = new byte[KeyRing.MIN_KEY_BYTES];
    random.nextBytes(key);
    keys.put(version, Base64.getEncoder().encodeToString(key));
    // Pinned on the first rotation: an operator reordering the keys later must not move it.
    root.putIfAbsent("suppressionVersion", current.suppressionVersion());
    root.put("active", version);
    return checked(root, source, version);
  }

  /**
   * Removes {@code version}. The active version cannot go; the suppression version can only when
   * {@code newSuppression} (covering every erasure; the caller checks that) takes its place.
   */
  public static Result retire(
      String secretJson, String source, String version, String newSuppression) {
    KeyRing current = KeyRing.parse(secretJson, source);
    if (!current.versions().contains(version)) {
      throw new InvalidRequestException(
          "key version " + version + " is not in the ring " + current.versions());
    }
    if (version.equals(current.activeVersion())) {
      throw new InvalidRequestException(
          "key version " + version + " is the active one: rotate to a new version first");
    }
    Map<String, Object> root = object(secretJson, source);
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) root.get("keys");
    keys.remove(version);
    if (version.equals(current.suppressionVersion())) {
      if (newSuppression == null || newSuppression.equals(version)) {
        throw new InvalidRequestException(
            "key version " + version + " is the suppression version: name its successor");
      }
      root.put("suppressionVersion", newSuppression);
    }
    return checked(root, source, version);
  }

  private static String next(Map<String, Object> keys) {
    int max = 0;
    for (String v : keys.keySet()) {
      Matcher m = NUMBERED.matcher(v);
      if (m.matches()) max = Math.max(max, Integer.parseInt(m.group(1)));
    }
    int n = Math.max(max, keys.size());
    String version;
    do version = "v" + ++n;
    while (keys.containsKey(version));
    return version;
  }

  private static Result checked(Map<String, Object> root, String source, String version) {
    String json = JsonText.write(root);
    try {
      KeyRing ring = KeyRing.parse(json, source);
      return new Result(json, version, ring.suppressionVersion());
    } catch (InvalidConfigurationException e) {
      throw new InvalidRequestException("the changed key ring would be refused: " + e.getMessage());
    }
  }

  /** The secret as nested maps in document order (strings, numbers, booleans as they are). */
  private static Map<String, Object> object(String json, String source) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> root = (Map<String, Object>) plain(JsonValue.parse(json));
      return root;
    } catch (JsonProcessingException e) {
      throw new InvalidConfigurationException("HMAC key secret " + source + " is not valid JSON");
    }
  }

  private static Object plain(JsonValue v) {
    return switch (v) {
      case JsonValue.Obj o -> {
        Map<String, Object> m = new LinkedHashMap<>();
        o.fields().forEach((k, x) -> m.put(k, plain(x)));
        yield m;
      }
      case JsonValue.Arr a -> a.items().stream().map(KeyRingChange::plain).toList();
      case JsonValue.Str s -> s.value();
      case JsonValue.Num n -> n.value();
      case JsonValue.Bool b -> b.value();
      case JsonValue.Null n -> null;
    };
  }
}
