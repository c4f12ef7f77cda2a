package dev.ddbwarehouse.core;

/**
 * A record that can never succeed however often it is retried: it is quarantined and the batch goes
 * on. The message names the attribute at fault and what was expected, never its value.
 */
public final class PoisonRecordException extends RuntimeException {

  private final ErrorCode code;
  private final String attribute;

  /** Attribute names come from items: bounded and stripped of control characters, as messages. */
  static final int MAX_ATTRIBUTE = 256;

  static final int MAX_MESSAGE = 1000;

  public PoisonRecordException(ErrorCode code, String attribute, String message) {
    super(SafeText.text(message, MAX_MESSAGE), null, false, false);
    this.code = code;
    this.attribute = SafeText.text(attribute, MAX_ATTRIBUTE);
  }

  public ErrorCode code() {
    return code;
  }

  /** The source attribute at fault, or null when the record as a whole is. */
  public String attribute() {
    return attribute;
  }
}
