//! The `filings` binary: parses the command line and hands it to the library.

use clap::Parser;

use filings::config::Cli;

/// mimalloc rather than the system allocator: parsing builds many short-lived strings and
/// vectors, and with glibc's malloc a fifth of parse time went to allocating and freeing.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    filings::cli::run(Cli::parse()).await
}
