-- Why: a statement is one financial table of a filing (balance sheet, income statement, cash
-- flow, non-GAAP reconciliation, other) with the scale and currency its caption states; its line
-- items keep the printed order, labels and nesting, and carry the normalized concept key that
-- series and comparisons query by.
CREATE TABLE statements (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filing_id    BIGINT NOT NULL REFERENCES filings (id) ON DELETE CASCADE,
    -- Order among the filing's statements, from 0.
    position     INTEGER NOT NULL CHECK (position >= 0),
    kind         TEXT NOT NULL CHECK (kind IN ('balance_sheet', 'income_statement', 'cash_flow',
                                               'non_gaap_reconciliation', 'other')),
    title        TEXT NOT NULL,
    -- Multiplier from the caption (1, 1000, 1000000, ...).
    scale        NUMERIC NOT NULL CHECK (scale > 0),
    -- Where the scale came from: the caption text, the text above the table, or "default".
    scale_source TEXT NOT NULL,
    currency     TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- Value columns left to right as the parser read them: [{period, basis, header}]; the
    -- headers as printed are provenance for each fact's period.
    columns      JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(columns) = 'array'),
    -- Byte range [span_start, span_end) of the table in the stored document.
    span_start   BIGINT NOT NULL CHECK (span_start >= 0),
    span_end     BIGINT NOT NULL,
    CHECK (span_end >= span_start),
    UNIQUE (filing_id, position)
);

-- GET /v1/companies/{id}/statements/{kind}: a filing's statements of one kind.
CREATE INDEX statements_filing_kind_idx ON statements (filing_id, kind);

CREATE TABLE line_items (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    statement_id BIGINT NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    -- Order within the statement, from 0.
    position     INTEGER NOT NULL CHECK (position >= 0),
    -- As printed, joined across lines.
    label        TEXT NOT NULL,
    -- Normalized concept key from the lexicon, e.g. revenue, net_income, total_assets.
    concept      TEXT CHECK (concept ~ '^[a-z][a-z0-9_]*$'),
    -- The section header above the row, e.g. "Operating expenses".
    section      TEXT,
    is_total     BOOLEAN NOT NULL DEFAULT false,
    is_header    BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (statement_id, position)
);

-- GET /v1/companies/{id}/series/{concept} and comparisons: line items by concept.
CREATE INDEX line_items_concept_idx ON line_items (concept, statement_id) WHERE concept IS NOT NULL;
