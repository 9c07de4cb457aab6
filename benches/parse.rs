//! Parser speed: bytes per second through `parse()` and through each layout reader alone.
//!
//! Inputs come from `../shared` (the seed and the corpus) when it is there; otherwise synthetic
//! text and HTML tables of about 1 MB are generated here, and the bench says so. Groups:
//!
//! - `text`: the seed and the corpus `.txt` files that are plain text throughout;
//! - `html`: the corpus `.htm` files;
//! - `edgar_html`: corpus `.txt` submissions that wrap HTML exhibits (a mix of both readers,
//!   kept apart so that neither figure above is blurred by the other layout).
//!
//! In each group `parse/...` is the whole pipeline and `reader/...` the layout reader alone
//! (`text::read` or `html::read` on the decoded text), so a slow reader can be told apart from
//! slow statement stages. Throughput is reported in MiB/s (criterion's `Throughput::Bytes`).
//! Set `FILINGS_BENCH_PER_FILE=1` to add one benchmark per input file.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use filings::parse::{self, ParseOptions, decode};

/// The allocator the `filings` binary runs with, so that the figures are the service's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One input file, raw and decoded.
struct Input {
    name: String,
    bytes: Vec<u8>,
    text: String,
}

impl Input {
    fn new(name: String, bytes: Vec<u8>) -> Self {
        let text = decode::decode(&bytes).text;
        Self { name, bytes, text }
    }
}

/// Which reader a group's `reader/...` benchmarks run.
#[derive(Clone, Copy)]
enum Reader {
    Text,
    Html,
    /// Mixed inputs: only the whole pipeline is measured.
    None,
}

/// The inputs of each group.
struct Inputs {
    seed: Option<Input>,
    text: Vec<Input>,
    html: Vec<Input>,
    edgar_html: Vec<Input>,
}

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn load() -> Inputs {
    let shared = shared_dir();
    let corpus = shared.join("corpus");
    let seed_path = shared.join("seed/002_a20aa652e07729f8.txt");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        println!(
            "bench: {} is absent; measuring synthetic inputs (a text table and an HTML table, ~1 MB each) instead",
            corpus.display()
        );
        return synthetic();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut inputs = Inputs {
        seed: std::fs::read(&seed_path).ok().map(|b| Input::new("seed".to_string(), b)),
        text: Vec::new(),
        html: Vec::new(),
        edgar_html: Vec::new(),
    };
    for path in paths {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let input = Input::new(name, bytes);
        match ext {
            "htm" | "html" => inputs.html.push(input),
            "txt" if has_html_part(&input.text) => inputs.edgar_html.push(input),
            "txt" => inputs.text.push(input),
            _ => {}
        }
    }
    if let Some(seed) = &inputs.seed {
        inputs.text.insert(0, Input::new(seed.name.clone(), seed.bytes.clone()));
    }
    inputs
}

/// An EDGAR submission whose parts include HTML documents.
fn has_html_part(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("<html") || lower.contains("<td")
}

/// A statement-like text table and an HTML table, each repeated to about 1 MB.
fn synthetic() -> Inputs {
    const TARGET: usize = 1 << 20;
    let text_table = "\
                      CONSOLIDATED STATEMENTS OF OPERATIONS
                     (In thousands, except per share amounts)

                                        Three Months Ended       Six Months Ended
                                       June 30,    June 30,    June 30,    June 30,
                                         2003        2002        2003        2002
                                       --------    --------    --------    --------
Net revenues .......................   $ 41,215    $ 38,904    $ 80,377    $ 75,118
Cost of revenues ...................     18,442      17,910      36,005      34,871
                                       --------    --------    --------    --------
Gross profit .......................     22,773      20,994      44,372      40,247
Research and development ...........      6,120       5,874      12,031      11,602
Selling, general and administrative       9,884       9,410      19,550      18,733
                                       --------    --------    --------    --------
Operating income ...................      6,769       5,710      12,791       9,912
Interest income (expense), net .....       (215)        104        (388)        197
                                       --------    --------    --------    --------
Net income .........................   $  6,554    $  5,814    $ 12,403    $ 10,109
                                       ========    ========    ========    ========

The company reported results for the quarter in line with its earlier guidance.

";
    let html_table = "\
<p><b>CONSOLIDATED STATEMENTS OF OPERATIONS</b><br>(In thousands)</p>
<table border=0 cellpadding=0>
<tr><td></td><td colspan=3 align=center>Three Months Ended</td></tr>
<tr><td></td><td>June 30, 2003</td><td></td><td>June 30, 2002</td></tr>
<tr><td>Net revenues</td><td>$</td><td align=right>41,215</td><td>$</td><td align=right>38,904</td></tr>
<tr><td>Cost of revenues</td><td></td><td align=right>18,442</td><td></td><td align=right>17,910</td></tr>
<tr><td><b>Gross profit</b></td><td></td><td align=right>22,773</td><td></td><td align=right>20,994</td></tr>
<tr><td>Operating expenses</td><td></td><td align=right>16,004</td><td></td><td align=right>15,284</td></tr>
<tr><td>Net income (loss)</td><td>$</td><td align=right>(6,769</td><td>)</td><td align=right>5,710</td></tr>
</table>
";
    let repeat = |unit: &str| unit.repeat(TARGET / unit.len() + 1);
    let html = format!("<html><body>{}</body></html>", repeat(html_table));
    Inputs {
        seed: None,
        text: vec![Input::new("synthetic".to_string(), repeat(text_table).into_bytes())],
        html: vec![Input::new("synthetic".to_string(), html.into_bytes())],
        edgar_html: Vec::new(),
    }
}

fn total_bytes(inputs: &[Input]) -> u64 {
    inputs.iter().map(|i| i.bytes.len() as u64).sum()
}

fn run_reader(reader: Reader, text: &str) -> usize {
    match reader {
        Reader::Text => parse::text::read(text, 0).blocks.len(),
        Reader::Html => parse::html::read(text, 0).blocks.len(),
        Reader::None => 0,
    }
}

/// `parse/<label>` and `reader/<label>` over all of `inputs`, one iteration reading each once.
fn bench_set(
    group: &mut BenchmarkGroup<'_, WallTime>,
    label: &str,
    inputs: &[Input],
    reader: Reader,
) {
    if inputs.is_empty() {
        return;
    }
    let options = ParseOptions::default();
    group.throughput(Throughput::Bytes(total_bytes(inputs)));
    group.bench_function(format!("parse/{label}"), |b| {
        b.iter(|| {
            for input in inputs {
                black_box(parse::parse(black_box(&input.bytes), &options));
            }
        })
    });
    if !matches!(reader, Reader::None) {
        group.bench_function(format!("reader/{label}"), |b| {
            b.iter(|| {
                for input in inputs {
                    black_box(run_reader(reader, black_box(&input.text)));
                }
            })
        });
    }
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    // one iteration over a corpus takes a good part of a second: the same number of iterations
    // in every sample keeps the run to seconds, where linear sampling would need dozens
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
}

fn bench_group(
    c: &mut Criterion,
    name: &str,
    inputs: &[Input],
    reader: Reader,
    seed: Option<&Input>,
) {
    if inputs.is_empty() {
        return;
    }
    let per_file = std::env::var_os("FILINGS_BENCH_PER_FILE").is_some();
    let mut group = c.benchmark_group(name);
    configure(&mut group);
    if let Some(seed) = seed {
        bench_set(&mut group, "seed", std::slice::from_ref(seed), reader);
    }
    bench_set(&mut group, "all", inputs, reader);
    if per_file {
        for input in inputs {
            let label = format!("file/{}", input.name);
            bench_set(&mut group, &label, std::slice::from_ref(input), reader);
        }
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let inputs = load();
    for (name, set) in
        [("text", &inputs.text), ("html", &inputs.html), ("edgar_html", &inputs.edgar_html)]
    {
        println!("bench: group {name}: {} files, {} bytes", set.len(), total_bytes(set));
    }
    bench_group(c, "text", &inputs.text, Reader::Text, inputs.seed.as_ref());
    bench_group(c, "html", &inputs.html, Reader::Html, None);
    bench_group(c, "edgar_html", &inputs.edgar_html, Reader::None, None);
}

criterion_group!(parse_benches, benches);
criterion_main!(parse_benches);
