-- A test-only table added the way a user adds one: this migration and a mapping entry, no Java.
-- Composite key: the account (pseudonymised) and the event's time.
CREATE TABLE warehouse.account_events (
  account_pseudonym text        NOT NULL,
  event_time        timestamptz NOT NULL,
  kind              text,
  amount            numeric,
  key_version       text,
  source_version    timestamptz NOT NULL,
  source_stream     text        NOT NULL,
  source_sequence   numeric(40, 0) NOT NULL,
  ingested_at       timestamptz NOT NULL,
  deleted_at        timestamptz,
  PRIMARY KEY (account_pseudonym, event_time)
);

GRANT SELECT, INSERT, UPDATE ON warehouse.account_events TO etl_writer;
GRANT SELECT, UPDATE, DELETE ON warehouse.account_events TO etl_eraser;
