-- Data-subject erasure (GDPR Art. 17). Pseudonymised rows are still personal data: an erased
-- subject's rows are deleted or anonymised (per table, as the mapping document declares), and the
-- subject goes on a suppression list that the pipeline consults inside every batch's transaction,
-- so a retry, a backfill replay or a late stream record writes that subject's images already
-- erased. Neither table holds a raw identifier: the list holds the subject's pseudonym under every
-- key version of the ring at the time of the request (docs/erasure.md explains the suppression
-- version that keeps the list effective across key rotations).

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'etl_eraser') THEN
    CREATE ROLE etl_eraser NOLOGIN;
  END IF;
END
$$;

CREATE TABLE etl.erased_subjects (
  namespace    text        NOT NULL,
  key_version  text        NOT NULL,
  pseudonym    text        NOT NULL,
  request_id   text        NOT NULL,
  erased_at    timestamptz NOT NULL,
  -- In commit order (erasures serialise on an advisory lock): a running function keeps a compact
  -- copy of the list and reads only the rows after the last id it has, once per batch.
  id           bigint      GENERATED ALWAYS AS IDENTITY,
  -- The exact check of a candidate the copy flags: (namespace, key version, pseudonym).
  PRIMARY KEY (namespace, key_version, pseudonym)
);

CREATE UNIQUE INDEX erased_subjects_id_idx ON etl.erased_subjects (id);

COMMENT ON TABLE etl.erased_subjects IS 'Suppression list of erased data subjects: their pseudonyms under every key version, never a raw identifier. Not for BI.';

CREATE TABLE etl.erasure_log (
  request_id           text        PRIMARY KEY,
  namespace            text        NOT NULL,
  requested_at         timestamptz NOT NULL,
  completed_at         timestamptz NOT NULL,
  -- Table name to rows deleted or anonymised, e.g. {"warehouse.transactions": 3}.
  rows_affected        jsonb       NOT NULL,
  key_versions         text[]      NOT NULL,
  suppression_version  text        NOT NULL
);

COMMENT ON TABLE etl.erasure_log IS 'Audit trail of erasure requests: who asked (request id), when, what was affected. No raw value, no pseudonym.';

-- An anonymised transaction links to nobody: no pseudonym, so no key version either. A live row
-- is complete or anonymised, never a half of each.
ALTER TABLE warehouse.transactions DROP CONSTRAINT transactions_live_rows_complete;
ALTER TABLE warehouse.transactions ADD CONSTRAINT transactions_live_rows_complete CHECK (
  deleted_at IS NOT NULL
  OR (amount IS NOT NULL AND currency IS NOT NULL AND created_at IS NOT NULL
      AND (user_pseudonym IS NULL) = (key_version IS NULL))
);

GRANT USAGE ON SCHEMA warehouse, etl TO etl_eraser;
-- The pipeline reads the list inside each batch; it never changes it.
GRANT SELECT ON etl.erased_subjects TO etl_writer;
GRANT SELECT, INSERT, UPDATE ON etl.erased_subjects, etl.erasure_log TO etl_eraser;
-- The eraser deletes or anonymises; a table added later grants the same in its own migration.
GRANT SELECT, UPDATE, DELETE ON warehouse.transactions, warehouse.user_profiles TO etl_eraser;
-- A quarantined record of the subject keeps its position (event id, sequence), loses its key.
GRANT SELECT, UPDATE ON etl.quarantine TO etl_eraser;

-- Defence in depth: even a row that slipped past the pipeline's check never reaches an analyst.
-- The views read the list with their owner's rights; bi_reader has no access to schema etl.
CREATE OR REPLACE VIEW bi.transactions WITH (security_barrier = true) AS
SELECT
  t.transaction_id,
  t.user_pseudonym,
  t.account_pseudonym,
  t.counterparty_pseudonym,
  t.email_pseudonym,
  t.phone_pseudonym,
  t.ip_network::cidr AS ip_network,
  t.amount,
  t.currency,
  t.type,
  t.status,
  t.merchant_name,
  t.merchant_category_code,
  t.country,
  t.tags,
  t.created_at,
  t.updated_at,
  t.key_version,
  t.ingested_at
FROM warehouse.transactions t
WHERE t.deleted_at IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM etl.erased_subjects e
    WHERE e.key_version = t.key_version
      AND ((e.namespace = 'user' AND e.pseudonym = t.user_pseudonym)
        OR (e.namespace = 'account' AND e.pseudonym = t.account_pseudonym)
        OR (e.namespace = 'iban' AND e.pseudonym = t.counterparty_pseudonym)
        OR (e.namespace = 'email' AND e.pseudonym = t.email_pseudonym)
        OR (e.namespace = 'phone' AND e.pseudonym = t.phone_pseudonym)));

CREATE OR REPLACE VIEW bi.transaction_attributes WITH (security_barrier = true) AS
SELECT t.transaction_id, t.extra AS attributes
FROM warehouse.transactions t
WHERE t.deleted_at IS NULL AND t.extra IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM etl.erased_subjects e
    WHERE e.key_version = t.key_version AND e.namespace = 'user' AND e.pseudonym = t.user_pseudonym);

CREATE OR REPLACE VIEW bi.user_profiles WITH (security_barrier = true) AS
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
WHERE p.deleted_at IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM etl.erased_subjects e
    WHERE e.key_version = p.key_version
      AND ((e.namespace = 'user' AND e.pseudonym = p.user_pseudonym)
        OR (e.namespace = 'email' AND e.pseudonym = p.email_pseudonym)
        OR (e.namespace = 'phone' AND e.pseudonym = p.phone_pseudonym)));
