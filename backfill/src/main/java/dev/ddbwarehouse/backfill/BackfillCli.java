package dev.ddbwarehouse.backfill;

import dev.ddbwarehouse.backfill.cli.Commands;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * {@code scripts/backfill.sh}: loads history older than the 24-hour stream by copying the source
 * table into a shadow table whose stream feeds the same function. Order of operations: live mapping
 * deployed → plan → create-shadow → attach → copy → verify → teardown.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    version = "ddb-warehouse backfill 0.1.0",
    description = {
      "Replays a DynamoDB table's history through the warehouse function via a shadow table.",
      "Order: live mapping deployed -> plan -> create-shadow -> attach -> copy -> verify -> teardown.",
      "Exit codes: 0 ok, 1 verify found missing items, 2 refused or bad usage, 3 AWS error"
          + " (not found, no permission, throttled), 4 shadow stream not drained, 130 interrupted."
    })
public final class BackfillCli {

  private BackfillCli() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line; output goes to {@code out}, progress and errors to {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new BackfillCli());
    Commands.register(cli);
    cli.setOut(out).setErr(err).setExecutionExceptionHandler(BackfillCli::handle);
    return cli.execute(args);
  }

  /** Known failures become one line and their exit code; nothing prints a stack trace. */
  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof BackfillException b) {
      err.println("backfill " + cli.getCommandName() + ": " + b.getMessage());
      return b.exitCode();
    }
    if (e instanceof IllegalArgumentException) {
      err.println("backfill " + cli.getCommandName() + ": " + e.getMessage());
      return 2;
    }
    if (e instanceof SdkClientException) {
      err.println(
          "backfill "
              + cli.getCommandName()
              + ": could not reach DynamoDB (check --endpoint-url, --region and"
              + " credentials): "
              + (e.getCause() == null ? e.getMessage() : e.getCause().getClass().getSimpleName()));
      return 3;
    }
    if (e instanceof InterruptedException) {
      err.println("backfill " + cli.getCommandName() + ": interrupted");
      return 130;
    }
    err.println(
        "backfill "
            + cli.getCommandName()
            + " failed: "
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage()
            + (e.getCause() == null
                ? ""
                : " (cause: " + e.getCause().getClass().getSimpleName() + ")"));
    return 70;
  }
}
