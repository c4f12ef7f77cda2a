package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.Change;

/**
 * The write path of a batch while it is still being read: each change goes to the warehouse as it
 * is mapped, so the database works on the first rows while the rest are parsed. Fast, not general:
 * anything it cannot take (a key twice, a second table, a re-key, a subject on the suppression
 * list, an INSERT after other changes were sent by the direct COPY, any database error) ends it,
 * nothing of it is committed, and the batch is written the whole way ({@link WarehouseSink#write}),
 * which is right for every batch.
 */
public interface StreamedLane {

  /**
   * Sends an image or a delete; false when the lane cannot take it (then call abandon).
   *
   * @throws dev.ddbwarehouse.core.TransientFailureException when the database failed and the
   *     invocation has no time left to write the batch another way: the lane is ended
   */
  boolean add(Change.Write change);

  /**
   * Commits what was added; false when that failed and nothing is committed.
   *
   * @throws dev.ddbwarehouse.core.TransientFailureException as {@link #add}
   */
  boolean commit();

  /** Rolls back what was added. */
  void abandon();
}
