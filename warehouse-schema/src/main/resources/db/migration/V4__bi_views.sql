-- The BI contract. Views run with their owner's rights, so bi_reader needs no access to the
-- warehouse or etl schemas.
CREATE VIEW bi.transactions AS
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
WHERE t.deleted_at IS NULL;

COMMENT ON VIEW bi.transactions IS 'One row per live transaction (deleted ones hidden). Personal data replaced by HMAC-SHA256 pseudonyms (format v1): join on them, they cannot be reversed.';
COMMENT ON COLUMN bi.transactions.transaction_id IS 'Source transaction id (DynamoDB partition key).';
COMMENT ON COLUMN bi.transactions.user_pseudonym IS 'Pseudonym of the user (namespace user): 64 hex chars, stable per key version, joinable across tables.';
COMMENT ON COLUMN bi.transactions.account_pseudonym IS 'Pseudonym of the account (namespace account).';
COMMENT ON COLUMN bi.transactions.counterparty_pseudonym IS 'Pseudonym of the counterparty IBAN (namespace iban; spaces removed, upper case before hashing).';
COMMENT ON COLUMN bi.transactions.email_pseudonym IS 'Pseudonym of the e-mail address (namespace email; trimmed, lower case before hashing).';
COMMENT ON COLUMN bi.transactions.phone_pseudonym IS 'Pseudonym of the phone number (namespace phone; leading + and digits only before hashing).';
COMMENT ON COLUMN bi.transactions.ip_network IS 'Client IP generalised to its network: IPv4 /24, IPv6 /48.';
COMMENT ON COLUMN bi.transactions.amount IS 'Transaction amount in currency, exact, as the source wrote it (at most 8 decimals).';
COMMENT ON COLUMN bi.transactions.currency IS 'ISO 4217 currency code.';
COMMENT ON COLUMN bi.transactions.type IS 'Transaction type as the source system names it.';
COMMENT ON COLUMN bi.transactions.status IS 'Latest known status.';
COMMENT ON COLUMN bi.transactions.merchant_name IS 'Merchant name as given by the source.';
COMMENT ON COLUMN bi.transactions.merchant_category_code IS 'ISO 18245 merchant category code (MCC).';
COMMENT ON COLUMN bi.transactions.country IS 'ISO 3166-1 alpha-2 country code.';
COMMENT ON COLUMN bi.transactions.tags IS 'Free tags from the source.';
COMMENT ON COLUMN bi.transactions.created_at IS 'When the transaction was created (source createdAt).';
COMMENT ON COLUMN bi.transactions.updated_at IS 'Last update in the source (source updatedAt), if any.';
COMMENT ON COLUMN bi.transactions.key_version IS 'Version of the HMAC key that produced the pseudonyms in this row; pseudonyms join only within one key version.';
COMMENT ON COLUMN bi.transactions.ingested_at IS 'When the ETL last wrote this row.';

-- Allow-listed extra attributes (empty unless the mapping document names some).
CREATE VIEW bi.transaction_attributes AS
SELECT t.transaction_id, t.extra AS attributes
FROM warehouse.transactions t
WHERE t.deleted_at IS NULL AND t.extra IS NOT NULL;

COMMENT ON VIEW bi.transaction_attributes IS 'Extra source attributes that the mapping document allow-lists, per live transaction.';
COMMENT ON COLUMN bi.transaction_attributes.transaction_id IS 'Source transaction id; joins bi.transactions.';
COMMENT ON COLUMN bi.transaction_attributes.attributes IS 'Allow-listed attributes as JSON (attribute name to value).';

GRANT SELECT ON ALL TABLES IN SCHEMA bi TO bi_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA bi GRANT SELECT ON TABLES TO bi_reader;
