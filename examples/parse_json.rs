//! Development aid: `parse_json parse FILE` prints the parse result as `filings parse` does.
fn main() {
    let path = std::env::args().nth(2).expect("usage: parse_json parse FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let parsed = filings::parse::parse(&bytes, &filings::parse::ParseOptions::default());
    println!("{}", serde_json::to_string_pretty(&parsed).expect("serializable"));
}
