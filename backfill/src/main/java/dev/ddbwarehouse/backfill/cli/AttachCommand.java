package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.mapping.CommandRunner;
import dev.ddbwarehouse.backfill.mapping.MappingCommands;
import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Attaches the shadow stream to the function with the live mapping's settings.",
      "Prints the 'aws lambda create-event-source-mapping' command; --execute runs it.",
      "Alternative: BackfillStreamArn in deploy/STAGE.env and scripts/deploy.sh (see docs/backfill.md)."
    })
final class AttachCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;
  @Mixin FunctionOptions function;

  @Option(names = "--shadow", paramLabel = "TABLE", required = true, description = "Shadow table.")
  String shadow;

  @Option(
      names = "--failure-destination",
      paramLabel = "ARN",
      description =
          "The live mapping's on-failure queue ARN (the stack's FailureQueue); required with --execute.")
  String failureDestination;

  @Option(names = "--execute", description = "Run the AWS CLI command instead of printing it.")
  boolean execute;

  CommandRunner runner = CommandRunner.PROCESS;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TableInfo table;
    try (DynamoDbClient client = dynamo.client()) {
      table = new ShadowTables(new Tables(client)).requireShadow(shadow, null);
    }
    if (execute && failureDestination == null) {
      throw new Refused(
          "--execute needs --failure-destination: a backfill mapping without one would drop failed batches silently");
    }
    List<String> command =
        MappingCommands.create(
            function.function(),
            table.streamArn(),
            function.settings(),
            failureDestination,
            dynamo.region());
    out.println("# settings from " + function.settingsOrigin());
    if (!execute) {
      out.println(MappingCommands.shellLine(command));
      out.println(
          "# or: set BackfillStreamArn="
              + table.streamArn()
              + " in the stage file and run scripts/deploy.sh");
      return 0;
    }
    CommandRunner.Result result = runner.run(command);
    if (result.exitCode() != 0) {
      throw new Refused(
          "aws lambda create-event-source-mapping failed (exit "
              + result.exitCode()
              + "), see its message above");
    }
    out.print(result.stdout());
    out.println("ATTACHED stream_arn=" + table.streamArn() + " function=" + function.function());
    return 0;
  }
}
