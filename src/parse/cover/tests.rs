//! Tests of company and filing identity on synthetic covers (text, HTML, EDGAR, inline XBRL)
//! and, when present, the shared seed and corpus.

use chrono::NaiveDate;

use super::*;
use crate::parse::decode::decode;
use crate::parse::envelope::{detect_format, split};
use crate::parse::grid::TextLine;
use crate::parse::html::read;
use crate::parse::model::InputFormat;

/// A layout of text lines, the way a text reader hands over a cover page.
fn text_layout(text: &str) -> Layout {
    let blocks = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| Block::Text(TextLine { text: line.to_owned(), span: [0, 0] }))
        .collect();
    Layout { blocks }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Layouts of every readable part, through the HTML and text readers.
fn layouts_of(text: &str) -> (SecHeader, Vec<Layout>) {
    let (submission, _) = split(text, detect_format(text));
    let layouts = submission
        .parts
        .iter()
        .filter(|part| part.skipped.is_none())
        .map(|part| {
            let body = text.get(part.span[0]..part.span[1]).unwrap_or("");
            match part.format {
                InputFormat::Html => read(body, part.span[0]),
                _ => crate::parse::text::read(body, part.span[0]),
            }
        })
        .collect();
    (submission.header, layouts)
}

const PLAIN_COVER: &str = "SECURITIES AND EXCHANGE COMMISSION WASHINGTON, D.C. 20549

FORM 8-K

CURRENT REPORT

March 3, 2004

Date of Report (Date of earliest event reported)

GRANITE PEAK ROBOTICS, INC.

(Exact Name of Registrant as Specified in its Charter)

WEST VIRGINIA

001-31877

55-0712345

-----(State or Other Jurisdiction (Commission File Number)

of Incorporation)

(IRS Employer Identification No.)

200 MILL RACE PARKWAY, SUITE 12, MORGANTOWN, WEST VIRGINIA 26505 (Address of Principal Executive Offices) (Zip Code)

(304) 555-0142

(Registrant's telephone number, including area code)

Item 5. Other Events

Item 7. Financial Statements and Exhibits (information furnished under \"Item 12. Results of Operations\")

SIGNATURE

By:

/s/ Odalys T. Brennan
Odalys T. Brennan
Vice President and Treasurer

Exhibit Index

99.1 Press release of Granite Peak Robotics, Inc. dated March 3, 2004.

MORGANTOWN, W.Va. -- Granite Peak Robotics, Inc. (Nasdaq: GPRX), a maker of warehouse robots, today reported results.
";

#[test]
fn a_plain_text_cover_gives_every_identity_field() {
    let (company, filing, diagnostics) =
        identify(&SecHeader::default(), &[text_layout(PLAIN_COVER)], PLAIN_COVER);
    assert_eq!(company.name.as_deref(), Some("Granite Peak Robotics, Inc."));
    assert_eq!(company.state_of_incorporation.as_deref(), Some("WV"));
    assert_eq!(company.commission_file_number.as_deref(), Some("001-31877"));
    assert_eq!(company.irs_employer_id.as_deref(), Some("55-0712345"));
    assert_eq!(
        company.address.as_deref(),
        Some("200 Mill Race Parkway, Suite 12, Morgantown, West Virginia 26505")
    );
    assert_eq!(company.phone.as_deref(), Some("(304) 555-0142"));
    assert_eq!(company.ticker.as_deref(), Some("GPRX"));
    assert_eq!(company.exchange.as_deref(), Some("Nasdaq"));
    assert_eq!(company.cik, None);
    assert_eq!(filing.form_type.as_deref(), Some("8-K"));
    assert_eq!(filing.report_date, date(2004, 3, 3));
    assert_eq!(filing.items, ["5", "7", "12"]);
    assert_eq!(filing.exhibits, ["99.1"]);
    assert_eq!(filing.signed_by.as_deref(), Some("Odalys T. Brennan"));
    assert!(diagnostics.iter().any(|d| d.code == "identity_from_cover_page"));
}

#[test]
fn without_layouts_the_cover_is_read_from_the_text_lines() {
    let (company, filing, _) = identify(&SecHeader::default(), &[], PLAIN_COVER);
    assert_eq!(company.name.as_deref(), Some("Granite Peak Robotics, Inc."));
    assert_eq!(filing.report_date, date(2004, 3, 3));
}

#[test]
fn header_fields_win_and_the_printed_name_replaces_the_conformed_one() {
    let text =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edgar/three_parts.txt"));
    let (header, layouts) = layouts_of(text);
    let (company, filing, _) = identify(&header, &layouts, text);
    assert_eq!(company.name.as_deref(), Some("Harbor Lantern Systems, Inc."));
    assert_eq!(company.cik.as_deref(), Some("0001099001"));
    assert_eq!(company.state_of_incorporation.as_deref(), Some("DE"));
    assert_eq!(company.commission_file_number.as_deref(), Some("000-41122"));
    assert_eq!(company.irs_employer_id.as_deref(), Some("04-3311220"));
    assert_eq!(
        company.address.as_deref(),
        Some("12 QUARRY HILL DRIVE, SUITE 400, LOWELL, MA 01852")
    );
    assert_eq!(company.phone.as_deref(), Some("(978) 441-0000"));
    assert_eq!(company.fiscal_year_end.as_deref(), Some("1231"));
    assert_eq!(company.ticker.as_deref(), Some("HLSY"));
    assert_eq!(filing.form_type.as_deref(), Some("8-K"));
    assert_eq!(filing.report_date, date(2005, 3, 14));
    assert_eq!(filing.filing_date, date(2005, 3, 15));
    assert_eq!(filing.accession_number.as_deref(), Some("0000950123-05-001234"));
    assert_eq!(filing.items, ["2.02", "9.01"]);
    assert_eq!(filing.exhibits, ["99.1", "99.2"]);
    assert_eq!(filing.signed_by.as_deref(), Some("Marguerite O. Delacroix"));
}

const HTML_COVER: &str = r#"<html><body>
<p align=center>FORM 10-Q</p>
<table><tr><td>Date of Report: September 30, 2009</td></tr></table>
<p align=center><b>NORTHWIND BRICK &amp; TILE CO.</b><br>(Exact name of registrant as specified in its charter)</p>
<table>
<tr><td>Ohio</td><td>&nbsp;</td><td>1-8815</td><td>&nbsp;</td><td>34-0411223</td></tr>
<tr><td>(State or other jurisdiction of incorporation)</td><td></td><td>(Commission File Number)</td><td></td><td>(I.R.S. Employer Identification No.)</td></tr>
</table>
<table>
<tr><td>1 Kiln Road</td><td>Akron, Ohio</td><td>44301</td></tr>
<tr><td colspan=2>(Address of principal executive offices)</td><td>(Zip Code)</td></tr>
</table>
<p>Registrant's telephone number, including area code: 330.555.0100</p>
<table><tr><td>By</td><td>/s/Thaddeus Ohlsson<br>Thaddeus Ohlsson<br>Senior Vice President</td></tr></table>
</body></html>"#;

#[test]
fn an_html_cover_in_tables_reads_values_from_the_cells_above_their_labels() {
    let layout = read(HTML_COVER, 0);
    let (company, filing, _) = identify(&SecHeader::default(), &[layout], HTML_COVER);
    assert_eq!(company.name.as_deref(), Some("NORTHWIND BRICK & TILE CO."));
    assert_eq!(company.state_of_incorporation.as_deref(), Some("OH"));
    assert_eq!(company.commission_file_number.as_deref(), Some("1-8815"));
    assert_eq!(company.irs_employer_id.as_deref(), Some("34-0411223"));
    assert_eq!(company.address.as_deref(), Some("1 Kiln Road, Akron, Ohio 44301"));
    assert_eq!(company.phone.as_deref(), Some("(330) 555-0100"));
    assert_eq!(filing.form_type.as_deref(), Some("10-Q"));
    assert_eq!(filing.report_date, date(2009, 9, 30));
    assert!(filing.items.is_empty());
    assert_eq!(filing.signed_by.as_deref(), Some("Thaddeus Ohlsson"));
}

#[test]
fn inline_xbrl_cover_tags_fill_fields_the_layout_hides() {
    let html = r#"<html><body><div style="display:none"><ix:header><ix:hidden>
        <ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c">0001777001</ix:nonNumeric>
        <ix:nonNumeric name="dei:CurrentFiscalYearEndDate" contextRef="c">--03-31</ix:nonNumeric>
        </ix:hidden></ix:header></div>
        <p><ix:nonNumeric name="dei:DocumentType" contextRef="c">10-Q</ix:nonNumeric></p>
        <p>For the quarterly period ended <ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="c">June&#160;30, 2024</ix:nonNumeric></p>
        <p><ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c">Cedar Ridge Instruments Corp</ix:nonNumeric></p>
        <p><ix:nonNumeric name="dei:EntityIncorporationStateCountryCode" contextRef="c">Nevada</ix:nonNumeric></p>
        <p><ix:nonNumeric name="dei:EntityAddressAddressLine1" contextRef="c">9 Ridge Way</ix:nonNumeric>,
        <ix:nonNumeric name="dei:EntityAddressCityOrTown" contextRef="c">Reno</ix:nonNumeric>,
        <ix:nonNumeric name="dei:EntityAddressStateOrProvince" contextRef="c">NV</ix:nonNumeric>
        <ix:nonNumeric name="dei:EntityAddressPostalZipCode" contextRef="c">89501</ix:nonNumeric></p>
        <p>(<ix:nonNumeric name="dei:CityAreaCode" contextRef="c">775</ix:nonNumeric>)
        <ix:nonNumeric name="dei:LocalPhoneNumber" contextRef="c">555-0199</ix:nonNumeric></p>
        <table><tr><td><ix:nonNumeric name="dei:TradingSymbol" contextRef="c">CRIC</ix:nonNumeric></td>
        <td><ix:nonNumeric name="dei:SecurityExchangeName" contextRef="c">The Nasdaq Stock Market LLC</ix:nonNumeric></td></tr></table>
        </body></html>"#;
    let (company, filing, _) = identify(&SecHeader::default(), &[read(html, 0)], html);
    assert_eq!(company.name.as_deref(), Some("Cedar Ridge Instruments Corp"));
    assert_eq!(company.cik.as_deref(), Some("0001777001"));
    assert_eq!(company.fiscal_year_end.as_deref(), Some("0331"));
    assert_eq!(company.state_of_incorporation.as_deref(), Some("NV"));
    assert_eq!(company.address.as_deref(), Some("9 Ridge Way, Reno, NV 89501"));
    assert_eq!(company.phone.as_deref(), Some("(775) 555-0199"));
    assert_eq!(
        (company.ticker.as_deref(), company.exchange.as_deref()),
        (Some("CRIC"), Some("Nasdaq"))
    );
    assert_eq!(filing.form_type.as_deref(), Some("10-Q"));
    assert_eq!(filing.report_date, date(2024, 6, 30));
}

#[test]
fn a_bare_press_release_names_the_company_before_its_ticker() {
    let html = "<html><body><p><b>DULUTH, Minn. &#8211; </b>Iron Range Freight Lines Inc. (NYSE&#58; IRFL) today reported</p></body></html>";
    let (company, filing, diagnostics) = identify(&SecHeader::default(), &[read(html, 0)], html);
    assert_eq!(company.name.as_deref(), Some("Iron Range Freight Lines Inc."));
    assert_eq!(
        (company.ticker.as_deref(), company.exchange.as_deref()),
        (Some("IRFL"), Some("NYSE"))
    );
    assert!(filing.form_type.is_none() && filing.report_date.is_none());
    assert!(diagnostics.iter().any(|d| d.code == "company_from_press_release"));
}

#[test]
fn nothing_to_identify_gives_empty_identity_and_a_warning() {
    let (company, filing, diagnostics) = identify(&SecHeader::default(), &[], "Revenues 10 20\n");
    assert_eq!(company, CompanyInfo::default());
    assert_eq!(filing, FilingInfo::default());
    assert!(diagnostics.iter().any(|d| d.code == "company_unidentified"));
}

#[test]
fn the_seed_cover_matches_its_expected_identity() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: ../shared/seed not found");
        return;
    };
    let mut checked = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".txt") else {
            continue;
        };
        let Ok(expected) = std::fs::read_to_string(dir.join(format!("{stem}.expected.json")))
        else {
            continue;
        };
        let Ok(expected) = serde_json::from_str::<serde_json::Value>(&expected) else {
            continue;
        };
        let bytes = std::fs::read(&path).unwrap_or_default();
        let decoded = decode(&bytes);
        let (header, layouts) = layouts_of(&decoded.text);
        for layouts in [layouts, Vec::new()] {
            let (company, filing, _) = identify(&header, &layouts, &decoded.text);
            let company = serde_json::to_value(&company).unwrap_or_default();
            let filing = serde_json::to_value(&filing).unwrap_or_default();
            for (section, actual) in [("company", &company), ("filing", &filing)] {
                let Some(fields) = expected.get(section).and_then(|v| v.as_object()) else {
                    continue;
                };
                for (field, value) in fields {
                    assert_eq!(actual.get(field), Some(value), "{name}: {section}.{field}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0, "no seed expectations were checked");
}

#[test]
fn corpus_identities_agree_with_the_manifest() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.json")) else {
        println!("skipped: ../shared/corpus not found");
        return;
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap_or_default();
    let entries = manifest.get("entries").and_then(|e| e.as_array()).cloned().unwrap_or_default();
    assert!(!entries.is_empty());
    for entry in entries {
        let field = |name: &str| entry.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let Some(file) = field("file") else { continue };
        let bytes = std::fs::read(dir.join(&file)).unwrap_or_default();
        let decoded = decode(&bytes);
        let (header, layouts) = layouts_of(&decoded.text);
        let (company, filing, _) = identify(&header, &layouts, &decoded.text);
        println!(
            "{file}: {:?} cik={:?} {:?}/{:?} ticker={:?}:{:?} state={:?} file={:?} irs={:?} form={:?} report={:?} filed={:?} items={:?} exhibits={:?} signer={:?} addr={:?} phone={:?}",
            company.name,
            company.cik,
            company.exchange,
            company.ticker,
            company.exchange,
            company.ticker,
            company.state_of_incorporation,
            company.commission_file_number,
            company.irs_employer_id,
            filing.form_type,
            filing.report_date,
            filing.filing_date,
            filing.items,
            filing.exhibits,
            filing.signed_by,
            company.address,
            company.phone
        );
        let has_header = header.company_name.is_some();
        let name = company.name.clone().unwrap_or_default();
        let expected_company = field("company").unwrap_or_default();
        assert!(
            expected_company.to_lowercase().contains(&name.to_lowercase()) && !name.is_empty(),
            "{file}: company {name:?} vs manifest {expected_company:?}"
        );
        if has_header {
            assert_eq!(company.cik, field("cik"), "{file}: cik");
            assert_eq!(
                filing.filing_date.map(|d| d.to_string()),
                field("filing_date"),
                "{file}: filing date"
            );
            assert_eq!(
                filing.report_date.map(|d| d.to_string()),
                field("report_date"),
                "{file}: report date"
            );
            assert_eq!(filing.form_type, field("form_type"), "{file}: form type");
        }
    }
}
