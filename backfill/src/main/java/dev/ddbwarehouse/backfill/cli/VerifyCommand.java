package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.backfill.verify.ComparisonReport;
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
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Compares the source's keys (and versions) with warehouse rows and quarantined records; lists what is missing.",
      "The mapping document's entry for the table names the key, the version and the warehouse table.",
      "Exit 1 when an item is missing or the warehouse holds an older version of it."
    })
final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;
  @Mixin WarehouseOptions warehouse;
  @Mixin MappingOptions mapping;

  @Option(
      names = "--source",
      paramLabel = "TABLE",
      required = true,
      description = "Table to compare (an entry's source, or its shadow).")
  String source;

  @Option(
      names = "--segments",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parallel scan segments (default ${DEFAULT-VALUE}).")
  int segments;

  @Option(
      names = "--list",
      paramLabel = "N",
      defaultValue = "20",
      description = "Missing / outdated keys to list (default ${DEFAULT-VALUE}).")
  int list;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    TableSpec entry = mapping.forSource(source);
    StoredKeys keys = mapping.keys(entry);
    try (DynamoDbClient client = dynamo.client()) {
      new Tables(client).describe(source); // a missing table is exit 3, before the warehouse
      WarehouseComparison comparison =
          new WarehouseComparison(
              client,
              warehouse.database(System.getenv()),
              keys,
              mapping.quarantineTables(entry, source),
              segments,
              list);
      ComparisonReport report = comparison.compare(source);
      report.lines("verify").forEach(out::println);
      return report.pending() == 0 ? 0 : 1;
    }
  }
}
