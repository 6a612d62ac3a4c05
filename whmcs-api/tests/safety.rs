//! The client against hostile or broken servers, over loopback: redirects are never followed,
//! credentials echoed back never reach an error or a log, certificate problems are named and not
//! retried, a connect timeout counts as nothing sent, decoding memory is bounded by the answer's
//! size, and WHMCS's messages are shown exactly as sent.

mod common;
#[path = "common/tls.rs"]
mod tls;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::server::{PhpServer, json};
use serde_json::{Map, Value};
use whmcs_api::{Client, Error, RetryPolicy, TransportKind, actions};
use whmcs_mock::Reply;

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_elapsed: Duration::from_secs(10),
    }
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn redirects_are_errors_naming_status_and_location_and_nothing_is_resent() {
    let target = PhpServer::start(|_| json(r#"{"result":"success","orderid":1}"#)).await;
    let to = format!("{}includes/api.php", target.url());
    for status in [301, 302, 303, 307, 308] {
        let location = to.clone();
        let origin = PhpServer::start(move |_| {
            Reply::raw(status, Vec::new()).with_header("location", &location)
        })
        .await;
        let client = Client::builder()
            .url(origin.url())
            .api_credentials("id", "redirect-s3cret")
            .retry(fast_retries())
            .build()
            .expect("client");

        let read = client.get_invoices().await.expect_err("a redirect").erase();
        let write = client
            .add_order(1, "mailin")
            .pid([1])
            .await
            .expect_err("a redirect")
            .erase();
        for (e, write) in [(&read, false), (&write, true)] {
            let Error::Transport(t) = e else {
                panic!("{status}: {e:?}")
            };
            assert_eq!(t.kind(), TransportKind::Redirect(status), "{e}");
            assert_eq!(t.location(), Some(to.as_str()));
            assert_eq!(t.attempts(), 1, "{status}: a redirect is never retried");
            assert_eq!(t.maybe_applied(), write);
            let text = e.to_string();
            assert!(
                text.contains(&format!("redirect to {to}"))
                    && text.contains(&format!("HTTP {status}"))
                    && text.contains("use that URL"),
                "{text}"
            );
        }
        assert_eq!(origin.count(), 2, "{status}: one request per call");
        assert_eq!(
            target.count(),
            0,
            "{status}: the redirect target received {:?}",
            target.received()
        );
    }
}

#[tokio::test]
async fn a_relative_location_is_named_in_full_and_a_caller_built_client_follows_nothing() {
    let origin = PhpServer::start(|_| {
        Reply::raw(307, Vec::new()).with_header("location", "/elsewhere/api.php")
    })
    .await;
    let http = whmcs_api::reqwest_builder()
        .build()
        .expect("reqwest client");
    let client = Client::builder()
        .url(origin.url())
        .api_credentials("id", "secret")
        .http_client(http)
        .build()
        .expect("client");
    let e = client.get_invoices().await.expect_err("redirect");
    let Error::Transport(t) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        t.location(),
        Some(format!("{}elsewhere/api.php", origin.url()).as_str())
    );
    assert_eq!(origin.count(), 1, "not followed to the same server either");
}

// ---------------------------------------------------------------------------------------------
// Credentials echoed back

/// Credentials with characters every encoding changes.
const SECRET: &str = "s3cr&t/p@ss w0rd+é'\"<x>";
const PASSWORD: &str = "hunter2 p@ss/w&rd";
const ACCESS_KEY: &str = "k3y=v@lue&more";

/// Every form a credential may come back in.
fn forms(c: &str) -> Vec<String> {
    let form = whmcs_php::urlencode(c);
    let raw = form.replace('+', "%20");
    let lower = |s: &str| {
        let mut out = String::new();
        let mut left = 0;
        for ch in s.chars() {
            if ch == '%' {
                left = 2;
                out.push(ch);
            } else if left > 0 {
                left -= 1;
                out.push(ch.to_ascii_lowercase());
            } else {
                out.push(ch);
            }
        }
        out
    };
    let html = c
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;");
    let json = serde_json::to_string(c).expect("json");
    let json = json[1..json.len() - 1].to_string();
    vec![
        c.to_string(),
        lower(&form),
        form,
        lower(&raw),
        raw,
        html,
        json.replace('/', "\\/"),
        json,
    ]
}

fn md5_hex(s: &str) -> String {
    use md5::{Digest, Md5};
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn assert_no_credential(text: &str, what: &str) {
    let mut all = forms(SECRET);
    all.extend(forms(PASSWORD));
    all.extend(forms(ACCESS_KEY));
    all.push(md5_hex(PASSWORD));
    all.push(md5_hex(PASSWORD).to_ascii_uppercase());
    // The distinctive middles too: half a credential is a leak as well.
    all.extend(["p@ss w0rd", "p%40ss+w0rd", "hunter2", "v@lue", "v%40lue"].map(String::from));
    all.push(md5_hex(PASSWORD)[..16].to_string());
    for form in all {
        assert!(!text.contains(&form), "{what} contains `{form}`:\n{text}");
    }
}

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

/// The body as it arrived, form-encoded again (what an echoing page shows).
fn echoed(form: &Map<String, Value>) -> String {
    whmcs_php::build_query(form)
}

fn raw_values(form: &Map<String, Value>) -> String {
    form.iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn html_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;")
}

/// Answers for each way a server can send the request back.
fn echo_page(mode: &str, form: &Map<String, Value>) -> Reply {
    let body = echoed(form);
    let raw = raw_values(form);
    match mode {
        "500-html" => Reply::raw(
            500,
            format!("<html><body><h1>Blocked</h1><pre>{body}</pre></body></html>"),
        ),
        "403-raw" => Reply::raw(403, format!("Forbidden: {raw}")),
        "403-html-escaped" => Reply::raw(403, format!("<p>{}</p>", html_escaped(&raw))),
        // The secret straddles the 120-byte cut of the snippet.
        "500-at-the-cut" => {
            let secret = form
                .get("secret")
                .or_else(|| form.get("password"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            // Cut after `…p@ss w0rd+` (17 bytes in) or half-way through the MD5.
            Reply::raw(500, format!("{}{secret} tail", "x".repeat(103)))
        }
        "503-transient" => Reply::raw(503, format!("<html>{body}</html>")),
        "json-message" => Reply::raw(
            200,
            serde_json::json!({"result": "error", "message": format!("Rejected request {raw}")})
                .to_string(),
        ),
        "json-access" => Reply::raw(
            403,
            serde_json::json!({"result": "error", "message": format!("Invalid IP {body}")})
                .to_string(),
        ),
        "json-warning" => Reply::raw(
            200,
            serde_json::json!({"result": "success", "totalresults": 0, "warning": format!("echo {raw}")})
                .to_string(),
        ),
        "json-truncated" => Reply::raw(200, format!(r#"{{"result":"success","echo":"{raw}"#)),
        "redirect" => Reply::raw(302, Vec::new())
            .with_header("location", format!("https://evil.example/?{body}")),
        other => panic!("unknown mode {other}"),
    }
}

const MODES: &[&str] = &[
    "500-html",
    "403-raw",
    "403-html-escaped",
    "500-at-the-cut",
    "503-transient",
    "json-message",
    "json-access",
    "json-warning",
    "json-truncated",
    "redirect",
];

#[tokio::test]
async fn echoed_credentials_reach_no_error_and_no_log() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mode = Arc::new(Mutex::new(MODES[0]));
    let m = mode.clone();
    let server = PhpServer::start(move |form| echo_page(&m.lock().expect("lock"), form)).await;
    let api = Client::builder()
        .url(server.url())
        .api_credentials("id", SECRET)
        .access_key(ACCESS_KEY)
        .retry(fast_retries())
        .build()
        .expect("client");
    let login = Client::builder()
        .url(server.url())
        .login("admin", PASSWORD)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");

    let mut seen = 0;
    for &m in MODES {
        *mode.lock().expect("lock") = m;
        for client in [&api, &login] {
            let by_name = whmcs_api::find_action("GetInvoices").expect("action");
            let prepared = by_name.prepare(Map::new()).expect("prepare");
            if m == "json-warning" {
                // The answer itself is data, kept as sent; what prints it (the CLI) redacts.
                let r = client
                    .get_invoices()
                    .await
                    .expect("a success with a warning");
                assert_no_credential(&client.redact(&format!("{r:?}")), "the answer, redacted");
                continue;
            }
            let e = client.get_invoices().await.expect_err(m);
            assert_no_credential(&e.to_string(), &format!("{m}: Display"));
            assert_no_credential(&format!("{e:?}"), &format!("{m}: Debug"));
            assert_no_credential(&format!("{:?}", e.message()), &format!("{m}: message()"));
            let e = client.send_prepared(&prepared).await.expect_err(m);
            assert_no_credential(&e.to_string(), &format!("{m}: Display (by name)"));
            assert_no_credential(&format!("{e:?}"), &format!("{m}: Debug (by name)"));
            seen += 1;
        }
    }
    assert_eq!(seen, (MODES.len() - 1) * 2);

    // The credentials did reach the server, and the echo did come back with them.
    let sent = server.received();
    assert!(
        sent.iter()
            .any(|p| p.get("secret").and_then(Value::as_str) == Some(SECRET))
    );
    assert!(
        sent.iter()
            .any(|p| p.get("password").and_then(Value::as_str) == Some(md5_hex(PASSWORD).as_str()))
    );
    let text = String::from_utf8_lossy(&logs.0.lock().expect("lock")).into_owned();
    assert!(
        text.contains("WHMCS returned a warning"),
        "the warning is logged:\n{text}"
    );
    assert!(text.contains("[redacted]"), "{text}");
    assert_no_credential(&text, "the trace log");
}

#[tokio::test]
async fn client_redact_removes_every_form() {
    let client = Client::builder()
        .url("https://billing.example.com")
        .login("admin", PASSWORD)
        .access_key(ACCESS_KEY)
        .build()
        .expect("client");
    let mut text = forms(PASSWORD).join(" | ");
    text.push_str(&forms(ACCESS_KEY).join(" | "));
    text.push_str(&md5_hex(PASSWORD));
    let clean = client.redact(&text);
    assert_no_credential(&clean, "redacted text");
    assert_eq!(
        client.redact("Service ID Not Found"),
        "Service ID Not Found"
    );
}

// ---------------------------------------------------------------------------------------------
// TLS

fn tls_client(url: &str, ca: Option<&str>) -> Client {
    let mut b = Client::builder()
        .url(url)
        .api_credentials("id", "secret")
        .retry(fast_retries());
    if let Some(pem) = ca {
        b = b.add_root_certificate(pem.as_bytes().to_vec());
    }
    b.build().expect("client")
}

fn tls_error(e: &Error<impl std::fmt::Debug>) -> (String, u32, bool) {
    match e {
        Error::Transport(t) if t.kind() == TransportKind::Tls => {
            (e.to_string(), t.attempts(), t.maybe_applied())
        }
        other => panic!("not a TLS error: {other:?}"),
    }
}

#[tokio::test]
async fn a_self_signed_certificate_is_named_tried_once_and_trusted_when_added() {
    let leaf = tls::self_signed(&["127.0.0.1"]);
    let server = tls::TlsServer::start(&leaf).await;
    let e = tls_client(&server.url(), None)
        .add_order(1, "mailin")
        .pid([1])
        .await
        .expect_err("untrusted");
    let (text, attempts, maybe_applied) = tls_error(&e);
    assert!(text.contains("unknown issuer"), "{text}");
    assert!(text.contains("add_root_certificate"), "{text}");
    assert_eq!(attempts, 1, "{text}");
    assert!(!maybe_applied, "nothing was sent: {text}");
    let e = tls_client(&server.url(), None)
        .get_invoices()
        .await
        .expect_err("untrusted");
    assert_eq!(tls_error(&e).1, 1, "reads are not retried either");
    assert_eq!(server.connections(), 2, "exactly one attempt per call");
    assert_eq!(server.requests(), 0, "no request got through");

    tls_client(&server.url(), Some(&leaf.pem))
        .get_invoices()
        .await
        .expect("trusted once added");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_private_ca_is_trusted_when_added_and_expired_or_misnamed_certificates_are_named() {
    let ca = tls::Ca::new();
    let good = tls::TlsServer::start(&ca.leaf(&["127.0.0.1"], false)).await;
    let e = tls_client(&good.url(), None)
        .get_invoices()
        .await
        .expect_err("unknown CA");
    assert!(tls_error(&e).0.contains("unknown issuer"));
    tls_client(&good.url(), Some(&ca.pem()))
        .get_invoices()
        .await
        .expect("trusted through the CA");

    let expired = tls::TlsServer::start(&ca.leaf(&["127.0.0.1"], true)).await;
    let e = tls_client(&expired.url(), Some(&ca.pem()))
        .get_invoices()
        .await
        .expect_err("expired");
    let (text, attempts, _) = tls_error(&e);
    assert!(text.contains("expired"), "{text}");
    assert_eq!((attempts, expired.connections()), (1, 1));

    let misnamed = tls::TlsServer::start(&ca.leaf(&["billing.example.com"], false)).await;
    let e = tls_client(&misnamed.url(), Some(&ca.pem()))
        .get_invoices()
        .await
        .expect_err("name mismatch");
    let (text, attempts, _) = tls_error(&e);
    assert!(text.contains("name mismatch"), "{text}");
    assert_eq!((attempts, misnamed.connections()), (1, 1));
}

// ---------------------------------------------------------------------------------------------
// Connect timeout

#[tokio::test]
async fn a_connect_timeout_means_nothing_was_sent_so_writes_are_retried() {
    // A listener that never accepts, its queue full: the kernel drops further SYNs, so a new
    // connection neither opens nor is refused.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = socket.listen(1).expect("listen");
    let addr = listener.local_addr().expect("addr");
    let mut held = Vec::new();
    while let Ok(Ok(s)) = tokio::time::timeout(
        Duration::from_millis(300),
        tokio::net::TcpStream::connect(addr),
    )
    .await
    {
        held.push(s);
        assert!(held.len() < 64, "the backlog never filled");
    }
    let client = Client::builder()
        .url(format!("http://{addr}/"))
        .api_credentials("id", "secret")
        .connect_timeout(Duration::from_millis(200))
        .retry(fast_retries())
        .build()
        .expect("client");
    let e = client
        .add_order(1, "mailin")
        .pid([1])
        .await
        .expect_err("connect timeout");
    let Error::Transport(t) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(t.kind(), TransportKind::Connect, "{e}");
    assert!(!t.maybe_applied(), "{e}");
    assert_eq!(
        t.attempts(),
        3,
        "a write that was never sent is retried: {e}"
    );
    assert!(e.to_string().contains("timed out while connecting"), "{e}");
    assert!(!e.to_string().contains("may have been applied"), "{e}");
    drop(listener);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_means_nothing_was_sent() {
    // `.invalid` never resolves (RFC 6761); plain http is never proxied, so this is DNS alone.
    let client = Client::builder()
        .url("http://whmcs.invalid/")
        .allow_insecure_http(true)
        .api_credentials("id", "secret")
        .retry(fast_retries())
        .build()
        .expect("client");
    let e = client
        .add_order(1, "mailin")
        .pid([1])
        .await
        .expect_err("no such host");
    let Error::Transport(t) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(t.kind(), TransportKind::Connect, "{e}");
    assert!(!t.maybe_applied(), "{e}");
    assert_eq!(t.attempts(), 3, "{e}");
    assert!(e.to_string().contains("did not resolve"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Decoding memory

/// Runs in a child process under a 400 MB address-space limit (see the test below).
#[test]
fn child_decodes_a_huge_announcement_under_an_address_space_limit() {
    if std::env::var_os("WHMCS_RLIMIT_CHILD").is_none() {
        return;
    }
    // The limit bites: 600 MB cannot be had.
    let mut probe: Vec<u8> = Vec::new();
    assert!(
        probe.try_reserve_exact(600 << 20).is_err(),
        "the address-space limit is not in force"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let body = br#"{"result":"success","totalresults":1048576,"startnumber":0,"numreturned":1048576,"invoices":{"invoice":[]}}"#;
        assert!(body.len() <= 110, "{}", body.len());
        let server = PhpServer::start(move |_| json(std::str::from_utf8(body).expect("utf-8"))).await;
        let client = Client::builder()
            .url(server.url())
            .api_credentials("id", "secret")
            .build()
            .expect("client");
        for _ in 0..3 {
            let r = client.get_invoices().await.expect("decoded");
            assert_eq!(r.numreturned, Some(1_048_576));
            assert!(r.invoices.is_empty());
        }
        // The same with every listing action's answer shape, straight through the decoder.
        for info in actions::ALL.iter().filter(|i| i.paged()) {
            let body = br#"{"result":"success","totalresults":1048576,"numreturned":1048576}"#;
            let _ = info.decode(body);
            let body = br#"{"result":"success","totalresults":"1048576","numreturned":"1048576"}"#;
            let _ = info.decode(body);
        }
    });
    println!("CHILD-DECODED-OK");
}

#[test]
fn a_huge_announcement_is_decoded_under_400_mb_of_address_space() {
    let exe = std::env::current_exe().expect("test binary");
    // `ulimit -v` takes KiB: 400 MB.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 390625 && exec \"$0\" \"$@\"")
        .arg(&exe)
        .args([
            "--exact",
            "child_decodes_a_huge_announcement_under_an_address_space_limit",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WHMCS_RLIMIT_CHILD", "1")
        .output()
        .expect("run the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("CHILD-DECODED-OK"),
        "the child failed ({:?}):\n{stdout}\n{stderr}",
        out.status
    );
}

// ---------------------------------------------------------------------------------------------
// WHMCS's messages as sent

fn fill_placeholders(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str("Pending");
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The message with its case changed the ways WHMCS's wording drifts from the reference.
fn recased(message: &str) -> Vec<String> {
    let title: String = message
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ");
    let swapped: String = message
        .chars()
        .map(|c| {
            if c.is_uppercase() {
                c.to_lowercase().collect::<String>()
            } else {
                c.to_uppercase().collect::<String>()
            }
        })
        .collect();
    let mut all = vec![
        title,
        swapped,
        message.to_uppercase(),
        message.to_lowercase(),
    ];
    all.retain(|m| m != message);
    all.dedup();
    all
}

#[tokio::test]
async fn every_documented_message_is_shown_as_sent_whatever_its_case() {
    let next = Arc::new(Mutex::new(String::new()));
    let n = next.clone();
    let server = PhpServer::start(move |_| {
        json(
            &serde_json::json!({"result": "error", "message": *n.lock().expect("lock")})
                .to_string(),
        )
    })
    .await;
    let client = Client::builder()
        .url(server.url())
        .api_credentials("id", "an-api-secret-value")
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let mut checked = 0;
    let mut failures = Vec::new();
    for info in actions::ALL {
        let Ok(Value::Object(params)) =
            serde_json::from_str::<Value>(info.example_request().unwrap_or("{}"))
        else {
            panic!("{}: example request", info.name())
        };
        let prepared = info.prepare(params).expect("example request");
        for documented in info.errors() {
            for sent in recased(&fill_placeholders(documented.message())) {
                *next.lock().expect("lock") = sent.clone();
                let e = client.send_prepared(&prepared).await.expect_err("an error");
                let display = e.to_string();
                let ok = match &e {
                    Error::Api { error, message } => {
                        error.variant == documented.variant()
                            && *message == sent
                            && error.message == sent
                            && display.contains(&sent)
                    }
                    Error::Access(a) => a.message() == sent && display.contains(&sent),
                    _ => false,
                };
                if !ok {
                    failures.push(format!(
                        "{} `{}` sent as `{sent}`: {display} / {e:?}",
                        info.name(),
                        documented.variant()
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 1000, "only {checked} messages checked");

    // And through the typed API: WHMCS's wording, not the spec's.
    *next.lock().expect("lock") = "Service ID Not Found".into();
    let e = client.module_suspend(7).await.expect_err("error");
    assert!(
        matches!(
            &e,
            Error::Api {
                error: actions::ModuleSuspendError::ServiceNotFound,
                message
            } if message == "Service ID Not Found"
        ),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "WHMCS error: Service ID Not Found");
}
