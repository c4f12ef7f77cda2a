package dev.ddbwarehouse.backfill.drain;

import dev.ddbwarehouse.backfill.BackfillException.NotDrained;
import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import java.time.Duration;

/**
 * The last step: only a table tagged as a shadow, only once its stream is drained, detach first (so
 * the mapping never reads a disabled stream), then delete the table.
 */
public final class Teardown {

  private final Tables tables;

  public Teardown(Tables tables) {
    this.tables = tables;
  }

  /** What was torn down. */
  public record Done(String shadow, Drain drain) {}

  /**
   * @param source when given, the shadow must be tagged as this table's shadow
   * @param detach removes the mapping from the shadow stream; runs only when drained
   */
  public Done run(String shadow, String source, DrainCheck drainCheck, Runnable detach)
      throws InterruptedException {
    TableInfo info = new ShadowTables(tables).requireShadow(shadow, source);
    Drain drain = drainCheck.check();
    if (!drain.drained()) {
      throw new NotDrained(
          "refusing to tear down "
              + info.name()
              + ": its stream is not drained ("
              + drain.detail()
              + "); wait for the mapping to catch up (IteratorAge near 0) and run teardown again");
    }
    detach.run();
    tables.delete(info.name(), Duration.ofMinutes(5));
    return new Done(info.name(), drain);
  }
}
