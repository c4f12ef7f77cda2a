package dev.ddbwarehouse.cli;

/**
 * The exit codes every tool of this project uses, so an operator's script can tell "you called me
 * wrong" from "it could not reach the database" from "it ran and found something". README's "Exit
 * codes" table lists them.
 */
public final class ExitCode {

  /** Done, nothing to report. */
  public static final int OK = 0;

  /**
   * The tool ran and found a problem it was asked to look for: items missing from the warehouse, a
   * leak, a batch the handler reported for retry.
   */
  public static final int FOUND = 1;

  /** Bad flag, bad or missing file, invalid configuration, or a refused precondition. */
  public static final int USAGE = 2;

  /** A database or AWS endpoint could not be reached, or refused the login or the call. */
  public static final int UNREACHABLE = 3;

  /** Not ready yet (the backfill shadow stream is not drained): try again later. */
  public static final int NOT_READY = 4;

  /** A bug in the tool: {@code --verbose} prints the stack trace (EX_SOFTWARE). */
  public static final int INTERNAL = 70;

  /** Stopped by Ctrl-C (SIGINT). */
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
