-- Three schemas, three audiences:
--   warehouse: the typed tables the pipeline writes (internal; analysts never read them directly)
--   etl:       operational tables (quarantine; later erasure and suppression lists)
--   bi:        the views analysts and BI tools query; the only schema bi_reader can see
CREATE SCHEMA IF NOT EXISTS warehouse;
CREATE SCHEMA IF NOT EXISTS etl;
CREATE SCHEMA IF NOT EXISTS bi;

COMMENT ON SCHEMA warehouse IS 'Internal typed tables written by the ETL. Not for BI: query schema bi.';
COMMENT ON SCHEMA etl IS 'Operational tables of the ETL (quarantine). Not for BI.';
COMMENT ON SCHEMA bi IS 'Pseudonymised views for analysts and BI tools.';

-- Roles are cluster-wide, so several warehouses in one cluster (or a re-run against a restored
-- database) must not fail on an existing role. NOLOGIN: login users are granted these at setup.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'etl_writer') THEN
    CREATE ROLE etl_writer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'bi_reader') THEN
    CREATE ROLE bi_reader NOLOGIN;
  END IF;
END
$$;

REVOKE ALL ON SCHEMA warehouse, etl, bi FROM PUBLIC;
GRANT USAGE ON SCHEMA warehouse, etl TO etl_writer;
GRANT USAGE ON SCHEMA bi TO bi_reader;
