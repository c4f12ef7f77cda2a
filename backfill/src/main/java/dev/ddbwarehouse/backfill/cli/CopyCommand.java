package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.copy.Backoff;
import dev.ddbwarehouse.backfill.copy.CheckpointFile;
import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.copy.CopyResult;
import dev.ddbwarehouse.backfill.copy.CopySettings;
import dev.ddbwarehouse.backfill.copy.ParallelCopy;
import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.cli.ProjectVersion;
import dev.ddbwarehouse.cli.VerboseOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Copies the source into the shadow: parallel scan, BatchWriteItem in 25s, rate-limited, checkpointed.",
      "Run it only after the live mapping is deployed (--live-mapping-confirmed) and the shadow is attached."
    })
final class CopyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;
  @Mixin DynamoOptions dynamo;

  @Option(names = "--source", paramLabel = "TABLE", required = true, description = "Source table.")
  String source;

  @Option(
      names = "--shadow",
      paramLabel = "TABLE",
      required = true,
      description = "Shadow table (made by create-shadow).")
  String shadow;

  @Option(
      names = "--segments",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parallel scan segments = copy threads (default ${DEFAULT-VALUE}).")
  int segments;

  @Option(
      names = "--rate",
      paramLabel = "ITEMS_PER_S",
      defaultValue = "1000",
      description =
          "Client-side limit over all threads, items/s; 0 = unlimited (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--page-size",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Items per Scan page, the unit a resume may write twice (default ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description = "Checkpoint file (default: .backfill/SOURCE--SHADOW.checkpoint.json).")
  Path checkpoint;

  @Option(names = "--resume", description = "Continue the run recorded in the checkpoint file.")
  boolean resume;

  @Option(
      names = "--live-mapping-confirmed",
      description =
          "Confirms the live mapping on the source stream is deployed and running; copy refuses without it.")
  boolean liveMappingConfirmed;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!liveMappingConfirmed) {
      throw new Refused(
          "copy runs only once the live mapping on the source stream is deployed: otherwise changes made during the"
              + " copy reach neither the shadow nor the warehouse. Deploy it, then pass --live-mapping-confirmed");
    }
    CopySettings settings =
        new CopySettings(source, shadow, segments, pageSize, rate, Backoff.defaults());
    Path file =
        checkpoint != null
            ? checkpoint
            : CheckpointFile.defaultPath(Path.of(".backfill"), source, shadow);
    try (DynamoDbClient client = dynamo.client()) {
      Tables tables = new Tables(client);
      TableInfo src = tables.describe(source);
      if (!src.hasStream()) {
        throw new Refused(
            "source "
                + source
                + " has no stream, so no live mapping can be reading it; enable the stream and deploy the live mapping first");
      }
      ShadowTables.requireCompatible(src, new ShadowTables(tables).requireShadow(shadow, source));
      CheckpointFile cp =
          resume
              ? CheckpointFile.resume(file, source, shadow, segments)
              : CheckpointFile.start(file, source, shadow, segments);
      if (cp.complete()) {
        out.println(
            "checkpoint "
                + file
                + " says the copy is complete ("
                + cp.itemsCopied()
                + " items); nothing to do");
        return 0;
      }
      err.println(
          (resume ? "resuming" : "starting")
              + " copy "
              + source
              + " -> "
              + shadow
              + " ("
              + segments
              + " segments, "
              + (rate > 0 ? rate + " items/s" : "no rate limit")
              + ", checkpoint "
              + file
              + ")");
      ParallelCopy copy = new ParallelCopy(client, settings, cp, CopyListener.NONE);
      CopyResult result = runInterruptibly(copy, src.itemCount(), err);
      out.println(summary(result));
      out.println(result.summaryLine());
      return result.complete() ? 0 : 130;
    }
  }

  /**
   * Runs the copy; Ctrl-C stops it at the next chunk and still prints the counts. The bar draws on
   * its own thread while the copy runs; the try only closes it.
   */
  @SuppressWarnings("try")
  private static CopyResult runInterruptibly(ParallelCopy copy, long total, PrintWriter err)
      throws InterruptedException {
    long before = copy.checkpoint().itemsCopied();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              copy.cancel();
              try {
                // let the threads reach a chunk boundary and the checkpoint settle
                finished.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "copy-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try (CopyBar bar = new CopyBar(err, () -> copy.counters().written(), total - before).start()) {
      return copy.run();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        err.println("interrupted: continue with the same command and --resume");
      }
    }
  }

  static String summary(CopyResult r) {
    return (r.complete() ? "copy complete: " : "copy stopped (resume with --resume): ")
        + r.copied()
        + " items in the shadow"
        + (r.copiedBefore() > 0 ? " (" + r.copiedBefore() + " from earlier runs)" : "")
        + "; this run scanned "
        + r.scanned()
        + ", wrote "
        + r.written()
        + " in "
        + r.requests()
        + " requests ("
        + r.unprocessedRetried()
        + " unprocessed items retried, "
        + r.throttled()
        + " throttled requests), "
        + String.format(Locale.ROOT, "%.0f items/s", r.itemsPerSecond());
  }
}
