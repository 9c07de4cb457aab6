//! The subcommands of the `filings` binary, each a small function over the library.

mod ingest;

use std::io::Write;

use anyhow::Context;

use crate::app::App;
use crate::config::{Cli, Command, Config, ParseArgs};
use crate::db::{self, Database};
use crate::parse::{self, ParseOptions};
use crate::{api, telemetry};

/// Runs the command line: sets up logging, then the subcommand (`serve` when none is given).
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    telemetry::init(config.log_format, &config.log_filter)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => App::build(config).await?.run().await,
        Command::Migrate => migrate(&config).await,
        Command::Openapi => print_stdout(&api::docs::openapi_yaml()?),
        Command::Parse(args) => parse_file(&args),
        Command::Ingest(args) => ingest::run(&config, &args).await,
        Command::Config => print_stdout(&format!("{:#}\n", config.redacted())),
    }
}

/// `filings migrate`: applies pending migrations (starting the embedded cluster if needed).
async fn migrate(config: &Config) -> anyhow::Result<()> {
    let database = Database::open(config).await?;
    let result = db::migrate(&database.pool).await;
    database.close().await?;
    result?;
    tracing::info!(latest = db::latest_migration(), "database schema is up to date");
    Ok(())
}

/// `filings parse FILE`: the parser's result as pretty JSON.
fn parse_file(args: &ParseArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let parsed = parse::parse(&bytes, &ParseOptions { format: args.format });
    let json = serde_json::to_string_pretty(&parsed).context("serializing the parse result")?;
    print_stdout(&format!("{json}\n"))
}

fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).context("writing to stdout")
}
