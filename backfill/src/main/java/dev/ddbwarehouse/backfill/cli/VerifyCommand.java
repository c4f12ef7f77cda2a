package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.backfill.verify.ComparisonReport;
import dev.ddbwarehouse.backfill.verify.ItemVersion;
import dev.ddbwarehouse.backfill.verify.WarehouseComparison;
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
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Compares the source's keys (and versions) with warehouse rows and quarantined records; lists what is missing.",
      "Exit 1 when an item is missing or the warehouse holds an older version of it."
    })
final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;
  @Mixin WarehouseOptions warehouse;

  @Option(
      names = "--source",
      paramLabel = "TABLE",
      required = true,
      description = "Table to compare (source, or a shadow).")
  String source;

  @Option(
      names = "--id-attribute",
      paramLabel = "NAME",
      description = "Attribute holding the transaction id (default: the partition key).")
  String idAttribute;

  @Option(
      names = "--version-attributes",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "updatedAt,createdAt",
      description = {
        "Item version attributes, first usable wins (default ${DEFAULT-VALUE}).",
        "As the mapping defines the version."
      })
  List<String> versionAttributes;

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
      description = "Missing / outdated ids to list (default ${DEFAULT-VALUE}).")
  int list;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (DynamoDbClient client = dynamo.client()) {
      TableInfo table = new Tables(client).describe(source);
      String id = idAttribute != null ? idAttribute : table.keySchema().partition().name();
      WarehouseComparison comparison =
          new WarehouseComparison(
              client,
              warehouse.database(System.getenv()),
              id,
              new ItemVersion(versionAttributes),
              segments,
              list);
      ComparisonReport report = comparison.compare(source);
      report.lines("verify").forEach(out::println);
      return report.pending() == 0 ? 0 : 1;
    }
  }
}
