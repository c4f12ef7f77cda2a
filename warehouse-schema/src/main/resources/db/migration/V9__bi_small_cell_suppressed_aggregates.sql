-- Aggregates for dashboards that need counts, not rows: every cell describes at least 5 distinct
-- people, or it is not shown (small-cell suppression, the rule statistics offices publish tables
-- by). A count of 1 to 4 next to a birth year band, sex, country and month tells whoever knows a
-- neighbour's age, country and signup month that the neighbour is a customer, and what they spent;
-- a cell of 5 or more does not point at one person. The threshold, 5, is the default k of gdpr.sh k-anonymity (README, "Privacy checks").
--
-- The views read bi.user_profiles and bi.transactions, never the warehouse tables: deleted rows and
-- erased subjects are gone before anything is counted, so they never make a cell visible.
--
-- Security barriers: without one, the planner may push a reader's qual on a grouping column below
-- the aggregate, and a function of the reader's own (pg_temp needs no grant) would then see the
-- cohort values of every cell, the suppressed ones too (see V6).
--
-- What suppression does not do: a hidden cell can sometimes be worked out from totals and visible
-- neighbours (complementary suppression is not applied), and one large payment can dominate a
-- cell's sum. bi_reader also reads the row-level views; for an aggregates-only audience, grant
-- these two views to a role of its own.

CREATE VIEW bi.user_profiles_by_cohort WITH (security_barrier = true) AS
SELECT
  p.birth_year_band,
  p.sex,
  p.country,
  p.signup_month,
  count(DISTINCT p.user_pseudonym) AS users
FROM bi.user_profiles p
GROUP BY p.birth_year_band, p.sex, p.country, p.signup_month
HAVING count(DISTINCT p.user_pseudonym) >= 5;

COMMENT ON VIEW bi.user_profiles_by_cohort IS 'Live user profiles counted per cohort (birth year band, sex, country, signup month). Cells with fewer than 5 distinct users are not shown (small-cell suppression), so no row points at one person; deleted and erased users are never counted. NULL is a cohort value like any other.';
COMMENT ON COLUMN bi.user_profiles_by_cohort.birth_year_band IS 'Lower bound of the 5-year band of the birth year: 1985 means born 1985-1989.';
COMMENT ON COLUMN bi.user_profiles_by_cohort.sex IS 'female, male or diverse as the source states it; NULL for anything else.';
COMMENT ON COLUMN bi.user_profiles_by_cohort.country IS 'ISO 3166-1 alpha-2 country code of the profile.';
COMMENT ON COLUMN bi.user_profiles_by_cohort.signup_month IS 'Month of signup: the first day of that month (UTC).';
COMMENT ON COLUMN bi.user_profiles_by_cohort.users IS 'Distinct users in the cell; always 5 or more (smaller cells are hidden).';

-- The join is within one key version: pseudonyms of different versions never match, and a
-- profile row is keyed by its user's pseudonym, so counting distinct profile pseudonyms counts
-- people (a user's transactions still under an older key version are left out until re-keyed).
CREATE VIEW bi.monthly_spend_by_cohort WITH (security_barrier = true) AS
SELECT
  date_trunc('month', t.created_at AT TIME ZONE 'UTC')::date AS month,
  p.birth_year_band,
  p.sex,
  p.country,
  t.currency,
  count(DISTINCT p.user_pseudonym) AS users,
  count(*) AS transactions,
  sum(t.amount) AS amount
FROM bi.transactions t
JOIN bi.user_profiles p
  ON p.user_pseudonym = t.user_pseudonym AND p.key_version = t.key_version
GROUP BY 1, p.birth_year_band, p.sex, p.country, t.currency
HAVING count(DISTINCT p.user_pseudonym) >= 5;

COMMENT ON VIEW bi.monthly_spend_by_cohort IS 'Live transactions of users with a live profile, per month of creation, cohort (birth year band, sex, country of the profile) and currency: distinct users, transactions and the sum of amounts. Cells with fewer than 5 distinct users are not shown (small-cell suppression); deleted and erased users and anonymised transactions are never counted.';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.month IS 'Month the transactions were created: the first day of that month (UTC).';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.birth_year_band IS 'Lower bound of the 5-year band of the birth year of the user.';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.sex IS 'female, male or diverse as the user''s profile states it; NULL for anything else.';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.country IS 'ISO 3166-1 alpha-2 country code of the user''s profile (not of the transactions).';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.currency IS 'ISO 4217 currency code: amounts are summed per currency, never across currencies.';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.users IS 'Distinct users with transactions in the cell; always 5 or more (smaller cells are hidden).';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.transactions IS 'Transactions in the cell, whatever their status.';
COMMENT ON COLUMN bi.monthly_spend_by_cohort.amount IS 'Sum of the amounts of the cell''s transactions, in currency, exact.';

-- V4's default privileges grant them to bi_reader already; said here too, so it does not depend
-- on who runs the migrations.
GRANT SELECT ON bi.user_profiles_by_cohort, bi.monthly_spend_by_cohort TO bi_reader;
