-- User profiles: the second source table, pseudonymised in the same namespaces as transactions so
-- that bi.user_profiles joins bi.transactions on user_pseudonym. The key is the user's pseudonym:
-- the raw userId never reaches the warehouse. Bookkeeping columns as in warehouse.transactions
-- (docs/mapping.md lists what every target table needs).
CREATE TABLE warehouse.user_profiles (
  user_pseudonym    text        PRIMARY KEY,
  email_pseudonym   text,
  phone_pseudonym   text,
  -- Lower bound of the 5-year band of the birth year (1985 = born 1985-1989); never the date.
  birth_year_band   integer,
  sex               text,
  country           char(2),
  -- Signup truncated to the first day of its month (UTC).
  signup_month      date,
  marketing_opt_in  boolean,
  updated_at        timestamptz,
  key_version       text,
  source_version    timestamptz NOT NULL,
  source_stream     text        NOT NULL,
  source_sequence   numeric(40, 0) NOT NULL,
  ingested_at       timestamptz NOT NULL,
  deleted_at        timestamptz,
  CONSTRAINT user_profiles_live_rows_complete CHECK (deleted_at IS NOT NULL OR key_version IS NOT NULL)
);

COMMENT ON TABLE warehouse.user_profiles IS 'One row per source user profile, pseudonymised and generalised; includes soft-deleted rows and tombstones.';

-- Live rows only in every index a bi plan can touch (see V6).
CREATE INDEX user_profiles_live_user_pseudonym_idx ON warehouse.user_profiles (user_pseudonym)
  WHERE deleted_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON warehouse.user_profiles TO etl_writer;

CREATE VIEW bi.user_profiles WITH (security_barrier = true) AS
SELECT
  p.user_pseudonym,
  p.email_pseudonym,
  p.phone_pseudonym,
  p.birth_year_band,
  p.sex,
  p.country,
  p.signup_month,
  p.marketing_opt_in,
  p.updated_at,
  p.key_version,
  p.ingested_at
FROM warehouse.user_profiles p
WHERE p.deleted_at IS NULL;

COMMENT ON VIEW bi.user_profiles IS 'One row per live user profile (deleted ones hidden). Identifiers replaced by HMAC-SHA256 pseudonyms (format v1, same namespaces as bi.transactions: join on user_pseudonym); name and postcode never stored; birth date and signup time generalised.';
COMMENT ON COLUMN bi.user_profiles.user_pseudonym IS 'Pseudonym of the user (namespace user): joins bi.transactions.user_pseudonym within one key version.';
COMMENT ON COLUMN bi.user_profiles.email_pseudonym IS 'Pseudonym of the e-mail address (namespace email; trimmed, lower case before hashing).';
COMMENT ON COLUMN bi.user_profiles.phone_pseudonym IS 'Pseudonym of the phone number (namespace phone; leading + and digits only before hashing).';
COMMENT ON COLUMN bi.user_profiles.birth_year_band IS 'Lower bound of the 5-year band of the birth year: 1985 means born 1985-1989.';
COMMENT ON COLUMN bi.user_profiles.sex IS 'female, male or diverse as the source states it; NULL for anything else.';
COMMENT ON COLUMN bi.user_profiles.country IS 'ISO 3166-1 alpha-2 country code.';
COMMENT ON COLUMN bi.user_profiles.signup_month IS 'Month of signup: the first day of that month (UTC).';
COMMENT ON COLUMN bi.user_profiles.marketing_opt_in IS 'Whether the user opted in to marketing.';
COMMENT ON COLUMN bi.user_profiles.updated_at IS 'Last update of the profile in the source (source updatedAt).';
COMMENT ON COLUMN bi.user_profiles.key_version IS 'Version of the HMAC key that produced the pseudonyms in this row.';
COMMENT ON COLUMN bi.user_profiles.ingested_at IS 'When the ETL last wrote this row.';

GRANT SELECT ON bi.user_profiles TO bi_reader;

-- The quarantine serves every table: where a record came from and its key as the warehouse stores
-- it (pseudonymised where the table's rule says so), never the raw key of an identifying table.
ALTER TABLE etl.quarantine ADD COLUMN source_table text;
ALTER TABLE etl.quarantine ADD COLUMN source_key jsonb;
UPDATE etl.quarantine
   SET source_key = jsonb_build_object('transaction_id', transaction_id),
       source_table = substring(event_source_arn from ':table/([^/]+)/stream/')
 WHERE transaction_id IS NOT NULL;
UPDATE etl.quarantine
   SET source_table = substring(event_source_arn from ':table/([^/]+)/stream/')
 WHERE source_table IS NULL;
ALTER TABLE etl.quarantine DROP COLUMN transaction_id;

COMMENT ON COLUMN etl.quarantine.source_table IS 'DynamoDB table named in the record''s eventSourceARN (NULL if it names none).';
COMMENT ON COLUMN etl.quarantine.source_key IS 'The record''s key as the warehouse stores it (column name to value, pseudonymised where the mapping says so); NULL when unusable.';
