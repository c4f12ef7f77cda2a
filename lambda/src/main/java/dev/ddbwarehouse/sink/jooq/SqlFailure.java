package dev.ddbwarehouse.sink.jooq;

import java.sql.SQLException;

/** Classifies a database failure by SQLSTATE into how it is handled. */
record SqlFailure(String sqlState) {

  static SqlFailure of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return new SqlFailure(sql.getSQLState());
      }
    }
    return new SqlFailure("unknown");
  }

  /**
   * The rows themselves were refused, deterministically: class 21 (cardinality: one statement
   * touching a row twice), 22 (data exception), 23 (integrity constraint) or 54 (program limit: an
   * index entry over the btree limit). The processor isolates such rows and quarantines them; if
   * every row of a batch is refused on its own, it retries instead (see BatchProcessor). Anything
   * else, including permission or schema errors (42), is retried: those need an operator, and
   * retrying keeps the records until one fixes it (then the stream's maximum record age and the
   * on-failure destination take over), instead of dropping them.
   */
  boolean rejectsData() {
    return sqlState.startsWith("21")
        || sqlState.startsWith("22")
        || sqlState.startsWith("23")
        || sqlState.startsWith("54");
  }

  /** Connection exceptions (08), server shutdown or restart (57P0x), or no SQLSTATE at all. */
  boolean brokeConnection() {
    return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("unknown");
  }

  /** A unique violation (23505): the key is stored already, or another writer inserted it. */
  boolean storedKey() {
    return sqlState.equals("23505");
  }

  /** A serialization failure (40001) or a deadlock (40P01): lost to a concurrent transaction. */
  boolean conflicted() {
    return sqlState.equals("40001") || sqlState.equals("40P01");
  }

  /**
   * Cancelled by the transaction's statement_timeout (57014) or lock_timeout (55P03): the
   * invocation's time budget ran out. Transient: the batch is retried, never quarantined.
   */
  boolean timedOut() {
    return sqlState.equals("57014") || sqlState.equals("55P03");
  }
}
