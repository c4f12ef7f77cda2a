package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.cli.Cli;
import java.util.List;
import picocli.CommandLine;

/** The subcommands, in the order an operator runs them. */
public final class Commands {

  private Commands() {}

  /**
   * Adds every subcommand, each built by {@link Cli#commandLine} so its help has the same width as
   * the top-level one.
   */
  public static void register(CommandLine cli) {
    List<Object> commands =
        List.of(
            new PlanCommand(),
            new CreateShadowCommand(),
            new AttachCommand(),
            new CopyCommand(),
            new VerifyCommand(),
            new DetachCommand(),
            new TeardownCommand());
    for (Object command : commands) {
      cli.addSubcommand(Cli.commandLine(command, cli.getOut(), cli.getErr()));
    }
  }
}
