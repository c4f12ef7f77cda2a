CREATE TABLE warehouse.transactions (
  transaction_id          text        PRIMARY KEY,
  user_pseudonym          text,
  account_pseudonym       text,
  counterparty_pseudonym  text,
  email_pseudonym         text,
  phone_pseudonym         text,
  -- Stored as text and exposed as cidr by bi.transactions: the ETL validates and canonicalises it.
  ip_network              text,
  -- Exact, with the scale the source wrote ("12.50" stays 12.50, not 12.50000000). DynamoDB numbers
  -- carry up to 38 significant digits; the ETL rejects amounts beyond these bounds rather than
  -- rounding them, and the constraint keeps anything else from writing them.
  amount                  numeric
                          CONSTRAINT transactions_amount_exact CHECK (scale(amount) <= 8 AND abs(amount) < 1e30),
  currency                char(3),
  type                    text,
  status                  text,
  merchant_name           text,
  merchant_category_code  text,
  country                 char(2),
  tags                    text[],
  extra                   jsonb,
  created_at              timestamptz,
  updated_at              timestamptz,
  key_version             text,
  -- The replay guard: an image is applied only when it is newer than the stored one. Newer means
  -- a later item version (updatedAt, else createdAt); for equal versions from the same stream, a
  -- later stream sequence number.
  source_version          timestamptz NOT NULL,
  source_stream           text        NOT NULL,
  source_sequence         numeric(40, 0) NOT NULL,
  ingested_at             timestamptz NOT NULL,
  -- Soft delete. A row may also be a bare tombstone (a delete seen before any image), which is why
  -- the data columns are nullable; live rows must be complete.
  deleted_at              timestamptz,
  CONSTRAINT transactions_live_rows_complete CHECK (
    deleted_at IS NOT NULL
    OR (user_pseudonym IS NOT NULL AND amount IS NOT NULL AND currency IS NOT NULL
        AND created_at IS NOT NULL AND key_version IS NOT NULL)
  )
);

CREATE INDEX transactions_created_at_idx ON warehouse.transactions (created_at);
CREATE INDEX transactions_user_pseudonym_idx ON warehouse.transactions (user_pseudonym);

COMMENT ON TABLE warehouse.transactions IS 'One row per source transaction, pseudonymised; includes soft-deleted rows and tombstones.';
COMMENT ON COLUMN warehouse.transactions.extra IS 'Allow-listed extra source attributes (mapping document extraAttributes), as JSON.';
COMMENT ON COLUMN warehouse.transactions.source_version IS 'Item version (updatedAt, else createdAt) of the image stored; replay guard.';
COMMENT ON COLUMN warehouse.transactions.source_stream IS 'Stream ARN the stored image came from.';
COMMENT ON COLUMN warehouse.transactions.source_sequence IS 'Stream sequence number of the stored image or delete.';
COMMENT ON COLUMN warehouse.transactions.deleted_at IS 'When the item was removed from the source table; hidden from bi when set.';

-- Only the DML the pipeline runs: upserts read the row they guard against, never DELETE or TRUNCATE.
GRANT SELECT, INSERT, UPDATE ON warehouse.transactions TO etl_writer;
