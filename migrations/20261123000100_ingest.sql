-- Why: ingest (issue 4) needs two things the first schema did not give it.
-- 1. `filings.result_sha256`: the SHA-256 of the parse result a filing's rows were stored from,
--    so that POST /v1/filings/{id}/reparse can tell when the current parser gives the same
--    result and leave the rows (and their ids, which clients may have saved) untouched.
-- 2. A listing index on a never-null sort key: GET /v1/filings lists newest report first with
--    undated filings last, paginated by (report date, id); an expression index serves that
--    order and its keyset cursor, for all filings and per company.
ALTER TABLE filings ADD COLUMN result_sha256 TEXT CHECK (result_sha256 ~ '^[0-9a-f]{64}$');

CREATE INDEX filings_listing_idx
    ON filings ((COALESCE(report_date, '-infinity'::date)) DESC, id DESC);
CREATE INDEX filings_company_listing_idx
    ON filings (company_id, (COALESCE(report_date, '-infinity'::date)) DESC, id DESC);
