package dev.ddbwarehouse.config;

/**
 * Where secrets and the mapping document are read from: files locally, Secrets Manager and SSM in
 * AWS. Implementations name what they read in errors, never what it contains.
 */
public interface ConfigSource {

  /** The secret's string value. */
  String secret(String id);

  /** The parameter's value (decrypted if it is a SecureString). */
  String parameter(String name);

  /** A value and a version that changes whenever the value does. */
  record Versioned(String value, String version) {
    @Override
    public String toString() {
      return "Versioned[version=" + version + "]"; // secrets pass through here: never the value
    }
  }

  /** The secret with its version: the service's version id, else a digest of the content. */
  default Versioned secretVersioned(String id) {
    String value = secret(id);
    return new Versioned(value, digest(value));
  }

  /** The parameter with its version: the service's version number, else a digest. */
  default Versioned parameterVersioned(String name) {
    String value = parameter(name);
    return new Versioned(value, digest(value));
  }

  static String digest(String value) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
