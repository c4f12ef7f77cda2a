package dev.ddbwarehouse.sink.jooq;

import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The replay guards of the merge ({@link dev.ddbwarehouse.core.change.ChangeOrder} in SQL): which
 * staged change may replace the stored row of its key.
 */
final class VersionGuard {

  private VersionGuard() {}

  /**
   * The guard for an image: from the stored row's stream, a later sequence number; from another
   * stream, a strictly newer version. Also, re-keying after a rotation: an image of the same item
   * version replaces a live row whose pseudonyms come from one of {@code olderKeyVersions} (the
   * ring's versions other than the active one). Same version, same item: only the pseudonyms
   * change, and an older item version never wins. A row under a version this ring does not know
   * (written by an environment that has a newer ring) is left alone, so environments on the old and
   * the new ring cannot take a row back and forth while a rotation rolls out.
   */
  static Condition imageIsNewer(BoundTable t, List<String> olderKeyVersions) {
    Condition newer =
        laterInTheSameStream(t)
            .or(
                excluded(t.sourceStream)
                    .ne(t.sourceStream)
                    .and(excluded(t.sourceVersion).gt(t.sourceVersion)));
    if (olderKeyVersions.isEmpty()) return newer;
    return newer.or(
        excluded(t.sourceVersion)
            .eq(t.sourceVersion)
            .and(t.deletedAt.isNull())
            .and(t.keyVersion.in(olderKeyVersions)));
  }

  /**
   * The guard for a delete: it wins over every earlier change of its own stream, and over another
   * stream's image unless that image is newer than the delete (the item was written again after
   * it); on a row already deleted it is a no-op.
   */
  static Condition deleteApplies(BoundTable t) {
    return t.deletedAt
        .isNull()
        .and(
            laterInTheSameStream(t)
                .or(
                    excluded(t.sourceStream)
                        .ne(t.sourceStream)
                        .and(excluded(t.sourceVersion).ge(t.sourceVersion))));
  }

  private static Condition laterInTheSameStream(BoundTable t) {
    return excluded(t.sourceStream)
        .eq(t.sourceStream)
        .and(excluded(t.sourceSequence).gt(t.sourceSequence));
  }

  static <V> Field<V> excluded(Field<V> f) {
    return DSL.field(DSL.name("excluded", f.getName()), f.getDataType());
  }
}
