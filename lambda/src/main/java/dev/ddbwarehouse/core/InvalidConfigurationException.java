package dev.ddbwarehouse.core;

/**
 * Configuration that cannot work: fails start-up (Lambda init) with a message that names the key or
 * document entry, never a secret.
 */
public final class InvalidConfigurationException extends RuntimeException {

  public InvalidConfigurationException(String message) {
    super(message);
  }

  public InvalidConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
