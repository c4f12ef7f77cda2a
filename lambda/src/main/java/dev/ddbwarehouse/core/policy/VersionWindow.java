package dev.ddbwarehouse.core.policy;

import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * How far an image's version (updatedAt, else createdAt) may lie from the moment DynamoDB stamped
 * the record (ApproximateCreationDateTime). A version far ahead is a bad clock or a sentinel such
 * as 9999-12-31; stored, it would make every later, correct image look older and freeze the row.
 *
 * @param ahead the most a version may be later, or null for no bound
 * @param behind the most a version may be earlier, or null for no bound: the default, since a
 *     backfill replays items last written years ago
 */
public record VersionWindow(Duration ahead, Duration behind) {

  /** One day ahead covers any real clock skew; no bound behind. */
  public static final VersionWindow DEFAULT = new VersionWindow(Duration.ofDays(1), null);

  private static final Set<String> FIELDS = Set.of("ahead", "behind");

  public VersionWindow {
    if ((ahead != null && ahead.isNegative()) || (behind != null && behind.isNegative())) {
      throw new IllegalArgumentException("version window bounds must not be negative");
    }
  }

  /** True when {@code version} lies within the window around {@code stamped}. */
  public boolean admits(Instant version, Instant stamped) {
    if (ahead != null && version.isAfter(stamped.plus(ahead))) return false;
    return behind == null || !version.isBefore(stamped.minus(behind));
  }

  /** {@code {"ahead": "P1D", "behind": "off"}}: ISO-8601 durations, "off" for no bound. */
  static VersionWindow parse(JsonValue value, VersionWindow base, String where) {
    if (!(value instanceof JsonValue.Obj entry)) {
      throw new InvalidConfigurationException(where + " must be an object");
    }
    for (String f : entry.fields().keySet()) {
      if (!FIELDS.contains(f)) {
        throw new InvalidConfigurationException(
            where + ": unknown field \"" + f + "\" (allowed: " + FIELDS + ")");
      }
    }
    Duration ahead = entry.get("ahead") == null ? base.ahead() : bound(entry, "ahead", where);
    Duration behind = entry.get("behind") == null ? base.behind() : bound(entry, "behind", where);
    return new VersionWindow(ahead, behind);
  }

  private static Duration bound(JsonValue.Obj entry, String field, String where) {
    String text = entry.text(field);
    if ("off".equals(text)) return null;
    try {
      Duration d = Duration.parse(String.valueOf(text));
      if (!d.isNegative() && !d.isZero()) return d;
    } catch (DateTimeParseException e) {
      // falls through to the error below
    }
    throw new InvalidConfigurationException(
        where
            + "."
            + field
            + " must be a positive ISO-8601 duration (e.g. \"P1D\", \"PT6H\") or \"off\"");
  }
}
