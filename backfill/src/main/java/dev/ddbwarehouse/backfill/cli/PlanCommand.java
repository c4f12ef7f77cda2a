package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.plan.BackfillPlan;
import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description =
        "Key schema, item count and size, estimated duration; warns past the stream's 24 h.")
final class PlanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;

  @Option(names = "--source", paramLabel = "TABLE", required = true, description = "Source table.")
  String source;

  @Option(
      names = "--rate",
      paramLabel = "ITEMS_PER_S",
      defaultValue = "1000",
      description = "Copy rate the estimate assumes (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--processing-rate",
      paramLabel = "RECORDS_PER_S",
      defaultValue = "2000",
      description = {
        "Records/s the function takes from the shadow stream (default ${DEFAULT-VALUE}).",
        "See the README's performance figures."
      })
  double processingRate;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (DynamoDbClient client = dynamo.client()) {
      TableInfo table = new Tables(client).describe(source);
      BackfillPlan plan =
          new BackfillPlan(table.itemCount(), table.sizeBytes(), rate, processingRate);
      out.println("source:      " + table.name() + " (" + table.status() + ")");
      out.println("key schema:  " + table.keySchema());
      out.println(
          "stream:      "
              + (table.hasStream()
                  ? table.streamView() + " (live mapping can read it)"
                  : "NONE: enable it and deploy the live mapping first"));
      out.printf(
          Locale.ROOT,
          "items:       ~%,d (DynamoDB's estimate, refreshed about every 6 hours)%n",
          plan.items());
      out.printf(
          Locale.ROOT,
          "size:        ~%s (average item %s)%n",
          BackfillPlan.bytes(plan.bytes()),
          BackfillPlan.bytes(plan.averageItemBytes()));
      out.printf(
          Locale.ROOT,
          "copy:        %s at --rate %.0f items/s%n",
          BackfillPlan.human(plan.copy()),
          rate);
      out.printf(
          Locale.ROOT,
          "processing:  %s at %.0f records/s%n",
          BackfillPlan.human(plan.processing()),
          processingRate);
      out.printf(
          Locale.ROOT,
          "total:       %s (conservative: processing after the copy)%n",
          BackfillPlan.human(plan.total()));
      plan.warnings().forEach(out::println);
      out.printf(
          Locale.ROOT,
          "PLAN items=%d bytes=%d copy_s=%d processing_s=%d exceeds_retention=%s%n",
          plan.items(),
          plan.bytes(),
          plan.copy().toSeconds(),
          plan.processing().toSeconds(),
          plan.exceedsRetention());
    }
    return 0;
  }
}
