package dev.ddbwarehouse.core;

/**
 * A failure that a later attempt may not have (database unreachable, serialization failure,
 * deadlock): the batch is not committed and Lambda retries it from its first record.
 */
public final class TransientFailureException extends RuntimeException {

  public TransientFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
