-- No existence oracle through bi. Soft-deleted rows stay in warehouse.transactions (their tombstones
-- keep replays from reviving them), and bi_reader may run EXPLAIN ANALYZE. Two leaks are closed:
--
-- 1. Plain views let the planner evaluate a reader's qual before the view's filter: a function the
--    reader creates (pg_temp needs no grant) or an expression that raises an error would see rows
--    the view hides. As security barriers, the view's filter runs before every qual that is not
--    leakproof.
-- 2. A leakproof qual (text =) still goes below the barrier, into the index scan. Through the full
--    indexes, a lookup of a deleted id showed "Rows Removed by Filter: 1" and a never-existing one
--    nothing; a lookup by user_pseudonym counted that pseudonym's deleted rows. Partial indexes on
--    live rows fix that: their predicate is the views' filter, so the planner serves the views'
--    lookups from them (and drops the filter), and no index a bi plan touches holds a deleted row.
--    Measured as a bi_reader member on PostgreSQL 15: a deleted and a never-existing id give the
--    same plan (same node, rows and buffers, no "Rows Removed"); so they do with every planner cost
--    set to 0, with index scans disabled (a bitmap scan on the partial index) or with every index
--    path disabled (a sequential scan then filters every row of the table, both times). One
--    residue is MVCC's: a row deleted by an update leaves its live version's entry in the partial
--    index until vacuum removes it. The default plan (an index scan) skips it, marking it dead on
--    first sight, at the cost of one heap page visited once; a bitmap scan the reader forces
--    (enable_indexscan = off) counts it until vacuum. That tells "this id changed recently", as any
--    index of any table does, and ends with the next vacuum of the table.
--
-- The full indexes on user_pseudonym and created_at are replaced by partial ones: nothing reads
-- deleted rows through them (the ETL writes by primary key). The primary key stays full, as the
-- version guard's ON CONFLICT needs it; the partial index on transaction_id duplicates it for live
-- rows. Rejected alternatives: tombstones in another table (the guard needs the key conflict),
-- partitioning by liveness (a partitioned table's primary key must contain the partition key), a
-- set-returning function behind the view (nothing pushed down: every lookup a full scan).
--
-- Plain CREATE INDEX (Flyway runs this in a transaction) blocks writes to the table while it
-- builds: on a large warehouse, run this migration in a quiet hour.

ALTER VIEW bi.transactions SET (security_barrier = true);
ALTER VIEW bi.transaction_attributes SET (security_barrier = true);

CREATE INDEX transactions_live_transaction_id_idx ON warehouse.transactions (transaction_id)
  WHERE deleted_at IS NULL;

DROP INDEX warehouse.transactions_user_pseudonym_idx;
CREATE INDEX transactions_user_pseudonym_idx ON warehouse.transactions (user_pseudonym)
  WHERE deleted_at IS NULL;

DROP INDEX warehouse.transactions_created_at_idx;
CREATE INDEX transactions_created_at_idx ON warehouse.transactions (created_at)
  WHERE deleted_at IS NULL;
