package dev.ddbwarehouse.backfill.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code aws lambda} commands that attach the shadow stream to the function and detach it
 * again, with the live mapping's settings (the SDK's lambda module is not available to this
 * project, so the AWS CLI does the call). Commands are argument lists, run without a shell.
 */
public final class MappingCommands {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private MappingCommands() {}

  /**
   * {@code aws lambda create-event-source-mapping} for the shadow stream.
   *
   * @param function function name or ARN with the alias the live mapping invokes
   * @param failureDestination ARN of the live mapping's on-failure queue; null leaves it out
   */
  public static List<String> create(
      String function,
      String streamArn,
      LiveMappingSettings settings,
      String failureDestination,
      String region) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "aws",
                "lambda",
                "create-event-source-mapping",
                "--function-name",
                function,
                "--event-source-arn",
                streamArn,
                "--starting-position",
                "TRIM_HORIZON",
                "--batch-size",
                Integer.toString(settings.batchSize()),
                "--maximum-batching-window-in-seconds",
                Integer.toString(settings.maximumBatchingWindowInSeconds()),
                "--bisect-batch-on-function-error",
                "--maximum-retry-attempts",
                Integer.toString(settings.maximumRetryAttempts()),
                "--maximum-record-age-in-seconds",
                Integer.toString(settings.maximumRecordAgeInSeconds()),
                "--function-response-types",
                "ReportBatchItemFailures"));
    if (failureDestination != null) {
      cmd.addAll(
          List.of("--destination-config", "OnFailure={Destination=" + failureDestination + "}"));
    }
    return withRegion(cmd, region);
  }

  /** Lists the UUIDs of the function's mappings on the shadow stream, one per line of output. */
  public static List<String> list(String function, String streamArn, String region) {
    return withRegion(
        new ArrayList<>(
            List.of(
                "aws",
                "lambda",
                "list-event-source-mappings",
                "--function-name",
                function,
                "--event-source-arn",
                streamArn,
                "--query",
                "EventSourceMappings[].UUID",
                "--output",
                "text")),
        region);
  }

  public static List<String> delete(String uuid, String region) {
    return withRegion(
        new ArrayList<>(List.of("aws", "lambda", "delete-event-source-mapping", "--uuid", uuid)),
        region);
  }

  private static List<String> withRegion(List<String> cmd, String region) {
    if (region != null && !region.isBlank()) {
      cmd.addAll(List.of("--region", region));
    }
    return List.copyOf(cmd);
  }

  /** The command as one line a shell runs unchanged: anything unusual is single-quoted. */
  public static String shellLine(List<String> cmd) {
    return cmd.stream().map(MappingCommands::quote).collect(Collectors.joining(" "));
  }

  static String quote(String arg) {
    if (SAFE.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\"'\"'") + "'";
  }
}
