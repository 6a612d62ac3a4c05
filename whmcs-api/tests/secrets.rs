//! No secret leaves the client except in the request body: not in logs at any level (trace
//! included), not in any error's Display or Debug, not in the Debug of clients and requests.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::server::{PhpServer, json};
use whmcs_api::actions::{AddOrder, UpdateClientProduct};
use whmcs_api::{Client, RetryPolicy};
use whmcs_mock::Reply;

const SECRETS: &[&str] = &[
    "api-s3cret-9f2",
    "hunter2-password",
    "access-k3y-77",
    "root-pw-3141",
    "svc-pass-2718",
    "EPP-CODE-1618",
];
/// The MD5 of `hunter2-password`, sent for the legacy login.
const MD5: &str = "e716fac4a2b2c75ff3c05be770bbfa99";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(text: &str, what: &str) {
    for s in SECRETS.iter().chain(std::iter::once(&MD5)) {
        assert!(!text.contains(s), "{what} contains `{s}`:\n{text}");
    }
}

#[tokio::test]
async fn secrets_stay_out_of_logs_errors_and_debug_output() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = PhpServer::start(|p| match p.get("action").and_then(|a| a.as_str()) {
        Some("AddOrder") => Reply::raw(503, b"<html>down</html>".to_vec()),
        _ => json(r#"{"result":"error","message":"Service ID Not Found"}"#),
    })
    .await;
    let api = Client::builder()
        .url(server.url())
        .api_credentials("id", SECRETS[0])
        .access_key(SECRETS[2])
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let login = Client::builder()
        .url(server.url())
        .login("admin", SECRETS[1])
        .build()
        .expect("client");

    let update = UpdateClientProduct::new(1).servicepassword(SECRETS[4]);
    let order = AddOrder::new(1, "mailin")
        .pid([1])
        .rootpw([SECRETS[3]])
        .eppcode([SECRETS[5]]);
    assert_clean(
        &format!("{update:?} {order:?} {api:?} {login:?}"),
        "Debug of requests and clients",
    );

    let e1 = api.execute(update.clone()).await.expect_err("error answer");
    let e2 = api.execute(order).await.expect_err("503");
    let e3 = login.execute(update).await.expect_err("error answer");
    for e in [
        &e1.to_string(),
        &format!("{e1:?}"),
        &e2.to_string(),
        &format!("{e2:?}"),
        &e3.to_string(),
        &format!("{e3:?}"),
    ] {
        assert_clean(e, "an error");
    }

    // The secrets did travel, in the body only.
    let sent = server.received();
    assert!(
        sent.iter()
            .any(|p| p.get("secret").and_then(|v| v.as_str()) == Some(SECRETS[0]))
    );
    assert!(
        sent.iter()
            .any(|p| p.get("password").and_then(|v| v.as_str()) == Some(MD5)),
        "{sent:?}"
    );

    let text = String::from_utf8_lossy(&logs.0.lock().expect("lock")).into_owned();
    assert!(
        text.contains("whmcs.call"),
        "the call span is logged:\n{text}"
    );
    assert!(
        text.contains("UpdateClientProduct") && text.contains("attempt"),
        "{text}"
    );
    assert_clean(&text, "the trace log");
}
