-- Records that can never succeed land here instead of blocking the stream. Rows carry where the
-- record came from and what was wrong with it, never a value from the item.
CREATE TABLE etl.quarantine (
  id                         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id                   text        NOT NULL,
  sequence_number            text        NOT NULL,
  event_source_arn           text        NOT NULL,
  event_name                 text,
  transaction_id             text,
  error_code                 text        NOT NULL,
  attribute                  text,
  message                    text        NOT NULL,
  approximate_creation_time  timestamptz,
  quarantined_at             timestamptz NOT NULL,
  -- A replayed batch must not quarantine the same record twice.
  CONSTRAINT quarantine_record_once UNIQUE (event_source_arn, sequence_number, event_id)
);

CREATE INDEX quarantine_error_code_idx ON etl.quarantine (error_code, quarantined_at);

COMMENT ON TABLE etl.quarantine IS 'Stream records the ETL rejected; messages name attributes, never values.';
COMMENT ON COLUMN etl.quarantine.error_code IS 'Machine-readable reason, e.g. MISSING_ATTRIBUTE, INVALID_CURRENCY.';
COMMENT ON COLUMN etl.quarantine.attribute IS 'Source attribute at fault, when one is.';

GRANT SELECT, INSERT ON etl.quarantine TO etl_writer;
