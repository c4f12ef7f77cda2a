package dev.ddbwarehouse.backfill.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long a backfill of {@code items} takes: the copy at the client-side rate, and the function
 * working through the shadow stream at {@code processingRate}. Every record is trimmed from the
 * shadow stream 24 hours after it is written, so the plan warns when copy plus processing could
 * outlast that: the last records read could then already be gone.
 */
public record BackfillPlan(long items, long bytes, double rate, double processingRate) {

  public static final Duration STREAM_RETENTION = Duration.ofHours(24);

  public BackfillPlan {
    if (items < 0 || bytes < 0) {
      throw new IllegalArgumentException("item count and size must be >= 0");
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be > 0 items/s for a plan, was " + rate);
    }
    if (!(processingRate > 0)) {
      throw new IllegalArgumentException(
          "--processing-rate must be > 0 records/s, was " + processingRate);
    }
  }

  public Duration copy() {
    return seconds(items / rate);
  }

  public Duration processing() {
    return seconds(items / processingRate);
  }

  /** Conservative: as if processing started only when the copy ended. */
  public Duration total() {
    return copy().plus(processing());
  }

  public boolean exceedsRetention() {
    return total().compareTo(STREAM_RETENTION) > 0;
  }

  /**
   * Write capacity the copy consumes: on-demand bills one write unit per started KiB of an item.
   */
  public long averageItemBytes() {
    return items == 0 ? 0 : bytes / items;
  }

  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (exceedsRetention()) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "WARNING: copy (%s) plus processing (%s) is %s, more than the stream's 24-hour retention;"
                  + " records not processed within 24 h of their copy are lost. Raise --rate if the"
                  + " function keeps up, or back fill in parts (e.g. one copy per key range or month).",
              human(copy()),
              human(processing()),
              human(total())));
    }
    if (rate > processingRate) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "note: --rate %.0f/s is above the processing rate %.0f/s: the shadow stream builds a backlog"
                  + " (watch the function's IteratorAge).",
              rate,
              processingRate));
    }
    return warnings;
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis((long) Math.ceil(s * 1000));
  }

  /** {@code 1h 02m 03s}-style. */
  public static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60);
  }

  public static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
