package dev.ddbwarehouse.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Runs a picocli command the way every tool here behaves: a mistake is one line naming what is
 * wrong and the exit code of {@link ExitCode}; a stack trace only with {@code --verbose}; usage
 * text wide enough that URLs and defaults stay whole.
 */
public final class Cli {

  /** Wide enough for a JDBC URL or an ARN on one line; picocli's default is 80. */
  static final int USAGE_WIDTH = 120;

  private Cli() {}

  /** The command line with this project's conventions; add subcommands, then {@link #execute}. */
  public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(out).setErr(err);
    cli.setUsageHelpWidth(USAGE_WIDTH);
    cli.setUsageHelpLongOptionsMaxWidth(40);
    cli.setParameterExceptionHandler(Cli::badUsage);
    cli.setExecutionExceptionHandler(Cli::failed);
    return cli;
  }

  /** Runs a command that has no subcommands. */
  public static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
    return execute(commandLine(command, out, err), args);
  }

  public static int execute(CommandLine cli, String... args) {
    int code = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    return code;
  }

  private static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println(name(cli) + ": " + e.getMessage() + " (see --help)");
    return ExitCode.USAGE;
  }

  private static int failed(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    int code;
    if (e instanceof CliFailure failure) {
      err.println(name(cli) + ": " + failure.getMessage());
      code = failure.exitCode();
    } else if (e instanceof InterruptedException) {
      err.println(name(cli) + ": interrupted");
      code = ExitCode.INTERRUPTED;
    } else {
      err.println(name(cli) + ": unexpected error: " + describe(e) + hint(parsed));
      code = ExitCode.INTERNAL;
    }
    if (verbose(parsed)) e.printStackTrace(err);
    return code;
  }

  /**
   * The exception's class and message; for SQL errors only the SQLSTATE, since a server's message
   * can quote the value of a row.
   */
  static String describe(Throwable e) {
    if (e instanceof SQLException sql) {
      return e.getClass().getSimpleName() + " (SQLSTATE " + sql.getSQLState() + ")";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String hint(ParseResult parsed) {
    return verbose(parsed) ? "" : " (run with --verbose for the stack trace)";
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) return true;
    }
    return false;
  }

  private static String name(CommandLine cli) {
    return cli.getCommandSpec().qualifiedName(" ");
  }
}
