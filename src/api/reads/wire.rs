//! Wire types several reads share: a company reference, a period, a source filing and one
//! value with its provenance.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::periods::{
    FiscalYearEnd, KnownPeriod, PeriodKind, PeriodSpec, canonical_id, fiscal_alias,
};

/// The company a read is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyRef {
    /// Company id.
    #[schema(example = 1)]
    pub id: i64,
    /// Name as filed.
    #[schema(example = "Sonus Networks, Inc.")]
    pub name: String,
}

/// A period: its canonical id, dates and fiscal alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PeriodInfo {
    /// Canonical id: `3M-2003-06-30` (three months ended June 30, 2003) or `I-2003-06-30`.
    #[schema(example = "3M-2003-06-30")]
    pub id: String,
    /// `instant` or `duration`.
    #[schema(example = "duration")]
    pub kind: String,
    /// First day of a duration.
    pub start: Option<NaiveDate>,
    /// Last day of a duration, or the instant's date.
    pub end: NaiveDate,
    /// Length of a duration in months.
    #[schema(example = 3)]
    pub months: Option<u32>,
    /// Its fiscal alias under the company's fiscal year end (`FY2003-Q2`), if it has one.
    #[schema(example = "FY2003-Q2")]
    pub fiscal_alias: Option<String>,
}

impl PeriodInfo {
    /// A stored period.
    pub fn of(period: &KnownPeriod, fye: FiscalYearEnd) -> Self {
        Self {
            id: period.canonical_id(),
            kind: kind_name(period.kind).to_owned(),
            start: period.start,
            end: period.end,
            months: period.months,
            fiscal_alias: period.fiscal_alias(fye),
        }
    }

    /// A period no filing prints (a derived quarter), from its shape.
    pub fn of_spec(spec: &PeriodSpec, fye: FiscalYearEnd) -> Self {
        Self {
            id: canonical_id(spec.kind, spec.months, spec.end),
            kind: kind_name(spec.kind).to_owned(),
            start: spec.start(),
            end: spec.end,
            months: spec.months,
            fiscal_alias: fiscal_alias(spec.kind, spec.months, spec.end, fye),
        }
    }
}

/// `instant` or `duration`.
pub fn kind_name(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Instant => "instant",
        PeriodKind::Duration => "duration",
    }
}

/// A filing a read took values from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SourceFiling {
    /// Filing id (`GET /v1/filings/{id}`).
    #[schema(example = 1)]
    pub id: i64,
    /// Form type.
    #[schema(example = "8-K")]
    pub form_type: Option<String>,
    /// Report date.
    pub report_date: Option<NaiveDate>,
}

/// One value with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ValueCell {
    /// Exact value in full units, as a decimal string.
    #[schema(value_type = String, example = "21356000")]
    pub value: Decimal,
    /// `USD`, `USD/share`, `shares`, `percent` or `pure`.
    #[schema(example = "USD")]
    pub unit: String,
    /// `reported` (printed), `corrected` (printed text contradicted two identities),
    /// `derived` (computed: by the parser from the filing's identities, or by this read from
    /// other periods; see `formula`).
    #[schema(example = "reported")]
    pub status: String,
    /// The filing the value came from; absent for a value this read derived from several.
    pub filing_id: Option<i64>,
    /// The stored fact (`GET /v1/facts/{id}`); absent for a value this read derived.
    pub fact_id: Option<i64>,
    /// How a derived or corrected value was computed.
    pub formula: Option<String>,
    /// For a value this read derived: the stored facts it was computed from, with their signs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<DerivationInput>,
}

/// A stored fact a derived value was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DerivationInput {
    /// The fact's period.
    #[schema(example = "6M-2002-06-30")]
    pub period: String,
    /// `+` or `-`: whether it is added or subtracted.
    #[schema(example = "+")]
    pub sign: String,
    /// Its value.
    #[schema(value_type = String, example = "42453000")]
    pub value: Decimal,
    /// The fact.
    pub fact_id: i64,
    /// The filing it came from.
    pub filing_id: i64,
}

impl ValueCell {
    /// The stored fact of a row, if it has one.
    pub fn of_fact(row: &crate::db::reads::LineFact) -> Option<Self> {
        Some(Self {
            value: row.value?.normalize(),
            unit: row.unit.clone()?,
            status: row.status.clone()?,
            filing_id: Some(row.filing_id),
            fact_id: row.fact_id,
            formula: row.formula.clone(),
            derived_from: Vec::new(),
        })
    }
}

/// A filing as a source, from a row of it.
pub fn source_of(row: &crate::db::reads::LineFact) -> SourceFiling {
    SourceFiling {
        id: row.filing_id,
        form_type: row.form_type.clone(),
        report_date: row.report_date,
    }
}
