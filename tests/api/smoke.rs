//! One test over a real socket: the service as a client sees it.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use filings::app::App;
use filings::config::Config;

use crate::helpers::{TestDatabase, test_config};

/// A plain HTTP/1.1 `GET` on localhost; the whole response as text.
pub async fn http_get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connecting");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-request-id: smoke-1\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8(response).expect("a text response")
}

#[tokio::test]
async fn the_service_answers_over_a_real_socket_and_shuts_down_gracefully() {
    let database = TestDatabase::create().await;
    let config = Config { database_url: Some(database.url()), ..test_config() };
    let app = App::build(config).await.expect("the app builds");
    let port = app.port();
    assert_ne!(port, 0);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stop_rx.await.ok();
    }));

    let health = http_get(port, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200 OK"), "{health}");
    assert!(health.contains("x-request-id: smoke-1"), "{health}");
    assert!(
        health
            .ends_with(&format!(r#"{{"status":"ok","version":"{}"}}"#, env!("CARGO_PKG_VERSION"))),
        "{health}"
    );

    let ready = http_get(port, "/readyz").await;
    assert!(ready.starts_with("HTTP/1.1 200 OK"), "{ready}");

    let missing = http_get(port, "/nope").await;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    assert!(missing.contains("content-type: application/problem+json"), "{missing}");

    stop_tx.send(()).unwrap();
    server.await.unwrap().expect("a clean shutdown");
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "the listener is closed");
}
