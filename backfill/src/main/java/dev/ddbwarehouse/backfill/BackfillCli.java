package dev.ddbwarehouse.backfill;

import dev.ddbwarehouse.backfill.cli.Commands;
import dev.ddbwarehouse.backfill.cli.Failures;
import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/backfill.sh}: loads history older than the 24-hour stream by copying the source
 * table into a shadow table whose stream feeds the same function. Order of operations: live mapping
 * deployed → plan → create-shadow → attach → copy → verify → teardown.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Replays a DynamoDB table's history through the warehouse function via a shadow table.",
      "Order: live mapping deployed -> plan -> create-shadow -> attach -> copy -> verify -> teardown.",
      "Run 'backfill COMMAND --help' for a command's options."
    },
    footer = {
      "",
      "Exit codes: 0 ok; 1 verify found missing items; 2 refused or bad usage (incl. no AWS region);",
      "3 AWS error (table not found, no permission, still throttled, no credentials) or warehouse unreachable;",
      "4 shadow stream not drained; 70 a bug (--verbose prints the stack trace); 130 interrupted."
    })
public final class BackfillCli implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;

  private BackfillCli() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line; output goes to {@code out}, progress and errors to {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return Cli.execute(commandLine(out, err), args);
  }

  /**
   * The command line with every subcommand and the project's conventions; the backfill's own
   * exceptions become {@link dev.ddbwarehouse.cli.CliFailure}s with their exit codes.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = Cli.commandLine(new BackfillCli(), out, err);
    Commands.register(cli);
    IExecutionExceptionHandler conventions = cli.getExecutionExceptionHandler();
    cli.setExecutionExceptionHandler(
        (e, command, parsed) ->
            conventions.handleExecutionException(Failures.translate(e), command, parsed));
    return cli;
  }

  /** Without a command there is nothing to do: say which exist. */
  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "name a command: " + String.join(", ", spec.subcommands().keySet()));
  }
}
