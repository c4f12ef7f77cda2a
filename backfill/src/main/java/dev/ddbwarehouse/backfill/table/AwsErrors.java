package dev.ddbwarehouse.backfill.table;

import dev.ddbwarehouse.backfill.BackfillException.AwsCallFailed;
import dev.ddbwarehouse.backfill.BackfillException.AwsCallFailed.Kind;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Turns the DynamoDB errors an operator can act on into messages that say what to do. */
public final class AwsErrors {

  private static final Set<String> DENIED =
      Set.of(
          "AccessDeniedException",
          "UnrecognizedClientException",
          "ExpiredTokenException",
          "InvalidSignatureException");
  private static final Set<String> THROTTLED =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "RequestLimitExceeded",
          "LimitExceededException");

  private AwsErrors() {}

  /** Runs {@code call}, translating a service error about {@code table} for {@code action}. */
  public static <T> T call(String action, String table, Supplier<T> call) {
    try {
      return call.get();
    } catch (AwsServiceException e) {
      throw translate(action, table, e);
    }
  }

  public static AwsCallFailed translate(String action, String table, AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    if ("ResourceNotFoundException".equals(code)) {
      return new AwsCallFailed(
          Kind.NOT_FOUND,
          "table "
              + table
              + " does not exist ("
              + action
              + "); check --region / --endpoint-url and the name",
          e);
    }
    if (DENIED.contains(code)) {
      return new AwsCallFailed(
          Kind.ACCESS_DENIED,
          "no permission for dynamodb:"
              + action
              + " on table "
              + table
              + " ("
              + code
              + "); the backfill role needs it, see docs/backfill.md",
          e);
    }
    if (isThrottling(e)) {
      return throttled(action, table, e);
    }
    return new AwsCallFailed(
        Kind.OTHER,
        "dynamodb:"
            + action
            + " on table "
            + table
            + " failed: "
            + code
            + " (HTTP "
            + e.statusCode()
            + ")",
        e);
  }

  /** Throttled, or over a request limit: worth retrying after a wait. */
  public static boolean isThrottling(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    return THROTTLED.contains(code) || e.isThrottlingException();
  }

  public static AwsCallFailed throttled(String action, String table, Exception cause) {
    return new AwsCallFailed(
        Kind.THROTTLED,
        "dynamodb:"
            + action
            + " on table "
            + table
            + " stays throttled after every retry; lower --rate (or raise the table's capacity) and"
            + " continue with --resume",
        cause);
  }
}
