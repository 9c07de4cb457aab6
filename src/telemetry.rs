//! Logging: one tracing subscriber, human-readable locally and JSON in containers, on stderr.
//!
//! Each HTTP request runs in a span carrying its `request_id` (see `app.rs`), so every line a
//! request logs, whatever module writes it, can be found by that id.

use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{EnvFilter, fmt};

use crate::config::LogFormat;

/// Installs the process-wide subscriber and routes panics through it.
///
/// stdout stays free for command output (`filings openapi > openapi.yaml`).
pub fn init(format: LogFormat, filter: &str) -> anyhow::Result<()> {
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let subscriber = subscriber(format, filter, std::io::stderr, colour)?;
    tracing::subscriber::set_global_default(subscriber)?;
    // A panic is logged like any other error, inside the span it happened in (so with its
    // request id); the default hook would print an unstructured line to stderr.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| l.to_string()).unwrap_or_default();
        let message = panic_message(info.payload());
        tracing::error!(panic.location = %location, panic.message = %message, "panic");
    }));
    Ok(())
}

/// A subscriber writing to `writer` (`colour`: ANSI colours in the pretty format); tests pass
/// an in-memory writer to read the log lines.
pub fn subscriber<W>(
    format: LogFormat,
    filter: &str,
    writer: W,
    colour: bool,
) -> anyhow::Result<Box<dyn Subscriber + Send + Sync>>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(filter)?;
    let builder = fmt().with_env_filter(filter).with_writer(writer);
    Ok(match format {
        LogFormat::Pretty => Box::new(builder.with_ansi(colour).finish()),
        LogFormat::Json => {
            Box::new(builder.json().with_current_span(true).with_span_list(false).finish())
        }
    })
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "non-string panic payload"
    }
}
