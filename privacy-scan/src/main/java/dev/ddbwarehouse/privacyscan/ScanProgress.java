package dev.ddbwarehouse.privacyscan;

/** Told how a scan advances, for a progress bar; called on the scanning thread. */
public interface ScanProgress {

  ScanProgress NONE = new ScanProgress() {};

  /** Before the scan: how many rows all scanned tables hold, by the planner's estimate. */
  default void started(int tables, long estimatedRows) {}

  /** {@code rows} more rows were read. */
  default void rows(long rows) {}
}
