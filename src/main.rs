//! The `filings` binary: parses the command line and hands it to the library.

use clap::Parser;

use filings::config::Cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    filings::cli::run(Cli::parse()).await
}
