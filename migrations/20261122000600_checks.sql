-- Why: every accounting identity the parser tested (totals, assets = liabilities + equity,
-- GAAP + adjustment = non-GAAP, period sums, ...) is kept with the values involved and its
-- outcome, so GET /v1/filings/{id}/checks can show why a filing is or is not trustworthy.
CREATE TABLE checks (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filing_id    BIGINT NOT NULL REFERENCES filings (id) ON DELETE CASCADE,
    -- The statement the identity was tested on; NULL for identities across statements.
    statement_id BIGINT REFERENCES statements (id) ON DELETE CASCADE,
    -- The identity tested: total, gross_profit, balance_sheet, non_gaap_bridge, period_sum, ...
    kind         TEXT NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    -- The identity in words, with the labels involved.
    description  TEXT NOT NULL,
    period_id    BIGINT NOT NULL REFERENCES periods (id) ON DELETE RESTRICT,
    basis        TEXT NOT NULL CHECK (basis IN ('gaap', 'adjustment', 'non_gaap')),
    -- Computed from the components, and printed (or derived) for the total.
    expected     NUMERIC NOT NULL,
    actual       NUMERIC NOT NULL,
    passed       BOOLEAN NOT NULL
);

-- GET /v1/filings/{id}/checks (and the cascade from filings).
CREATE INDEX checks_filing_idx ON checks (filing_id, passed);
-- The cascade from statements.
CREATE INDEX checks_statement_idx ON checks (statement_id);
-- The RESTRICT check when a period is deleted.
CREATE INDEX checks_period_idx ON checks (period_id);
