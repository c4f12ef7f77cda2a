-- The pipeline COPYs each batch into a session-local staging table before one set-based upsert.
-- PostgreSQL grants TEMPORARY to PUBLIC by default; hardened databases revoke it, so grant it to
-- the writer role explicitly.
DO $$
BEGIN
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO etl_writer', current_database());
END
$$;
