package dev.ddbwarehouse.local.backfill;

import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.drain.Drain;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.pipeline.LocalPipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads items that already existed before the source table's stream (and so are in no stream) into
 * the warehouse through the backfill path, for {@code run-local.sh --preexisting N}: the {@link
 * LocalBackfill} flow with the local pipeline as the shadow's mapping.
 *
 * <p>Contract: when called, {@code source} has its stream and the live mapping of {@code pipeline}
 * already polls it. The loader copies every item of {@code source} into a shadow table whose stream
 * {@code pipeline} polls with the same settings and function (so its records count in the
 * pipeline's stats), returns once every copied record is settled and the shadow is gone, and throws
 * if that cannot be done. It never logs item values.
 */
public final class PreexistingLoader {

  /** A drained shadow stream is the only proof the items arrived; a stuck one fails the run. */
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);

  /** What the report says about the backfill. */
  public record Loaded(long copied, double itemsPerSecond, Duration elapsed) {

    public String reportLine() {
      return String.format(
          Locale.ROOT,
          "backfill    %,d preexisting items copied through a shadow table at %,.0f items/s; loaded, drained and torn down in %.1f s",
          copied,
          itemsPerSecond,
          elapsed.toNanos() / 1e9);
    }
  }

  public Loaded load(LocalPipeline pipeline, SourceTable source, PrintStream log)
      throws InterruptedException {
    long start = System.nanoTime();
    PipelinePoller poller = new PipelinePoller(pipeline);
    LocalBackfill backfill =
        new LocalBackfill(pipeline.dynamo().dynamoDb(), pipeline.dynamo().streams(), poller);
    LocalBackfill.Settings settings = LocalBackfill.Settings.of(source.name());
    log.println(
        "backfill: copying " + source.name() + " into shadow " + settings.shadow() + " ...");
    LocalBackfill.Loaded loaded = backfill.load(settings, CopyListener.NONE);
    if (!loaded.copy().complete()) {
      throw new IllegalStateException(
          "backfill copy of " + source.name() + " did not finish every segment");
    }
    Drain drain = backfill.awaitDrained(loaded, DRAIN_LIMIT);
    if (!drain.drained()) {
      throw new IllegalStateException(
          "backfill shadow stream not drained after " + DRAIN_LIMIT + ": " + drain.detail());
    }
    backfill.teardown(loaded);
    deleteCheckpoint(settings, log);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    log.printf(
        Locale.ROOT,
        "backfill: %,d items copied, shadow drained and deleted%n",
        loaded.copy().copied());
    return new Loaded(loaded.copy().copied(), loaded.copy().itemsPerSecond(), elapsed);
  }

  /**
   * The checkpoint only matters for resuming a copy; a finished local run leaves nothing behind.
   */
  private static void deleteCheckpoint(LocalBackfill.Settings settings, PrintStream log) {
    try {
      Files.deleteIfExists(settings.checkpoint());
      Files.deleteIfExists(settings.checkpoint().getParent());
    } catch (IOException e) {
      log.println(
          "backfill: could not delete the checkpoint "
              + settings.checkpoint()
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** Polls the shadow's stream with the pipeline, reporting settled records to the backfill. */
  private static final class PipelinePoller implements LocalBackfill.ShadowPoller {
    private final LocalPipeline pipeline;
    private final Map<String, AutoCloseable> running = new ConcurrentHashMap<>();

    PipelinePoller(LocalPipeline pipeline) {
      this.pipeline = pipeline;
    }

    @Override
    public void attach(String shadowTable, String streamArn, StreamPositions positions) {
      running.put(
          streamArn,
          pipeline.poll(new SourceTable(shadowTable, streamArn), new SettledPositions(positions)));
    }

    @Override
    public void detach(String streamArn) {
      AutoCloseable poller = running.remove(streamArn);
      if (poller == null) {
        return;
      }
      try {
        poller.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new IllegalStateException("stopping the shadow stream poller failed", e);
      }
    }
  }
}
