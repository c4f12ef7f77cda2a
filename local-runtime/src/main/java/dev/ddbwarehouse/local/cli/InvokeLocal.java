package dev.ddbwarehouse.local.cli;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.ddbwarehouse.cli.Cli;
import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.lambda.LocalContext;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.pipeline.HandlerInvocation;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/invoke-local.sh}: one event file through the real handler, like sam local invoke.
 */
@Command(
    name = "invoke-local.sh",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    sortOptions = false,
    description = {
      "Runs the real handler once on a Lambda DynamoDB stream event JSON file against a PostgreSQL database.",
      "Prints the handler's response JSON ({\"batchItemFailures\":[...]}) as the last line of stdout; logs go to stderr."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the handler committed the batch (batchItemFailures empty)",
      "1:the handler reported the batch for retry (batchItemFailures not empty) or threw",
      "2:bad option, missing file, not a Lambda DynamoDB stream event, not a PostgreSQL URL, invalid key"
          + " or mapping file",
      "3:the database is unreachable, refused the login, does not exist, or refused the migrations",
      "70:a bug in the tool (--verbose prints the stack trace)"
    })
public final class InvokeLocal implements Callable<Integer> {

  /** The SAM template's default {@code Timeout} (SamTemplateTest keeps them equal). */
  public static final int DEFAULT_TIMEOUT_SECONDS = 120;

  @Option(
      names = "--event",
      required = true,
      paramLabel = "FILE",
      description = "Lambda DynamoDB stream event JSON ({\"Records\":[...]}).")
  Path event;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--hmac-secret-file",
      paramLabel = "FILE",
      description =
          "Key file (default: .local/hmac-secret.json, generated on first use), the same JSON as the"
              + " secret: {\"active\":\"v1\",\"keys\":{\"v1\":\"<base64>\"}}.")
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

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description =
          "The function timeout: the context's remaining time when the handler starts (default: "
              + DEFAULT_TIMEOUT_SECONDS
              + ", the SAM template's Timeout default; 1 to 900).")
  int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

  @Option(names = "--migrate", description = "Apply the Flyway migrations first.")
  boolean migrate;

  @Mixin VerboseOption verbose;

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
    return Cli.run(
        new InvokeLocal(out, err), new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Override
  public Integer call() {
    // Everything local first (flags, files, the event), then the database, then the handler.
    if (timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw CliFailure.usage(
          "--timeout must be from 1 to 900 seconds (Lambda's limits), was " + timeoutSeconds);
    }
    DatabaseLogin login = DatabaseLogin.of(database);
    InputFile.require(hmacSecretFile, "--hmac-secret-file", "a key file {\"active\":...}");
    InputFile.require(mapping, "--mapping", "a mapping document");
    byte[] parsed = EventFile.read(event);
    StreamHandler handler = handler(login);
    login.check();
    if (migrate) {
      err.println("migrations applied: " + login.migrate());
    }
    StreamsEventResponse response;
    try {
      response =
          HandlerInvocation.invoke(
              handler, parsed, LocalContext.startingNow(Duration.ofSeconds(timeoutSeconds)));
    } catch (RuntimeException e) {
      throw new CliFailure(
          ExitCode.FOUND,
          "the handler threw "
              + e.getClass().getSimpleName()
              + "; Lambda would retry the whole batch (run with --verbose for the stack trace)",
          e);
    }
    out.println(toJson(response));
    if (!response.getBatchItemFailures().isEmpty()) {
      throw CliFailure.found(
          "the handler reported the batch for retry from sequence number "
              + response.getBatchItemFailures().get(0).getItemIdentifier()
              + " (the batch log above says why)");
    }
    return ExitCode.OK;
  }

  private StreamHandler handler(DatabaseLogin login) {
    Path key = HmacSecretFile.resolve(hmacSecretFile, HmacSecretFile.stateDir(), err);
    WarehouseFunction.Settings settings =
        new WarehouseFunction.Settings(
            login.jdbcUrl(), login.user(), login.password(), key, mapping, ttlDeletes);
    return LocalHandler.create(settings, this::log);
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
        report.committed()
            ? "committed"
            : report.failure() == null ? "rolled back" : "rolled back (" + report.failure() + ")",
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
