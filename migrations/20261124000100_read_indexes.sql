-- Why: the analytical reads (issue 5) answer from two index paths that the first schema left
-- one column short, so each needed a heap visit per row.
-- 1. Every company-scoped read first reads the company's data version: the count and the sum of
--    the ids of its filings' statements. With the id in the index, that is an index-only scan
--    however many filings the company has.
-- 2. A statement read finds the statements that hold facts of a period and basis (then reads
--    those statements whole); the company page and the non-GAAP read ask which periods have
--    facts of some basis. With the line item in the index, both are index-only scans. It
--    replaces `facts_period_idx` (period, basis), whose every use it serves, so ingest still
--    maintains one index for this path, not two.
CREATE INDEX statements_filing_id_id_idx ON statements (filing_id, id);

CREATE INDEX facts_period_basis_line_item_idx ON facts (period_id, basis, line_item_id);
DROP INDEX facts_period_idx;
