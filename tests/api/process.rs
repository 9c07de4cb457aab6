//! The real binary, over a real socket: its peak memory while it is fed the bad-input
//! catalogue stays bounded, and its logs (at the most verbose level) never contain an API key.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use filings::config::DEFAULT_MAX_UPLOAD_BYTES;
use filings::metrics::ProcessMemory;

use crate::helpers::TestDatabase;
use crate::uploads::{TEN_Q, fixture};

/// Peak resident memory the service may reach on the catalogue below. An upload is held whole
/// (up to 25 MiB) and parsed into text and tables; the measured peak of a debug build was
/// 98 MiB (20 MiB at start; the 10 MB line is the largest).
const PEAK_MEMORY_BOUND: i64 = 512 * 1024 * 1024;

const KEYS: [&str; 2] = ["log-secret-key-4f1c9a7e2b", "another-secret-key-8d3e6b"];

/// The `filings` binary serving a fresh database, with its stderr collected line by line.
struct Service {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
    _database: TestDatabase,
}

impl Service {
    async fn start(extra_env: &[(&str, &str)]) -> Self {
        let database = TestDatabase::create().await;
        let mut child = Command::new(env!("CARGO_BIN_EXE_filings"))
            .arg("serve")
            .env_clear()
            .env("DATABASE_URL", database.url())
            .env("FILINGS_BIND", "127.0.0.1:0")
            .env("FILINGS_LOG_FORMAT", "json")
            .env("FILINGS_RATE_LIMIT_PER_SEC", "0")
            .envs(extra_env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting the filings binary");
        let stderr = child.stderr.take().expect("its stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(port) = served_port(&line) {
                    port_tx.send(port).ok();
                }
                lines.lock().unwrap().push(line);
            }
        });
        let port = port_rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the service did not say where it serves: {:?}", log.lock().unwrap())
        });
        Self { child, port, log, _database: database }
    }

    /// Sends one raw HTTP/1.1 request; the status code of its answer.
    async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> u16 {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await.expect("connecting");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        // The server may answer (413) and close before it has read the whole body.
        let _ = stream.write_all(body).await;
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        let text = String::from_utf8_lossy(&response[..response.len().min(64)]).into_owned();
        text.split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("{method} {path}: no status in {text:?}"))
    }

    fn memory(&self) -> ProcessMemory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the service's /proc status");
        ProcessMemory::parse(&status).expect("VmRSS and VmHWM")
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of the `serving` line the service logs once it listens.
fn served_port(line: &str) -> Option<u16> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let fields = &value["fields"];
    if fields["message"].as_str()? != "serving" {
        return None;
    }
    fields["address"].as_str()?.rsplit(':').next()?.parse().ok()
}

/// One upload of the catalogue and the status it must get.
struct Case {
    what: &'static str,
    body: Vec<u8>,
    headers: &'static [(&'static str, &'static str)],
    expected: u16,
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peak_memory_stays_bounded_on_the_bad_input_catalogue() {
    let service = Service::start(&[("FILINGS_REQUEST_TIMEOUT_SECS", "120")]).await;
    let at_start = service.memory();
    let text: &[(&str, &str)] = &[("content-type", "text/plain")];
    let html: &[(&str, &str)] = &[("content-type", "text/html")];
    let gzipped: &[(&str, &str)] = &[("content-type", "text/plain"), ("content-encoding", "gzip")];
    let noise: Vec<u8> =
        (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let cases = [
        Case {
            what: "25 MiB + 1 byte",
            body: vec![b'x'; DEFAULT_MAX_UPLOAD_BYTES + 1],
            headers: text,
            expected: 413,
        },
        Case {
            what: "gzip bomb (256 MiB inflated)",
            body: gzip(&vec![b' '; 256 << 20]),
            headers: gzipped,
            expected: 413,
        },
        Case {
            what: "a 10 MB line",
            body: format!("Revenue {}\n", "1,234 ".repeat(10 << 20 >> 3)).into_bytes(),
            headers: text,
            expected: 422,
        },
        Case {
            what: "100,000 columns",
            body: format!(
                "<table><tr><td>Revenue</td>{}</tr></table>",
                "<td>1</td>".repeat(100_000)
            )
            .into_bytes(),
            headers: html,
            expected: 422,
        },
        Case {
            what: "100,000 deep",
            body: format!("{}x", "<div>".repeat(100_000)).into_bytes(),
            headers: html,
            expected: 422,
        },
        Case { what: "binary noise", body: noise, headers: text, expected: 415 },
        Case { what: "a filing", body: fixture(TEN_Q), headers: text, expected: 201 },
    ];
    for case in &cases {
        let started = Instant::now();
        let status = service.request("POST", "/v1/filings", case.headers, &case.body).await;
        assert_eq!(status, case.expected, "{} ({} bytes)", case.what, case.body.len());
        eprintln!(
            "{}: {status} in {:?}, peak {} MiB",
            case.what,
            started.elapsed(),
            service.memory().peak >> 20
        );
    }
    let memory = service.memory();
    eprintln!("resident at start {} MiB; peak {} MiB", at_start.resident >> 20, memory.peak >> 20);
    assert!(memory.peak < PEAK_MEMORY_BOUND, "peak resident memory {} MiB", memory.peak >> 20);
}

#[tokio::test]
async fn logs_never_contain_api_keys_even_at_trace_level() {
    let keys = KEYS.join(",");
    let service =
        Service::start(&[("FILINGS_API_KEYS", keys.as_str()), ("RUST_LOG", "trace")]).await;
    let bearer = format!("Bearer {}", KEYS[0]);
    let upload = [("content-type", "text/plain"), ("authorization", bearer.as_str())];
    assert_eq!(service.request("POST", "/v1/filings", &upload, &fixture(TEN_Q)).await, 201);
    let by_header = [("content-type", "text/plain"), ("x-api-key", KEYS[1])];
    assert_eq!(service.request("POST", "/v1/filings", &by_header, b"").await, 422);
    let wrong = [("authorization", "Bearer wrong-secret-key-1234567")];
    assert_eq!(service.request("DELETE", "/v1/filings/1", &wrong, b"").await, 403);
    assert_eq!(
        service.request("GET", "/v1/filings/1", &[("authorization", bearer.as_str())], b"").await,
        200
    );
    assert_eq!(
        service.request("DELETE", "/v1/filings/1", &[("x-api-key", KEYS[1])], b"").await,
        204
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = service.log();
    assert!(log.lines().count() > 20, "trace logging is on: {log}");
    assert!(log.contains("/v1/filings"), "requests are logged");
    for secret in KEYS.iter().chain(&["wrong-secret-key-1234567"]) {
        assert!(!log.contains(secret), "the log contains `{secret}`");
    }
}
