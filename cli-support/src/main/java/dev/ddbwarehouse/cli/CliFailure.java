package dev.ddbwarehouse.cli;

/**
 * A failure the operator can act on: printed as one line (the message) with its exit code, never a
 * stack trace unless {@code --verbose}. Messages name flags, files, tables and counts, never a
 * personal value or a password.
 */
public final class CliFailure extends RuntimeException {

  private final int exitCode;

  public CliFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public CliFailure(int exitCode, String message) {
    this(exitCode, message, null);
  }

  /** A bad flag, file or configuration: exit {@value ExitCode#USAGE}. */
  public static CliFailure usage(String message) {
    return new CliFailure(ExitCode.USAGE, message);
  }

  /** Could not reach or log in to a dependency: exit {@value ExitCode#UNREACHABLE}. */
  public static CliFailure unreachable(String message, Throwable cause) {
    return new CliFailure(ExitCode.UNREACHABLE, message, cause);
  }

  /** The tool ran and found a problem: exit {@value ExitCode#FOUND}. */
  public static CliFailure found(String message) {
    return new CliFailure(ExitCode.FOUND, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
