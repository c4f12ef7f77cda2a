package dev.ddbwarehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The published test-vector key (bytes 0x00..0x1f) as a secret file, and handler environments. */
public final class TestKeys {

  public static final String KEY_BASE64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  public static final String SECRET_JSON =
      "{\"active\":\"v1\",\"keys\":{\"v1\":\"" + KEY_BASE64 + "\"}}";

  private TestKeys() {}

  public static Path secretFile() {
    try {
      Path f = Files.createTempFile("hmac-secret", ".json");
      Files.writeString(f, SECRET_JSON);
      f.toFile().deleteOnExit();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The writer's database environment plus the test key. */
  public static Map<String, String> environment(Map<String, String> database) {
    Map<String, String> env = new HashMap<>(database);
    env.put("HMAC_SECRET_FILE", secretFile().toString());
    return env;
  }
}
