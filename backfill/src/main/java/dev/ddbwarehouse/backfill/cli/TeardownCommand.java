package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.drain.Teardown;
import dev.ddbwarehouse.backfill.drain.WarehouseDrainCheck;
import dev.ddbwarehouse.backfill.mapping.CommandRunner;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.backfill.verify.StoredKeys;
import dev.ddbwarehouse.backfill.verify.WarehouseComparison;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.table.TableSpec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Command(
    name = "teardown",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Detaches and deletes the shadow table once its stream is drained; refuses otherwise (exit 4).",
      "Drained: every shadow item is in the warehouse at its version (or quarantined).",
      "Detach with --execute (AWS CLI), or confirm it was done (SAM redeploy) with --detached-confirmed."
    })
final class TeardownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;
  @Mixin WarehouseOptions warehouse;
  @Mixin FunctionOptions function;
  @Mixin MappingOptions mapping;

  @Option(
      names = "--shadow",
      paramLabel = "TABLE",
      required = true,
      description = "Shadow table: a mapping document entry's shadow.")
  String shadow;

  @Option(
      names = "--source",
      paramLabel = "TABLE",
      description = "When given, the shadow must be tagged as this table's shadow.")
  String source;

  @Option(names = "--execute", description = "Detach with the AWS CLI, then delete the shadow.")
  boolean execute;

  @Option(
      names = "--detached-confirmed",
      description = "The mapping was already removed (e.g. SAM redeploy): only delete the shadow.")
  boolean detachedConfirmed;

  CommandRunner runner = CommandRunner.PROCESS;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (!execute && !detachedConfirmed) {
      throw new Refused(
          "teardown deletes the shadow table: pass --execute to detach with the AWS CLI first, or --detached-confirmed"
              + " once the mapping is gone (BackfillStreamArn emptied and redeployed, or 'backfill detach')");
    }
    TableSpec entry = mapping.forShadow(shadow);
    StoredKeys keys = mapping.keys(entry);
    try (DynamoDbClient client = dynamo.client()) {
      Tables tables = new Tables(client);
      WarehouseComparison comparison =
          new WarehouseComparison(
              client,
              warehouse.database(System.getenv()),
              keys,
              mapping.quarantineTables(entry, shadow),
              4,
              5);
      String streamArn = tables.describe(shadow).streamArn();
      Runnable detach =
          execute
              ? () ->
                  out.println(
                      "detached: "
                          + DetachCommand.run(
                              runner, function.function(), streamArn, dynamo.region())
                          + " mapping(s) removed")
              : () -> out.println("detach confirmed by the operator");
      Teardown.Done done =
          new Teardown(tables)
              .run(shadow, source, new WarehouseDrainCheck(comparison, shadow), detach);
      out.println("drained: " + done.drain().detail());
      out.println("TEARDOWN shadow=" + done.shadow() + " deleted=true");
      return 0;
    }
  }
}
