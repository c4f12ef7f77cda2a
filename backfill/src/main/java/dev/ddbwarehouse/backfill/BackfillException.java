package dev.ddbwarehouse.backfill;

/**
 * Why a backfill step stopped, named by what the operator does about it; each kind has its own exit
 * code. Messages name tables, attributes and counts, never an item's values.
 */
public abstract sealed class BackfillException extends RuntimeException
    permits BackfillException.Refused,
        BackfillException.AwsCallFailed,
        BackfillException.NotDrained {

  private BackfillException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract int exitCode();

  /** A precondition or the order of operations is not met: the operator must act first. */
  public static final class Refused extends BackfillException {
    public Refused(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return 2;
    }
  }

  /**
   * AWS answered no: the table is missing, the caller lacks a permission, or requests stay
   * throttled.
   */
  public static final class AwsCallFailed extends BackfillException {

    /** What went wrong, so callers and tests need not parse the message. */
    public enum Kind {
      NOT_FOUND,
      ACCESS_DENIED,
      THROTTLED,
      OTHER
    }

    private final Kind kind;

    public AwsCallFailed(Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }

    @Override
    public int exitCode() {
      return 3;
    }
  }

  /** The shadow stream still has records the function has not processed: try again later. */
  public static final class NotDrained extends BackfillException {
    public NotDrained(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return 4;
    }
  }
}
