-- Why: a filing is one uploaded document, parsed. The original bytes are kept (documents) so
-- that facts can be traced back to their text and a filing can be re-parsed by a newer parser;
-- the document's sha256 is unique, which makes ingest idempotent even when two uploads of the
-- same file race. Deleting a filing deletes its document and everything parsed from it.
CREATE TABLE filings (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id       BIGINT NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
    form_type        TEXT,
    report_date      DATE,
    filing_date      DATE,
    accession_number TEXT,
    items            TEXT[] NOT NULL DEFAULT '{}',
    exhibits         TEXT[] NOT NULL DEFAULT '{}',
    signed_by        TEXT,
    -- The input layout the parser read.
    format           TEXT NOT NULL CHECK (format IN ('edgar', 'html', 'text')),
    -- The parser that produced the rows below (a reparse replaces them).
    parser_version   TEXT NOT NULL,
    -- What the parser noticed, inferred or skipped: [{severity, code, message, span}].
    diagnostics      JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(diagnostics) = 'array'),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- GET /v1/filings?company=&from=&to= and a company's latest filings first.
CREATE INDEX filings_company_report_date_idx ON filings (company_id, report_date DESC, id DESC);
-- GET /v1/filings across companies, newest first, paginated by (report_date, id).
CREATE INDEX filings_report_date_idx ON filings (report_date DESC, id DESC);
-- Looking a submission up by its EDGAR accession number.
CREATE INDEX filings_accession_number_idx ON filings (accession_number);

CREATE TABLE documents (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filing_id    BIGINT NOT NULL UNIQUE REFERENCES filings (id) ON DELETE CASCADE,
    -- Lower-case hex of the SHA-256 of `bytes`.
    sha256       TEXT NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    bytes        BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (size = octet_length(bytes))
);
