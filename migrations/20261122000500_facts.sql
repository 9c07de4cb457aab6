-- Why: a fact is the product's unit of truth: one value of one line item for one period and
-- basis, with its exact value in full units (NUMERIC: never a float), the text as printed and
-- its byte span for provenance, and whether it was reported, derived or corrected.
-- Values are written only from rust_decimal values, so they always read back exactly; the
-- column has no fixed scale so nothing is rounded on the way in.
CREATE TABLE facts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    line_item_id BIGINT NOT NULL REFERENCES line_items (id) ON DELETE CASCADE,
    -- Periods are shared by filings of one company, so a period with facts stays.
    period_id    BIGINT NOT NULL REFERENCES periods (id) ON DELETE RESTRICT,
    basis        TEXT NOT NULL CHECK (basis IN ('gaap', 'adjustment', 'non_gaap')),
    value        NUMERIC NOT NULL,
    unit         TEXT NOT NULL CHECK (unit IN ('USD', 'USD/share', 'shares', 'percent', 'pure')),
    status       TEXT NOT NULL CHECK (status IN ('reported', 'derived', 'corrected')),
    -- The printed text (for a corrected value, what was printed; empty when derived).
    as_printed   TEXT NOT NULL DEFAULT '',
    -- Byte range [span_start, span_end) in the stored document (for a derived value, its
    -- row's label).
    span_start   BIGINT NOT NULL CHECK (span_start >= 0),
    span_end     BIGINT NOT NULL,
    CHECK (span_end >= span_start),
    -- How a derived or corrected value was computed.
    formula      TEXT,
    CHECK (status = 'reported' OR formula IS NOT NULL),
    UNIQUE (line_item_id, period_id, basis)
);

-- Series, comparisons and statements for a period: facts by period (by line item is served by
-- the unique constraint's index, which starts with line_item_id).
CREATE INDEX facts_period_idx ON facts (period_id, basis);
