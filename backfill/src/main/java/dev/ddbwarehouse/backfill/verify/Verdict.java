package dev.ddbwarehouse.backfill.verify;

/** Where one source item stands in the warehouse. */
public enum Verdict {
  /** A live row at the item's version or newer. */
  PRESENT,
  /** A soft-deleted row at the item's version or newer: deleted after the item was read. */
  DELETED_SINCE,
  /** No usable row, but the function quarantined a record with this key. */
  QUARANTINED,
  /** A row older than the item: the item's current version has not arrived. */
  OUTDATED,
  /** Neither a row nor a quarantined record. */
  MISSING,
  /** The item has no usable key (a key attribute missing or blank): the function quarantines it. */
  NO_ID;

  /** Whether this item still has to arrive. */
  public boolean pending() {
    return this == OUTDATED || this == MISSING;
  }
}
