package dev.ddbwarehouse.core;

/**
 * A data-subject request that cannot be carried out as asked (a missing field, a namespace no table
 * uses): refused before anything changes, with a message that names the field, never the value. A
 * queued request that raises it is not retried: it would fail the same way every time.
 */
public final class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String message) {
    super(message);
  }
}
