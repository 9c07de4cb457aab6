//! The company a read is about, with its fiscal year end and periods, loaded in one query; and
//! period references resolved against it (unknown ones answered with what exists).

use sqlx::PgPool;

use super::cache::DataVersion;
use super::params::clip;
use super::periods::{self, FiscalYearEnd, KnownPeriod, PeriodKind, PeriodSpec};
use super::wire::{CompanyRef, PeriodInfo};
use crate::api::problem::ApiError;
use crate::db::reads::context::company_periods;

/// A company and its periods.
#[derive(Debug, Clone)]
pub struct CompanyContext {
    /// Id and name.
    pub company: CompanyRef,
    /// Its fiscal year end (December 31 when the filings do not say).
    pub fiscal_year_end: FiscalYearEnd,
    /// Its periods, by end date.
    pub periods: Vec<KnownPeriod>,
    /// The version of its data (see [`DataVersion`]).
    pub version: DataVersion,
}

/// A period reference, resolved.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// A period the company has.
    Stored(KnownPeriod),
    /// A well-formed period the company has no row for (a quarter no filing prints).
    Missing(PeriodSpec),
}

impl CompanyContext {
    /// Loads company `company_id`; 404 when there is none.
    pub async fn load(pool: &PgPool, company_id: i64) -> Result<Self, ApiError> {
        let rows = company_periods(pool, company_id).await?;
        let first = rows.first().ok_or_else(|| {
            ApiError::NotFound(format!(
                "There is no company {company_id}; GET /v1/companies lists them."
            ))
        })?;
        let fiscal_year_end =
            first.fiscal_year_end.as_deref().and_then(FiscalYearEnd::parse).unwrap_or_default();
        let company = CompanyRef { id: first.company_id, name: first.name.clone() };
        let version = DataVersion {
            filings: first.filings_count,
            statements: first.statements_count,
            statement_id_sum: first.statement_id_sum,
        };
        let periods = rows
            .iter()
            .filter_map(|row| {
                let kind = match row.kind.as_deref()? {
                    "instant" => PeriodKind::Instant,
                    _ => PeriodKind::Duration,
                };
                Some(KnownPeriod {
                    id: row.period_id?,
                    kind,
                    start: row.start_date,
                    end: row.end_date?,
                    months: row.months.and_then(|m| u32::try_from(m).ok()),
                })
            })
            .collect();
        Ok(Self { company, fiscal_year_end, periods, version })
    }

    /// Reads a reference (422 when malformed) and finds the period it names, if stored.
    pub fn resolve(&self, text: &str) -> Result<Resolved, ApiError> {
        let spec = periods::parse_period(text, self.fiscal_year_end)
            .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
        Ok(match periods::find(&spec, &self.periods) {
            Some(period) => Resolved::Stored(period.clone()),
            None => Resolved::Missing(spec),
        })
    }

    /// Reads a reference that must name a stored period; 404 listing what exists otherwise.
    pub fn resolve_stored(&self, text: &str) -> Result<KnownPeriod, ApiError> {
        match self.resolve(text)? {
            Resolved::Stored(period) => Ok(period),
            Resolved::Missing(spec) => Err(self.unknown_period(&spec, "")),
        }
    }

    /// The 404 for a period the company has no data for, listing the periods it has.
    pub fn unknown_period(&self, spec: &PeriodSpec, hint: &str) -> ApiError {
        ApiError::NotFound(format!(
            "Company {} has no data for period {} ({}).{hint} Periods with data: {}.",
            self.company.id,
            clip(&spec.written),
            spec.canonical_id(),
            self.describe_periods(|_| true)
        ))
    }

    /// The company's periods, as `id (alias)`, that pass `keep`; `none` when empty.
    pub fn describe_periods(&self, keep: impl Fn(&KnownPeriod) -> bool) -> String {
        let listed: Vec<String> = self
            .periods
            .iter()
            .filter(|p| keep(p))
            .map(|p| match p.fiscal_alias(self.fiscal_year_end) {
                Some(alias) => format!("{} ({alias})", p.canonical_id()),
                None => p.canonical_id(),
            })
            .collect();
        if listed.is_empty() { "none".to_owned() } else { listed.join(", ") }
    }

    /// The wire form of a stored period.
    pub fn period_info(&self, period: &KnownPeriod) -> PeriodInfo {
        PeriodInfo::of(period, self.fiscal_year_end)
    }

    /// A stored period by row id.
    pub fn period(&self, id: i64) -> Option<&KnownPeriod> {
        self.periods.iter().find(|p| p.id == id)
    }
}
