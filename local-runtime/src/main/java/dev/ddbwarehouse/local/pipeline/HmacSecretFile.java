package dev.ddbwarehouse.local.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stand-in for the Secrets Manager secret: a JSON file of the same shape. When the user
 * names none, one key is generated once into the state folder and reused by later runs, so
 * pseudonyms stay stable across local runs.
 */
public final class HmacSecretFile {

  public static final String DEFAULT_NAME = "hmac-secret.json";

  private HmacSecretFile() {}

  /** The given file, else the default one under {@code stateDir}, generated on first use. */
  public static Path resolve(Path given, Path stateDir, PrintStream log) {
    if (given != null) {
      if (!Files.isReadable(given)) {
        throw new IllegalArgumentException("--hmac-secret-file is not a readable file: " + given);
      }
      return given;
    }
    Path file = stateDir.resolve(DEFAULT_NAME);
    if (Files.exists(file)) {
      log.println("using the local HMAC key in " + file.toAbsolutePath());
      return file;
    }
    generate(file);
    log.println(
        "generated a new HMAC key into "
            + file.toAbsolutePath()
            + " (reused by later local runs; pass --hmac-secret-file to use another)");
    return file;
  }

  /** Writes {@code {"active":"v1","keys":{"v1":"<base64 of 32 random bytes>"}}}, owner-only. */
  public static void generate(Path file) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String json =
        "{\"active\":\"v1\",\"keys\":{\"v1\":\""
            + Base64.getEncoder().encodeToString(key)
            + "\"}}\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "hmac", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's permissions are all there is.
      }
      Files.writeString(tmp, json);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the local HMAC key file " + file, e);
    }
  }

  /**
   * The state folder: system property {@code ddbw.local.stateDir} (tests), else {@code
   * DDBW_LOCAL_STATE_DIR} (the scripts set the repository's .local), else .local.
   */
  public static Path stateDir() {
    String dir = System.getProperty("ddbw.local.stateDir", System.getenv("DDBW_LOCAL_STATE_DIR"));
    return Path.of(dir == null || dir.isBlank() ? ".local" : dir);
  }
}
