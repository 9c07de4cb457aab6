//! Tests of format detection, header fields and document parts.

use super::*;
use chrono::NaiveDate;

const THREE_PARTS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edgar/three_parts.txt"));

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn body<'a>(text: &'a str, part: &DocumentPart) -> &'a str {
    text.get(part.span[0]..part.span[1]).unwrap_or("")
}

#[test]
fn formats_are_detected_from_the_first_few_kilobytes() {
    assert_eq!(detect_format(THREE_PARTS), InputFormat::Edgar);
    assert_eq!(detect_format("<!DOCTYPE html><HTML><BODY><P>x</P>"), InputFormat::Html);
    assert_eq!(detect_format("<table><tr><td>1</td></tr></table>"), InputFormat::Html);
    assert_eq!(detect_format("FORM 8-K\n\nRevenues   1,234\n"), InputFormat::Text);
    // EDGAR plain-text table tags are not HTML.
    assert_eq!(detect_format("<TABLE>\n<S>  <C>\nSales  10\n</TABLE>"), InputFormat::Text);
    assert_eq!(
        detect_format("ACCESSION NUMBER: 1\nCONFORMED SUBMISSION TYPE: 8-K\n"),
        InputFormat::Edgar
    );
}

#[test]
fn header_fields_come_from_the_first_filer() {
    let (submission, _) = split(THREE_PARTS, InputFormat::Edgar);
    let header = submission.header;
    assert_eq!(header.company_name.as_deref(), Some("HARBOR LANTERN SYSTEMS INC"));
    assert_eq!(header.cik.as_deref(), Some("0001099001"));
    assert_eq!(header.form_type.as_deref(), Some("8-K"));
    assert_eq!(header.period_of_report, date(2005, 3, 14));
    assert_eq!(header.filed_as_of, date(2005, 3, 15));
    assert_eq!(header.accession_number.as_deref(), Some("0000950123-05-001234"));
    assert_eq!(header.sec_file_number.as_deref(), Some("000-41122"));
    assert_eq!(header.irs_number.as_deref(), Some("043311220"));
    assert_eq!(header.state_of_incorporation.as_deref(), Some("DE"));
    assert_eq!(header.fiscal_year_end.as_deref(), Some("1231"));
    assert_eq!(
        header.business_address.as_deref(),
        Some("12 QUARRY HILL DRIVE, SUITE 400, LOWELL, MA 01852")
    );
    assert_eq!(header.business_phone.as_deref(), Some("9784410000"));
}

#[test]
fn every_document_becomes_a_part_with_its_text_span() {
    let (submission, diagnostics) = split(THREE_PARTS, InputFormat::Edgar);
    let parts = &submission.parts;
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[0].doc_type.as_deref(), Some("8-K"));
    assert_eq!(parts[0].filename.as_deref(), Some("hls8k.txt"));
    assert_eq!(parts[0].description.as_deref(), Some("FORM 8-K"));
    assert_eq!(parts[0].format, InputFormat::Text);
    assert!(
        body(THREE_PARTS, &parts[0]).starts_with("                                  UNITED STATES")
    );
    assert!(body(THREE_PARTS, &parts[0]).ends_with("Chief Financial Officer\n"));

    assert_eq!(parts[1].doc_type.as_deref(), Some("EX-99.1"));
    assert_eq!(parts[1].format, InputFormat::Html);
    assert!(body(THREE_PARTS, &parts[1]).starts_with("<HTML>"));
    assert!(body(THREE_PARTS, &parts[1]).ends_with("</HTML>\n"));
    assert!(parts[0].skipped.is_none() && parts[1].skipped.is_none());

    assert!(parts[2].skipped.as_deref().is_some_and(|r| r.contains("GRAPHIC")));
    assert!(parts[3].skipped.as_deref().is_some_and(|r| r.contains("uuencoded")));
    let skipped = diagnostics.iter().filter(|d| d.code == "part_skipped").count();
    assert_eq!(skipped, 2);
}

#[test]
fn html_and_text_inputs_are_one_part() {
    let text = "<html><body><p>Hello</p></body></html>";
    let (submission, diagnostics) = split(text, InputFormat::Html);
    assert_eq!(submission.parts.len(), 1);
    assert_eq!(submission.parts[0].span, [0, text.len()]);
    assert_eq!(submission.parts[0].format, InputFormat::Html);
    assert_eq!(submission.header, SecHeader::default());
    assert!(diagnostics.is_empty());
}

#[test]
fn legacy_ims_header_without_filer_block_still_names_the_company() {
    let text = "<IMS-DOCUMENT>0000000000-95-000001.txt : 19950301\n<IMS-HEADER>\n\
        ACCESSION NUMBER: 0000000000-95-000001\nCONFORMED SUBMISSION TYPE: 10-Q\n\
        FILED AS OF DATE: 19950301\nCOMPANY CONFORMED NAME: OLD MILL FOODS CORP\n\
        CENTRAL INDEX KEY: 0000777001\n</IMS-HEADER>\n<DOCUMENT>\n<TYPE>10-Q\n<TEXT>\nBody\n</TEXT>\n</DOCUMENT>\n";
    let (submission, _) = split(text, detect_format(text));
    assert_eq!(submission.header.company_name.as_deref(), Some("OLD MILL FOODS CORP"));
    assert_eq!(submission.header.form_type.as_deref(), Some("10-Q"));
    assert_eq!(submission.header.filed_as_of, date(1995, 3, 1));
    assert_eq!(body(text, &submission.parts[0]), "Body\n");
}

#[test]
fn tagged_sgml_header_keys_are_read_like_text_keys() {
    let text = "<SEC-HEADER>\n<ACCESSION-NUMBER>0000000000-04-000009\n<TYPE>10-K\n<PERIOD>20031231\n\
        <FILER>\n<COMPANY-DATA>\n<CONFORMED-NAME>NORTHWIND BRICK CO\n<CIK>0000888001\n\
        </COMPANY-DATA>\n<BUSINESS-ADDRESS>\n<STREET1>1 KILN RD\n<CITY>AKRON\n<STATE>OH\n\
        <ZIP>44301\n<PHONE>3305550100\n</BUSINESS-ADDRESS>\n</FILER>\n</SEC-HEADER>\n\
        <DOCUMENT>\n<TYPE>10-K\n<TEXT>\nx\n</TEXT>\n</DOCUMENT>\n";
    let (submission, _) = split(text, InputFormat::Edgar);
    let header = &submission.header;
    assert_eq!(header.company_name.as_deref(), Some("NORTHWIND BRICK CO"));
    assert_eq!(header.form_type.as_deref(), Some("10-K"));
    assert_eq!(header.period_of_report, date(2003, 12, 31));
    assert_eq!(header.business_address.as_deref(), Some("1 KILN RD, AKRON, OH 44301"));
    assert_eq!(header.business_phone.as_deref(), Some("3305550100"));
}

#[test]
fn unterminated_parts_end_at_the_next_document() {
    let text = "<SEC-HEADER>\nCONFORMED SUBMISSION TYPE: 8-K\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n\
        <TEXT>\nfirst\n<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nsecond";
    let (submission, diagnostics) = split(text, InputFormat::Edgar);
    assert_eq!(submission.parts.len(), 2);
    assert_eq!(body(text, &submission.parts[0]), "first\n");
    assert_eq!(body(text, &submission.parts[1]), "second");
    assert_eq!(diagnostics.iter().filter(|d| d.code == "part_unterminated").count(), 2);
}

#[test]
fn pdf_and_xbrl_data_parts_are_skipped_but_wrapped_inline_xbrl_is_read() {
    let text = "<SEC-HEADER>\n</SEC-HEADER>\n\
        <DOCUMENT>\n<TYPE>10-Q\n<FILENAME>q.htm\n<TEXT>\n<XBRL>\n<?xml version=\"1.0\"?>\n<html><body><p>x</p></body></html>\n</XBRL>\n</TEXT>\n</DOCUMENT>\n\
        <DOCUMENT>\n<TYPE>EX-101.INS\n<TEXT>\n<XBRL>\n<xbrl/>\n</XBRL>\n</TEXT>\n</DOCUMENT>\n\
        <DOCUMENT>\n<TYPE>EX-99\n<TEXT>\n<PDF>\nbegin 644 x.pdf\n</PDF>\n</TEXT>\n</DOCUMENT>\n";
    let (submission, _) = split(text, InputFormat::Edgar);
    let parts = &submission.parts;
    assert_eq!(parts.len(), 3);
    assert!(parts[0].skipped.is_none());
    assert_eq!(parts[0].format, InputFormat::Html);
    assert!(parts[1].skipped.is_some());
    assert!(parts[2].skipped.as_deref().is_some_and(|r| r.contains("PDF")));
}

#[test]
fn an_envelope_without_documents_reads_the_rest_as_one_part() {
    let text = "<SEC-HEADER>\nCONFORMED SUBMISSION TYPE: 8-K\n</SEC-HEADER>\nRevenues 10\n";
    let (submission, diagnostics) = split(text, InputFormat::Edgar);
    assert_eq!(submission.parts.len(), 1);
    assert_eq!(body(text, &submission.parts[0]), "\nRevenues 10\n");
    assert!(diagnostics.iter().any(|d| d.code == "no_document_parts"));
}

#[test]
fn splitting_a_large_submission_is_linear() {
    let mut text = String::from("<SEC-HEADER>\nCONFORMED SUBMISSION TYPE: 10-K\n</SEC-HEADER>\n");
    let row = "<TR><TD>Revenues</TD><TD>1,234</TD></TR>\n";
    for index in 0..200 {
        text.push_str(&format!("<DOCUMENT>\n<TYPE>EX-{index}\n<TEXT>\n<HTML><TABLE>\n"));
        for _ in 0..2_000 {
            text.push_str(row);
        }
        text.push_str("</TABLE></HTML>\n</TEXT>\n</DOCUMENT>\n");
    }
    let started = std::time::Instant::now();
    let (submission, _) = split(&text, InputFormat::Edgar);
    assert_eq!(submission.parts.len(), 200);
    // About 17 MB; a quadratic scan would take minutes even in a debug build.
    assert!(started.elapsed().as_secs() < 20, "split took {:?}", started.elapsed());
}
