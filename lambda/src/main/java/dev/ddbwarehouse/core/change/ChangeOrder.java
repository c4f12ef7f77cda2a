package dev.ddbwarehouse.core.change;

import java.time.Instant;

/**
 * Which of two changes to the same item wins: the rule the batch reduction applies in memory and
 * the sink's SQL guards apply against the stored row.
 *
 * <ul>
 *   <li><b>Same stream: stream order.</b> A stream records an item's changes in the order DynamoDB
 *       made them, so the later sequence number wins, whatever the kind (a REMOVE after a MODIFY in
 *       the same second, or after an image whose application clock runs ahead of DynamoDB's, still
 *       deletes) and whatever the item's version says.
 *   <li><b>Across streams</b> (the live stream and a backfill shadow stream, which do not share
 *       sequence numbers): the item version decides. An image wins only with a strictly newer
 *       version; a delete wins over any image whose version is not newer than the delete (see
 *       {@link Change.Delete#version()}); a delete never replaces another delete.
 * </ul>
 */
public final class ChangeOrder {

  private ChangeOrder() {}

  /** True when {@code candidate}, met after {@code current} in a batch, replaces it. */
  public static boolean replaces(Change.Write candidate, Change.Write current) {
    if (stream(candidate).equals(stream(current))) {
      // Equal sequence numbers (seen only in hand-written events): the later record, as listed.
      return candidate.sequence().compareTo(current.sequence()) >= 0;
    }
    if (candidate instanceof Change.Delete delete) {
      return current instanceof Change.Upsert && !delete.version().isBefore(current.version());
    }
    return candidate.version().isAfter(current.version());
  }

  /**
   * The version a delete carries: the later of the deleted image's version (when the stream has old
   * images) and the end of the second DynamoDB stamped the delete with (its
   * ApproximateCreationDateTime is rounded down to the second), so that against another stream's
   * images a delete covers everything written before it.
   */
  public static Instant deleteVersion(Instant deletedImageVersion, Instant deletedAt) {
    Instant endOfSecond = deletedAt.getNano() == 0 ? deletedAt.plusNanos(999_999_000) : deletedAt;
    return deletedImageVersion != null && deletedImageVersion.isAfter(endOfSecond)
        ? deletedImageVersion
        : endOfSecond;
  }

  private static String stream(Change c) {
    return c.meta().eventSourceArn();
  }
}
