//! Development aid: `parse_speed SECONDS FILE...` parses the files over and over for about the
//! given time and prints the throughput, a quick figure between criterion runs (and a steady
//! load to profile under `perf record`).
use std::time::{Duration, Instant};

/// The allocator the `filings` binary runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 =
        args.next().and_then(|s| s.parse().ok()).expect("usage: parse_speed SECONDS FILE...");
    let inputs: Vec<Vec<u8>> = args.map(|p| std::fs::read(&p).expect("readable file")).collect();
    let bytes: usize = inputs.iter().map(Vec::len).sum();
    let options = filings::parse::ParseOptions::default();
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_secs_f64(seconds) {
        for input in &inputs {
            std::hint::black_box(filings::parse::parse(input, &options));
        }
        rounds += 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mib = (bytes as f64 * f64::from(rounds)) / (1024.0 * 1024.0);
    println!("{rounds} rounds of {bytes} bytes: {:.1} MiB/s", mib / elapsed);
}
