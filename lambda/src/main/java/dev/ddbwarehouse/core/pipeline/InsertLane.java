package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.Change;

/**
 * The write path of a batch of INSERTs while it is still being read: each image goes to the
 * warehouse as it is mapped, so the database works on the first rows while the rest are parsed.
 * Fast, not general: anything it cannot take (another kind of change, a key twice, a stored key, a
 * subject on the suppression list, any database error) ends it, nothing of it is committed, and the
 * batch is written the whole way ({@link WarehouseSink#write}), which is right for every batch.
 */
public interface InsertLane {

  /**
   * Sends the image of an INSERT; false when the lane cannot take it (then call abandon).
   *
   * @throws dev.ddbwarehouse.core.TransientFailureException when the database failed and the
   *     invocation has no time left to write the batch another way: the lane is ended
   */
  boolean add(Change.Upsert insert);

  /**
   * Commits what was added; false when that failed and nothing is committed.
   *
   * @throws dev.ddbwarehouse.core.TransientFailureException as {@link #add}
   */
  boolean commit();

  /** Rolls back what was added. */
  void abandon();
}
