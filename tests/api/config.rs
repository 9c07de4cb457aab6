//! Configuration: defaults, environment, flags and bad values, through the real binary (so the
//! environment is controlled per case) and through clap in-process.

use std::process::{Command, Output};

use clap::Parser;
use serde_json::{Value, json};

use filings::config::{Cli, Command as Subcommand, LogFormat};
use filings::parse::InputFormat;

/// Runs the `filings` binary with exactly `env` as its environment.
fn filings(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_filings"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("running the filings binary")
}

fn effective_config(args: &[&str], env: &[(&str, &str)]) -> Value {
    let mut all = args.to_vec();
    all.push("config");
    let output = filings(&all, env);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("`filings config` prints JSON")
}

#[test]
fn defaults_apply_when_nothing_is_set() {
    let config = effective_config(&[], &[]);
    assert_eq!(
        config,
        json!({
            "database_url": null,
            "bind": "127.0.0.1:8080",
            "data_dir": "./data",
            "max_upload_bytes": 26_214_400,
            "request_timeout_secs": 30,
            "api_keys": [],
            "read_requires_key": false,
            "cors_origins": [],
            "log_format": "pretty",
            "log_filter": "info",
            "db_pool_size": 10,
            "rate_limit_per_sec": 100,
            "rate_limit_burst": 200,
        })
    );
}

#[test]
fn every_setting_is_read_from_the_environment_with_secrets_redacted() {
    let config = effective_config(
        &[],
        &[
            ("DATABASE_URL", "postgres://app:hunter2@db.internal:5432/filings"),
            ("FILINGS_BIND", "0.0.0.0:9090"),
            ("FILINGS_DATA_DIR", "/var/lib/filings"),
            ("FILINGS_MAX_UPLOAD_BYTES", "1048576"),
            ("FILINGS_REQUEST_TIMEOUT_SECS", "120"),
            ("FILINGS_API_KEYS", "first-key-0123456789,second-key-0123456789"),
            ("FILINGS_READ_REQUIRES_KEY", "true"),
            ("FILINGS_CORS_ORIGINS", "https://a.example.com,http://localhost:3000"),
            ("FILINGS_LOG_FORMAT", "json"),
            ("RUST_LOG", "filings=debug,warn"),
            ("FILINGS_DB_POOL_SIZE", "25"),
            ("FILINGS_RATE_LIMIT_PER_SEC", "0"),
            ("FILINGS_RATE_LIMIT_BURST", "5"),
        ],
    );
    assert_eq!(config["database_url"], "postgres://app:***@db.internal:5432/filings");
    assert_eq!(config["bind"], "0.0.0.0:9090");
    assert_eq!(config["data_dir"], "/var/lib/filings");
    assert_eq!(config["max_upload_bytes"], 1_048_576);
    assert_eq!(config["request_timeout_secs"], 120);
    assert_eq!(config["api_keys"], json!(["***", "***"]));
    assert_eq!(config["read_requires_key"], true);
    assert_eq!(config["cors_origins"], json!(["https://a.example.com", "http://localhost:3000"]));
    assert_eq!(config["log_format"], "json");
    assert_eq!(config["log_filter"], "filings=debug,warn");
    assert_eq!(config["db_pool_size"], 25);
    assert_eq!(config["rate_limit_per_sec"], 0);
    assert_eq!(config["rate_limit_burst"], 5);
}

#[test]
fn flags_win_over_the_environment() {
    let config = effective_config(
        &["--bind", "127.0.0.1:7000", "--max-upload-bytes", "2048"],
        &[("FILINGS_BIND", "0.0.0.0:9090"), ("FILINGS_MAX_UPLOAD_BYTES", "1")],
    );
    assert_eq!(config["bind"], "127.0.0.1:7000");
    assert_eq!(config["max_upload_bytes"], 2048);
}

#[test]
fn bad_values_are_refused_with_a_message_naming_the_setting() {
    let cases = [
        ("FILINGS_BIND", "localhost", "--bind"),
        ("FILINGS_MAX_UPLOAD_BYTES", "0", "--max-upload-bytes"),
        ("FILINGS_MAX_UPLOAD_BYTES", "25MB", "--max-upload-bytes"),
        ("FILINGS_REQUEST_TIMEOUT_SECS", "0", "--request-timeout-secs"),
        ("FILINGS_LOG_FORMAT", "xml", "--log-format"),
        ("FILINGS_CORS_ORIGINS", "dash.example.com", "--cors-origins"),
        ("FILINGS_API_KEYS", "short", "--api-keys"),
        ("RUST_LOG", "filings=loud", "--log-filter"),
        ("FILINGS_DB_POOL_SIZE", "0", "--db-pool-size"),
        ("FILINGS_READ_REQUIRES_KEY", "maybe", "--read-requires-key"),
    ];
    for (variable, value, flag) in cases {
        let output = filings(&["config"], &[(variable, value)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{variable}={value} was accepted: {stderr}");
        assert!(stderr.contains(flag), "{variable}={value}: {stderr}");
    }
}

#[test]
fn settings_parse_from_flags_before_or_after_the_subcommand() {
    let cli = Cli::try_parse_from([
        "filings",
        "--log-format",
        "json",
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--cors-origins",
        "https://a.example.com,https://b.example.com",
        "--request-timeout-secs",
        "9",
    ])
    .unwrap();
    assert!(matches!(cli.command, Some(Subcommand::Serve)));
    assert_eq!(cli.config.log_format, LogFormat::Json);
    assert_eq!(cli.config.bind.to_string(), "127.0.0.1:0");
    assert_eq!(cli.config.cors_origins, ["https://a.example.com", "https://b.example.com"]);
    assert_eq!(cli.config.request_timeout_secs, 9);

    let cli = Cli::try_parse_from(["filings", "parse", "filing.txt", "--format", "HTML"]).unwrap();
    let Some(Subcommand::Parse(args)) = cli.command else { panic!("not parse") };
    assert_eq!(args.format, Some(InputFormat::Html));
    assert!(Cli::try_parse_from(["filings", "parse", "filing.txt", "--format", "pdf"]).is_err());
    assert!(Cli::try_parse_from(["filings", "--bind", "nowhere"]).is_err());
}

#[test]
fn no_subcommand_means_serve() {
    let cli = Cli::try_parse_from(["filings", "--bind", "127.0.0.1:0"]).unwrap();
    assert!(cli.command.is_none());
    let help = filings(&["--help"], &[]);
    let help = String::from_utf8_lossy(&help.stdout);
    for variable in [
        "DATABASE_URL",
        "FILINGS_BIND",
        "FILINGS_DATA_DIR",
        "FILINGS_MAX_UPLOAD_BYTES",
        "FILINGS_REQUEST_TIMEOUT_SECS",
        "FILINGS_API_KEYS",
        "FILINGS_READ_REQUIRES_KEY",
        "FILINGS_CORS_ORIGINS",
        "FILINGS_LOG_FORMAT",
        "RUST_LOG",
        "FILINGS_DB_POOL_SIZE",
    ] {
        assert!(help.contains(variable), "--help does not document {variable}");
    }
}

#[test]
fn parse_prints_the_parse_result_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("release.txt");
    std::fs::write(
        &file,
        "EXAMPLE CORP\nCONDENSED STATEMENTS OF OPERATIONS\nRevenue   1,234   1,000\n",
    )
    .unwrap();

    let output = filings(&["parse", file.to_str().unwrap(), "--format", "text"], &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let parsed: Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in ["format", "company", "filing", "statements", "facts", "checks", "diagnostics"] {
        assert!(parsed.get(key).is_some(), "no `{key}` in {parsed}");
    }

    let missing = filings(&["parse", "/nonexistent/filing.txt"], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/filing.txt"));
}
