package dev.ddbwarehouse.backfill.copy;

/**
 * One copy from the source table into its shadow.
 *
 * @param segments parallel scan segments, each copied by its own thread
 * @param pageSize items per Scan page (its Limit); a page is the unit a resume may write again
 * @param rate client-side limit in items per second over all threads; 0 = unlimited
 */
public record CopySettings(
    String source, String shadow, int segments, int pageSize, double rate, Backoff backoff) {

  /** DynamoDB's limit on TotalSegments. */
  public static final int MAX_SEGMENTS = 1_000_000;

  public CopySettings {
    if (source == null || source.isBlank() || shadow == null || shadow.isBlank()) {
      throw new IllegalArgumentException("--source and --shadow are required");
    }
    if (source.equals(shadow)) {
      throw new IllegalArgumentException("--shadow must differ from --source");
    }
    if (segments < 1 || segments > MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "--segments must be 1.." + MAX_SEGMENTS + ", was " + segments);
    }
    if (pageSize < 1) {
      throw new IllegalArgumentException("--page-size must be >= 1, was " + pageSize);
    }
    if (rate < 0 || Double.isNaN(rate)) {
      throw new IllegalArgumentException(
          "--rate must be >= 0 items/s (0 = unlimited), was " + rate);
    }
  }
}
