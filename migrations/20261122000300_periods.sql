-- Why: facts belong to periods, and periods belong to the company, not to one filing: a later
-- release that repeats last year's quarter must land on the same period so that reads can
-- compare and pick the latest value. One row per (company, kind, start, end); an instant has no
-- start, and NULLS NOT DISTINCT keeps instants unique too.
CREATE TABLE periods (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id   BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('instant', 'duration')),
    start_date   DATE,
    end_date     DATE NOT NULL,
    -- Length of a duration in months (13 weeks count as 3); NULL for instants.
    months       INTEGER CHECK (months > 0),
    -- A fiscal label the document gives, e.g. "second quarter of fiscal 2003".
    fiscal_label TEXT,
    CHECK ((kind = 'instant') = (start_date IS NULL)),
    CHECK (kind = 'duration' OR months IS NULL),
    CHECK (start_date IS NULL OR start_date <= end_date),
    CONSTRAINT periods_company_kind_start_end_key
        UNIQUE NULLS NOT DISTINCT (company_id, kind, start_date, end_date)
);

-- GET /v1/companies/{id}: the periods with data, by end date.
CREATE INDEX periods_company_end_date_idx ON periods (company_id, end_date DESC, months);
