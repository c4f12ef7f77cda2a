package dev.ddbwarehouse.local.cli;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.lambda.TransactionStreamHandler;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.stream.LambdaEventParser;
import dev.ddbwarehouse.schema.WarehouseMigrations;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/invoke-local.sh}: one event file through the real handler, like sam local invoke.
 */
@Command(
    name = "invoke-local.sh",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the real handler once on a Lambda event JSON file against a PostgreSQL database and",
      "prints the handler's response JSON ({\"batchItemFailures\":[...]}) as the last line of stdout.",
      "Logs go to stderr. Exit code 0 whenever the handler ran, whatever it answered."
    })
public final class InvokeLocal implements Callable<Integer> {

  @Option(
      names = "--event",
      required = true,
      paramLabel = "FILE",
      description = "Lambda DynamoDB stream event JSON.")
  Path event;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "FILE",
      description =
          "Key file, same JSON as the secret: {\"active\":\"v1\",\"keys\":{\"v1\":\"<base64>\"}}."
              + " Default: .local/hmac-secret.json, generated on first use.")
  Path hmacSecretFile;

  @Option(
      names = "--mapping",
      paramLabel = "FILE",
      description = "Mapping/policy JSON (default: built-in policy).")
  Path mapping;

  @Option(
      names = "--ttl-deletes",
      paramLabel = "MODE",
      description = "ignore (default) or soft-delete.")
  String ttlDeletes;

  @Option(names = "--migrate", description = "Apply the Flyway migrations first.")
  boolean migrate;

  private final PrintStream out;
  private final PrintStream err;

  InvokeLocal(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // The handler logs to System.out, as Lambda expects; here stdout carries only the response.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    System.exit(run(stdout, System.err, args));
  }

  /** Runs the command; returns the exit code (tests call this instead of main). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return new CommandLine(new InvokeLocal(out, err))
        .setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(err, true))
        .execute(args);
  }

  @Override
  public Integer call() throws Exception {
    String url =
        database
            .jdbcUrl()
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        new CommandLine(this), "--jdbc-url is required"));
    String user;
    try {
      user = database.user();
    } catch (IllegalArgumentException e) {
      err.println("invoke-local: " + e.getMessage());
      return 2;
    }
    if (migrate) {
      int applied = WarehouseMigrations.migrate(url, user, database.password());
      err.println("migrations applied: " + applied);
    }
    Path key = HmacSecretFile.resolve(hmacSecretFile, HmacSecretFile.stateDir(), err);
    DynamodbEvent parsed;
    try (InputStream in = Files.newInputStream(event)) {
      parsed = new LambdaEventParser().parse(in);
    } catch (RuntimeException e) {
      // Parser messages may quote the input; the exception type is enough to act on.
      err.println(
          "invoke-local: could not parse "
              + event
              + " as a DynamoDB stream event ("
              + e.getClass().getSimpleName()
              + ")");
      return 1;
    }
    TransactionStreamHandler handler;
    StreamsEventResponse response;
    try {
      handler =
          WarehouseFunction.handler(
              new WarehouseFunction.Settings(
                  url, user, database.password(), key, mapping, ttlDeletes),
              this::log);
      response = handler.handleRequest(parsed, null);
    } catch (RuntimeException e) {
      err.println(
          "invoke-local: the handler could not run: "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
      return 1;
    }
    out.println(toJson(response));
    return 0;
  }

  private void log(BatchReport report) {
    err.printf(
        "batch: %d records in, %d upserted, %d deleted, %d ignored, %d quarantined %s, dropped attributes %s, %s in %d ms%n",
        report.recordsIn(),
        report.upserted(),
        report.deleted(),
        report.ignored(),
        report.quarantined(),
        report.quarantinedByCode(),
        report.droppedAttributes(),
        report.committed() ? "committed" : "rolled back",
        report.durationNanos() / 1_000_000);
  }

  /** The response as the Lambda Java runtime would serialize it. */
  static String toJson(StreamsEventResponse response) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    LambdaEventSerializers.serializerFor(
            StreamsEventResponse.class, InvokeLocal.class.getClassLoader())
        .toJson(response, json);
    return json.toString(StandardCharsets.UTF_8).strip();
  }
}
