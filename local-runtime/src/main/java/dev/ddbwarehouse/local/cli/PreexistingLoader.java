package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.pipeline.LocalPipeline;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Loads items that already existed before the source table's stream (and so are in no stream) into
 * the warehouse through the backfill path, for {@code run-local.sh --preexisting N}. Found with
 * {@link java.util.ServiceLoader}: the backfill module implements it, and depends on this module,
 * never the other way round.
 *
 * <p>Contract: when called, {@code source} has its stream and the live mapping of {@code pipeline}
 * already polls it. The loader copies every item of {@code source} into a shadow table whose stream
 * {@code pipeline} polls with the same settings and function (so its records count in the
 * pipeline's stats), returns once every copied record is settled and the shadow is gone, and throws
 * if that cannot be done. It never logs item values.
 */
public interface PreexistingLoader {

  Loaded load(LocalPipeline pipeline, SourceTable source, PrintStream log)
      throws InterruptedException;

  /** What the report says about the backfill. */
  record Loaded(long copied, double itemsPerSecond, Duration elapsed) {

    public String reportLine() {
      return String.format(
          Locale.ROOT,
          "backfill    %,d preexisting items copied through a shadow table at %,.0f items/s; loaded, drained and torn down in %.1f s",
          copied,
          itemsPerSecond,
          elapsed.toNanos() / 1e9);
    }
  }
}
