package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Command(
    name = "create-shadow",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description =
        "Creates the shadow table (same key schema, on-demand, NEW_IMAGE stream, tagged); idempotent.")
final class CreateShadowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;

  @Option(names = "--source", paramLabel = "TABLE", required = true, description = "Source table.")
  String source;

  @Option(
      names = "--shadow",
      paramLabel = "TABLE",
      description = "Shadow table (default: SOURCE-backfill).")
  String shadow;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String name = shadow != null ? shadow : ShadowTables.defaultName(source);
    try (DynamoDbClient client = dynamo.client()) {
      ShadowTables.Created created = new ShadowTables(new Tables(client)).create(source, name);
      out.println(
          (created.existed() ? "shadow exists, same key schema: " : "created shadow: ")
              + created.shadow().name()
              + " ["
              + created.shadow().keySchema()
              + "]");
      out.println("stream: " + created.shadow().streamArn());
      out.println(
          "next: attach it (backfill attach --shadow " + name + " --stage STAGE), then copy.");
      out.println(
          "SHADOW table="
              + created.shadow().name()
              + " stream_arn="
              + created.shadow().streamArn()
              + " existed="
              + created.existed());
    }
    return 0;
  }
}
