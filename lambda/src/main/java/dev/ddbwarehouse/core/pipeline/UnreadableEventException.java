package dev.ddbwarehouse.core.pipeline;

/**
 * The invocation's event is not a readable stream event (not JSON, cut short, no record array): no
 * record can be trusted, so nothing of the batch is committed and the invocation fails, for Lambda
 * to deliver the batch again. The message says where and what, never a value: it is logged.
 */
public final class UnreadableEventException extends RuntimeException {

  public UnreadableEventException(String message) {
    super(message);
  }
}
