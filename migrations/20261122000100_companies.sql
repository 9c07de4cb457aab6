-- Why: every filing is made by a company, and dashboards and scripts start from one: they find
-- it by CIK, by ticker, or by a name typed in a search box. `normalized_name` (lower case,
-- punctuation and legal suffixes stripped by the ingest layer) is what name search and
-- matching of CIK-less filings compare, so "Acme Corp." and "ACME CORPORATION" meet.
CREATE TABLE companies (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                   TEXT NOT NULL CHECK (name <> ''),
    normalized_name        TEXT NOT NULL CHECK (normalized_name <> ''),
    -- EDGAR's central index key, ten digits with leading zeros.
    cik                    TEXT UNIQUE CHECK (cik ~ '^[0-9]{10}$'),
    ticker                 TEXT CHECK (ticker = upper(ticker) AND ticker <> ''),
    exchange               TEXT,
    state_of_incorporation TEXT,
    commission_file_number TEXT,
    irs_employer_id        TEXT,
    address                TEXT,
    phone                  TEXT,
    -- Fiscal year end as MMDD, EDGAR's convention; NULL means unknown (reads assume 1231).
    fiscal_year_end        TEXT CHECK (fiscal_year_end ~ '^(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'),
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- GET /v1/companies?ticker= (the CIK lookup uses the unique constraint's index).
CREATE INDEX companies_ticker_idx ON companies (ticker);
-- GET /v1/companies?q= as a prefix search, and matching filings without a CIK.
CREATE INDEX companies_normalized_name_idx ON companies (normalized_name text_pattern_ops);
