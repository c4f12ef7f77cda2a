package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.mapping.CommandRunner;
import dev.ddbwarehouse.backfill.mapping.MappingCommands;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Removes the function's mappings on a shadow stream, by listing their UUIDs with the AWS CLI and
 * deleting each. Used by {@code detach} and by {@code teardown --execute}.
 */
@Command(
    name = "detach",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Removes the event source mapping from the shadow stream.",
      "Prints the 'aws lambda' commands; --execute runs them.",
      "SAM route: empty BackfillStreamArn in deploy/STAGE.env and scripts/deploy.sh."
    })
final class DetachCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;
  @Mixin FunctionOptions function;

  @Option(names = "--shadow", paramLabel = "TABLE", required = true, description = "Shadow table.")
  String shadow;

  @Option(names = "--execute", description = "Run the AWS CLI commands instead of printing them.")
  boolean execute;

  CommandRunner runner = CommandRunner.PROCESS;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String streamArn = ShadowStream.arn(dynamo, shadow);
    if (!execute) {
      print(out, function.function(), streamArn, dynamo.region());
      return 0;
    }
    int removed = run(runner, function.function(), streamArn, dynamo.region());
    out.println("DETACHED stream_arn=" + streamArn + " mappings_removed=" + removed);
    return 0;
  }

  static void print(PrintWriter out, String function, String streamArn, String region) {
    out.println(
        "for uuid in $("
            + MappingCommands.shellLine(MappingCommands.list(function, streamArn, region))
            + "); do");
    out.println(
        "  "
            + MappingCommands.shellLine(MappingCommands.delete("$uuid", region))
                .replace("'$uuid'", "\"$uuid\""));
    out.println("done");
  }

  /** Deletes every mapping of {@code function} on the stream; returns how many. */
  static int run(CommandRunner runner, String function, String streamArn, String region) {
    CommandRunner.Result listed = runner.run(MappingCommands.list(function, streamArn, region));
    if (listed.exitCode() != 0) {
      throw new Refused(
          "aws lambda list-event-source-mappings failed (exit " + listed.exitCode() + ")");
    }
    List<String> uuids =
        Arrays.stream(listed.stdout().strip().split("\\s+"))
            .filter(s -> !s.isBlank() && !s.equals("None"))
            .toList();
    for (String uuid : uuids) {
      CommandRunner.Result deleted = runner.run(MappingCommands.delete(uuid, region));
      if (deleted.exitCode() != 0) {
        throw new Refused(
            "aws lambda delete-event-source-mapping --uuid "
                + uuid
                + " failed (exit "
                + deleted.exitCode()
                + ")");
      }
    }
    return uuids.size();
  }
}
