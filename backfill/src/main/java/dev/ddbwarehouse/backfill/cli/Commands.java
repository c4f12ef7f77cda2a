package dev.ddbwarehouse.backfill.cli;

import picocli.CommandLine;

/** The subcommands, in the order an operator runs them. */
public final class Commands {

  private Commands() {}

  public static void register(CommandLine cli) {
    cli.addSubcommand(new PlanCommand())
        .addSubcommand(new CreateShadowCommand())
        .addSubcommand(new AttachCommand())
        .addSubcommand(new CopyCommand())
        .addSubcommand(new VerifyCommand())
        .addSubcommand(new DetachCommand())
        .addSubcommand(new TeardownCommand());
  }
}
