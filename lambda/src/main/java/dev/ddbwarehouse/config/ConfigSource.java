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
}
