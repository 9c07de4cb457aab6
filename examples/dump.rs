//! Development aid: print a compact view of what the parser reads from a file.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    if std::env::var("DUMP_LAYOUT").is_ok() {
        let text = String::from_utf8_lossy(&bytes);
        let layout = if path.ends_with(".htm") || std::env::var_os("AS_HTML").is_some() {
            filings::parse::html::read(&text, 0)
        } else {
            filings::parse::text::read(&text, 0)
        };
        for block in layout.blocks.iter().take(400) {
            match block {
                filings::parse::grid::Block::Text(t) => {
                    println!("TEXT {}", t.text.chars().take(100).collect::<String>())
                }
                filings::parse::grid::Block::Table(t) => {
                    println!("TABLE");
                    for r in &t.rows {
                        println!(
                            "  {}",
                            r.cells
                                .iter()
                                .map(|c| format!(
                                    "{}:{}{}",
                                    c.col,
                                    if c.colspan > 1 {
                                        format!("+{} ", c.colspan)
                                    } else {
                                        String::new()
                                    },
                                    c.text
                                ))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        );
                    }
                }
            }
        }
        return;
    }
    let parsed = filings::parse::parse(&bytes, &filings::parse::ParseOptions::default());
    for s in &parsed.statements {
        println!(
            "== [{}] {:?} `{}` scale {} cols {:?}",
            s.index,
            s.kind,
            s.title,
            s.scale,
            s.columns
                .iter()
                .map(|c| format!("{}/{:?} <{}>", c.period, c.basis, c.header))
                .collect::<Vec<_>>()
        );
        for li in &s.line_items {
            let vals: Vec<String> = s
                .columns
                .iter()
                .map(|c| {
                    parsed
                        .facts
                        .iter()
                        .find(|f| {
                            f.statement_index == s.index
                                && f.line_item == li.index
                                && f.period == c.period
                                && f.basis == c.basis
                        })
                        .map(|f| {
                            format!(
                                "{}{}",
                                f.value,
                                match f.status {
                                    filings::parse::FactStatus::Reported => "",
                                    filings::parse::FactStatus::Derived => "*D",
                                    filings::parse::FactStatus::Corrected => "*C",
                                }
                            )
                        })
                        .unwrap_or_else(|| "-".into())
                })
                .collect();
            println!(
                "  {}{:<55} {:<28} {}",
                if li.is_header {
                    "#"
                } else if li.is_total {
                    "T"
                } else {
                    " "
                },
                li.label,
                li.concept.clone().unwrap_or_default(),
                vals.join(" | ")
            );
        }
    }
    for c in parsed.checks.iter().filter(|c| !c.passed) {
        println!(
            "FAILED {:?} {} {} {:?}: expected {} actual {}",
            c.kind, c.description, c.period, c.basis, c.expected, c.actual
        );
    }
    println!(
        "checks: {} passed, {} failed",
        parsed.checks.iter().filter(|c| c.passed).count(),
        parsed.checks.iter().filter(|c| !c.passed).count()
    );
    for d in &parsed.diagnostics {
        println!("diag {:?} {}: {}", d.severity, d.code, d.message);
    }
}

/// Print the grids an HTML file reads into (set DUMP_LAYOUT=1).
#[allow(dead_code)]
fn layout() {}
