package dev.ddbwarehouse.backfill.drain;

import dev.ddbwarehouse.backfill.verify.ComparisonReport;
import dev.ddbwarehouse.backfill.verify.WarehouseComparison;

/**
 * Drained when every item in the shadow table is in the warehouse at its version or newer (or was
 * quarantined). Works wherever the warehouse is reachable, in AWS too, where the position of a
 * Lambda event source mapping cannot be read: if each copied image has arrived, the stream holds
 * nothing the warehouse still needs.
 */
public final class WarehouseDrainCheck implements DrainCheck {

  private final WarehouseComparison comparison;
  private final String shadow;

  public WarehouseDrainCheck(WarehouseComparison comparison, String shadow) {
    this.comparison = comparison;
    this.shadow = shadow;
  }

  @Override
  public Drain check() throws InterruptedException {
    ComparisonReport report = comparison.compare(shadow);
    return new Drain(
        report.pending() == 0,
        report.pending(),
        report.items()
            + " items in "
            + shadow
            + ", "
            + report.pending()
            + " not yet in the warehouse at their version"
            + (report.missingSample().isEmpty()
                ? ""
                : " (e.g. " + report.missingSample().get(0) + ")"));
  }
}
