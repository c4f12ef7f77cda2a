package dev.ddbwarehouse.sink.jooq;

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
   * stream, a strictly newer version.
   */
  static Condition imageIsNewer(BoundTable t) {
    return laterInTheSameStream(t)
        .or(
            excluded(t.sourceStream)
                .ne(t.sourceStream)
                .and(excluded(t.sourceVersion).gt(t.sourceVersion)));
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
