package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.BackfillException;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns what the backfill's steps throw into the one-line {@link CliFailure} an operator acts on,
 * with the documented backfill exit code. Anything not recognised stays as it is: a bug (exit 70).
 */
public final class Failures {

  static final String NO_REGION = "no AWS region configured (set AWS_REGION or --region)";
  static final String NO_CREDENTIALS =
      "no AWS credentials found (set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run on"
          + " an instance with a role)";

  private Failures() {}

  public static Exception translate(Exception e) {
    if (e instanceof CliFailure || e instanceof InterruptedException) {
      return e;
    }
    // Copy and verify threads wrap what went wrong: look through the causes.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CliFailure failure) {
        return failure;
      }
      if (t instanceof BackfillException b) {
        return new CliFailure(b.exitCode(), b.getMessage(), e);
      }
      if (t instanceof InterruptedException) {
        return new CliFailure(ExitCode.INTERRUPTED, "interrupted", e);
      }
      if (t instanceof SQLException sql) {
        return CliFailure.unreachable(warehouse(sql.getSQLState()), e);
      }
      if (t instanceof SdkClientException sdk) {
        return CliFailure.unreachable(dynamoDb(sdk), e);
      }
    }
    if (e instanceof IllegalArgumentException || e instanceof InvalidConfigurationException) {
      return new CliFailure(ExitCode.USAGE, e.getMessage(), e);
    }
    if (e instanceof UncheckedIOException io) {
      return new CliFailure(
          ExitCode.USAGE,
          io.getMessage() + " (" + io.getCause().getClass().getSimpleName() + ")",
          e);
    }
    return e;
  }

  /** Only the SQLSTATE: the server's message can quote a row's values, and the URL a password. */
  static String warehouse(String state) {
    String code = " (SQLSTATE " + state + ")";
    if (state == null) {
      return "could not read the warehouse; check --jdbc-url";
    }
    if (state.startsWith("28")) {
      return "the warehouse refused the login"
          + code
          + "; check --db-user and the password (--db-password-file or WAREHOUSE_DB_PASSWORD)";
    }
    if (state.equals("3D000")) {
      return "the database named in --jdbc-url does not exist" + code;
    }
    if (state.equals("42501") || state.equals("42P01")) {
      return "--db-user cannot read the entry's warehouse table and etl.quarantine"
          + code
          + "; use a member of etl_writer";
    }
    if (state.startsWith("08")) {
      return "could not reach the warehouse" + code + "; check --jdbc-url";
    }
    return "could not read the warehouse" + code;
  }

  /**
   * One line for the SDK's client-side failures: its own message lists every provider of the
   * credentials chain with object identities, which tells an operator nothing.
   */
  static String dynamoDb(SdkClientException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.startsWith("Unable to load credentials")) {
      return NO_CREDENTIALS;
    }
    if (message.startsWith("Unable to load region")) {
      return NO_REGION;
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return "could not reach DynamoDB (check --endpoint-url, --region and credentials): "
        + cause.getClass().getSimpleName();
  }
}
