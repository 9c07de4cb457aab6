//! Stage 4: who filed and what: company and filing identity from the SEC header, inline-XBRL
//! `dei:` tags and the cover page, in that order of trust.
//!
//! The header is typed data and wins; `dei:` tags are exact where present; the cover page
//! (labels such as "(Exact name of registrant as specified in its charter)") fills what is
//! still missing. The company name is the one printed on the document when it matches the
//! header's conformed name (EDGAR writes "APPLE COMPUTER INC" for "Apple Computer, Inc.").

mod data;
mod dei;
mod fields;
mod patterns;

use super::envelope::SecHeader;
use super::grid::{Block, Layout};
use super::html::scan::find_any_tag;
use super::model::{CompanyInfo, Diagnostic, FilingInfo};
use fields::CoverLine;

/// How many lines of the main document count as its cover page.
const COVER_LINES: usize = 150;
/// How many lines of the main document are searched for items, exhibits and the signer.
const BODY_LINES: usize = 4000;
/// How many lines of each other part are searched for a ticker or the company's printed name.
const EXHIBIT_LINES: usize = 400;
/// How many lines of all other parts together are searched.
const MAX_EXHIBIT_LINES: usize = 4000;
/// How far into the text the fallback line split reads (when no layout has text).
const FALLBACK_TEXT: usize = 512 * 1024;

/// Company and filing identity. `layouts` are the parts' layouts, the main document first;
/// `text` is the decoded input (read for `<TYPE>EX-` part types and inline-XBRL tags).
pub fn identify(
    header: &SecHeader,
    layouts: &[Layout],
    text: &str,
) -> (CompanyInfo, FilingInfo, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut main =
        layouts.first().map(|layout| cover_lines(layout, BODY_LINES)).unwrap_or_default();
    if main.is_empty() {
        let head = super::html::scan::prefix(text, FALLBACK_TEXT);
        main = head
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(BODY_LINES)
            .map(CoverLine::text)
            .collect();
    }
    let others: Vec<CoverLine<'_>> = layouts
        .iter()
        .skip(1)
        .flat_map(|layout| cover_lines(layout, EXHIBIT_LINES))
        .take(MAX_EXHIBIT_LINES)
        .collect();
    let cover = main.get(..main.len().min(COVER_LINES)).unwrap_or_default();
    let dei = dei::read(text);
    let mut from_cover: Vec<&str> = Vec::new();

    let mut company = CompanyInfo {
        cik: header.cik.clone().or_else(|| dei.get("EntityCentralIndexKey").map(str::to_owned)),
        state_of_incorporation: header.state_of_incorporation.clone(),
        commission_file_number: header.sec_file_number.clone(),
        irs_employer_id: header.irs_number.as_deref().map(patterns::format_irs_id),
        address: header.business_address.clone(),
        phone: header.business_phone.as_deref().map(patterns::format_phone),
        fiscal_year_end: header.fiscal_year_end.clone().or_else(|| {
            let date = dei.get("CurrentFiscalYearEndDate")?;
            let digits: String = date.chars().filter(char::is_ascii_digit).collect();
            (digits.len() == 4).then_some(digits)
        }),
        ..CompanyInfo::default()
    };
    company.name =
        company_name(header, &dei, cover, &main, &others, &mut from_cover, &mut diagnostics);

    if company.state_of_incorporation.is_none() {
        company.state_of_incorporation = dei
            .get("EntityIncorporationStateCountryCode")
            .and_then(state_code_or_printed)
            .or_else(|| {
                fill(
                    &mut from_cover,
                    "state",
                    fields::labelled(cover, data::STATE_LABELS, data::us_state_code)
                        .map(str::to_owned),
                )
            });
    }
    if company.commission_file_number.is_none() {
        company.commission_file_number =
            dei.get("EntityFileNumber").map(str::to_owned).or_else(|| {
                fill(
                    &mut from_cover,
                    "commission file number",
                    fields::labelled(cover, data::FILE_NUMBER_LABELS, patterns::find_file_number),
                )
            });
    }
    if company.irs_employer_id.is_none() {
        company.irs_employer_id =
            dei.get("EntityTaxIdentificationNumber").map(patterns::format_irs_id).or_else(|| {
                fill(
                    &mut from_cover,
                    "IRS employer id",
                    fields::labelled(cover, data::IRS_LABELS, patterns::find_irs_id),
                )
            });
    }
    if company.address.is_none() {
        company.address =
            dei_address(&dei).or_else(|| fill(&mut from_cover, "address", fields::address(cover)));
    }
    if company.phone.is_none() {
        let dei_phone = dei
            .get("CityAreaCode")
            .zip(dei.get("LocalPhoneNumber"))
            .map(|(a, n)| patterns::format_phone(&format!("{a}{n}")));
        company.phone = dei_phone.or_else(|| {
            fill(
                &mut from_cover,
                "phone",
                fields::labelled(cover, data::PHONE_LABELS, patterns::find_phone),
            )
        });
    }
    let tagged_ticker = dei
        .get("TradingSymbol")
        .map(str::to_owned)
        .zip(dei.get("SecurityExchangeName").and_then(data::exchange_name).map(str::to_owned));
    if let Some((symbol, exchange)) =
        tagged_ticker.or_else(|| fields::ticker(&main).or_else(|| fields::ticker(&others)))
    {
        company.ticker = Some(symbol);
        company.exchange = Some(exchange);
    }

    let mut filing = FilingInfo {
        form_type: header.form_type.clone().or_else(|| dei.get("DocumentType").map(str::to_owned)),
        report_date: header
            .period_of_report
            .or_else(|| dei.get("DocumentPeriodEndDate").and_then(patterns::find_date)),
        filing_date: header.filed_as_of,
        accession_number: header.accession_number.clone(),
        ..FilingInfo::default()
    };
    if filing.form_type.is_none() {
        filing.form_type = fill(&mut from_cover, "form type", fields::form_type(cover));
    }
    if filing.report_date.is_none() {
        filing.report_date = fill(
            &mut from_cover,
            "date of report",
            fields::labelled(cover, data::DATE_LABELS, patterns::find_date),
        );
    }
    let current_report =
        filing.form_type.as_deref().is_none_or(|form| form.to_ascii_uppercase().starts_with("8-K"));
    if current_report {
        filing.items = fields::items(&main);
    }
    filing.exhibits = fields::exhibits(&main);
    for number in exhibit_part_types(text) {
        if !filing.exhibits.contains(&number) {
            filing.exhibits.push(number);
        }
    }
    filing.signed_by = fields::signer(&main);

    if !from_cover.is_empty() {
        diagnostics.push(Diagnostic::info(
            "identity_from_cover_page",
            format!("read from the cover page: {}", from_cover.join(", ")),
            None,
        ));
    }
    if company.name.is_none() {
        diagnostics.push(Diagnostic::warning(
            "company_unidentified",
            "no company name in the header or on the cover page",
            None,
        ));
    }
    (company, filing, diagnostics)
}

/// Note that a field came from the cover page (when it did).
fn fill<T>(from_cover: &mut Vec<&'static str>, field: &'static str, value: Option<T>) -> Option<T> {
    if value.is_some() {
        from_cover.push(field);
    }
    value
}

/// A layout as cover lines: text lines, and table rows with their cells.
fn cover_lines(layout: &Layout, limit: usize) -> Vec<CoverLine<'_>> {
    let mut lines = Vec::new();
    for block in &layout.blocks {
        match block {
            Block::Text(line) => lines.push(CoverLine::text(&line.text)),
            Block::Table(table) => {
                for row in &table.rows {
                    let cells: Vec<(usize, usize, &str)> = row
                        .cells
                        .iter()
                        .filter(|cell| !cell.text.is_empty())
                        .map(|cell| (cell.col, cell.colspan, cell.text.as_str()))
                        .collect();
                    if !cells.is_empty() {
                        lines.push(CoverLine::row(cells));
                    }
                }
            }
        }
        if lines.len() >= limit {
            lines.truncate(limit);
            break;
        }
    }
    lines
}

/// The company's name: the header's conformed name, in its printed form when the document
/// prints it; else the tagged or cover-page name; else the name a press release gives
/// before its ticker.
fn company_name(
    header: &SecHeader,
    dei: &dei::DeiFacts,
    cover: &[CoverLine<'_>],
    main: &[CoverLine<'_>],
    others: &[CoverLine<'_>],
    from_cover: &mut Vec<&'static str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let printed = dei
        .get("EntityRegistrantName")
        .map(str::to_owned)
        .or_else(|| fields::registrant_name(cover))
        .or_else(|| fields::name_by_suffix(cover));
    let everywhere = || main.iter().chain(others);
    let name = match (&header.company_name, printed) {
        (Some(conformed), Some(printed)) if patterns::same_name(conformed, &printed) => printed,
        (Some(conformed), _) => {
            let key = patterns::name_key(conformed).concat();
            let found: Vec<String> = everywhere()
                .filter_map(|line| patterns::find_name_in(&line.text, &key))
                .take(20)
                .collect();
            found
                .iter()
                .find(|n| n.chars().any(char::is_lowercase))
                .or(found.first())
                .cloned()
                .unwrap_or_else(|| conformed.clone())
        }
        (None, Some(printed)) => {
            from_cover.push("name");
            printed
        }
        (None, None) => {
            let name = everywhere().find_map(fields::name_before_ticker)?;
            diagnostics.push(Diagnostic::info(
                "company_from_press_release",
                format!("company name taken from the text before its ticker: {name}"),
                None,
            ));
            return Some(name);
        }
    };
    if name.chars().any(char::is_lowercase) {
        return Some(name);
    }
    // Printed in capitals on the cover: use the same name as printed elsewhere in mixed case.
    let key = patterns::name_key(&name).concat();
    let mixed = everywhere()
        .filter_map(|line| patterns::find_name_in(&line.text, &key))
        .find(|found| found.chars().any(char::is_lowercase));
    Some(mixed.unwrap_or(name))
}

/// A US state name or code as its two-letter code; anything else as printed.
fn state_code_or_printed(value: &str) -> Option<String> {
    let value = value.trim();
    if value.len() == 2 && value.chars().all(|c| c.is_ascii_uppercase()) {
        return Some(value.to_owned());
    }
    data::us_state_code(value)
        .map(str::to_owned)
        .or_else(|| (!value.is_empty()).then(|| value.to_owned()))
}

/// The address tagged with `dei:EntityAddress...` facts.
fn dei_address(dei: &dei::DeiFacts) -> Option<String> {
    let street: Vec<&str> =
        ["EntityAddressAddressLine1", "EntityAddressAddressLine2", "EntityAddressCityOrTown"]
            .iter()
            .filter_map(|name| dei.get(name))
            .collect();
    if street.is_empty() {
        return None;
    }
    let state_zip: Vec<&str> = ["EntityAddressStateOrProvince", "EntityAddressPostalZipCode"]
        .iter()
        .filter_map(|n| dei.get(n))
        .collect();
    let mut parts: Vec<String> = street.iter().map(|s| (*s).to_owned()).collect();
    if !state_zip.is_empty() {
        parts.push(state_zip.join(" "));
    }
    Some(parts.join(", "))
}

/// Exhibit numbers from `<TYPE>EX-99.1` part headers (XBRL data files excluded).
fn exhibit_part_types(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut from = 0;
    while let Some((at, _)) = find_any_tag(text, from, &["<TYPE>EX-"]) {
        from = at + 1;
        let start = at + "<TYPE>EX-".len();
        let line = text.get(start..).and_then(|rest| rest.lines().next()).unwrap_or("");
        let number = line.split('<').next().unwrap_or("").trim();
        let data_file = number.starts_with("100") || number.starts_with("101");
        if !number.is_empty()
            && number.len() <= 20
            && !data_file
            && !numbers.iter().any(|n| n == number)
        {
            numbers.push(number.to_owned());
        }
    }
    numbers
}

#[cfg(test)]
mod tests;
