//! Which calls go through a proxy. Proxy variables are process-wide, so each case runs in a
//! child process (this test binary again) started with its own environment; the proxy is a
//! listener of the parent that records every connection it gets.
//!
//! Loopback URLs and plain `http://` never go through a proxy; `https://` honours
//! `HTTPS_PROXY`/`ALL_PROXY` and `NO_PROXY`, and `proxy()`/`no_proxy()` choose explicitly.

mod common;
#[path = "common/tls.rs"]
mod tls;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::server::{PhpServer, json};
use whmcs_api::{Client, ClientBuilder, RetryPolicy};

const PROXY_VARS: &[&str] = &[
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

/// A proxy that records the first line of every request it gets and refuses them all.
struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                s.lock().expect("lock").push(line.trim().to_string());
                let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
            }
        });
        Self { url, seen }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().expect("lock"))
    }
}

/// Runs `case` in a child with `vars` set (and every proxy variable not named unset).
fn run_child(case: &str, vars: &[(&str, &str)]) {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args(["--exact", "child", "--nocapture", "--test-threads=1"]);
    for v in PROXY_VARS.iter().chain(&["NO_PROXY", "no_proxy"]) {
        cmd.env_remove(v);
    }
    cmd.env("WHMCS_PROXY_CASE", case);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("CHILD-OK"),
        "case {case} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn all_vars(proxy: &str) -> Vec<(&'static str, &str)> {
    PROXY_VARS.iter().map(|v| (*v, proxy)).collect()
}

#[test]
fn loopback_and_plain_http_never_use_a_proxy_and_https_honours_the_variables() {
    let proxy = Proxy::start();
    let p = proxy.url.as_str();

    // Every variable set: loopback (http, https, `localhost`, even with `proxy()`) and plain
    // http off loopback go direct.
    run_child("direct", &all_vars(p));
    assert_eq!(proxy.take(), Vec::<String>::new(), "the proxy saw calls");

    // The control: an https host off loopback does go through the proxy the variables name
    // (so the proxy would have seen the calls above, had they gone to it)…
    run_child("https-off-loopback", &[("HTTPS_PROXY", p)]);
    assert_eq!(proxy.take(), ["CONNECT whmcs.invalid:443 HTTP/1.1"]);
    run_child("https-off-loopback", &[("all_proxy", p)]);
    assert_eq!(proxy.take(), ["CONNECT whmcs.invalid:443 HTTP/1.1"]);
    // …unless NO_PROXY names it, or `no_proxy()` was called.
    run_child(
        "https-off-loopback",
        &[("HTTPS_PROXY", p), ("NO_PROXY", "whmcs.invalid")],
    );
    run_child("no-proxy-call", &all_vars(p));
    assert_eq!(proxy.take(), Vec::<String>::new());

    // `proxy()` without any variable.
    run_child("explicit-proxy", &[("WHMCS_TEST_PROXY", p)]);
    assert_eq!(proxy.take(), ["CONNECT whmcs.invalid:443 HTTP/1.1"]);
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .url(url)
        .api_credentials("id", "proxy-test-secret")
        .retry(RetryPolicy::none())
        .connect_timeout(Duration::from_secs(2))
}

/// One case, in the child (does nothing when run as an ordinary test).
#[test]
fn child() {
    let Ok(case) = std::env::var("WHMCS_PROXY_CASE") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        match case.as_str() {
            "direct" => {
                let server = PhpServer::start(|_| json(r#"{"result":"success"}"#)).await;
                let port = server
                    .url()
                    .trim_end_matches('/')
                    .rsplit(':')
                    .next()
                    .map(str::to_string);
                let port = port.expect("port");
                let proxy_url = std::env::var("HTTPS_PROXY").expect("variable");
                for url in [server.url(), format!("http://localhost:{port}/")] {
                    builder(&url)
                        .build()
                        .expect("client")
                        .get_invoices()
                        .await
                        .expect(&url);
                    builder(&url)
                        .proxy(&proxy_url)
                        .build()
                        .expect("client")
                        .get_invoices()
                        .await
                        .expect("loopback ignores proxy()");
                }
                assert_eq!(server.count(), 4);

                let leaf = tls::self_signed(&["127.0.0.1"]);
                let https = tls::TlsServer::start(&leaf).await;
                builder(&https.url())
                    .add_root_certificate(leaf.pem.as_bytes().to_vec())
                    .build()
                    .expect("client")
                    .get_invoices()
                    .await
                    .expect("https on loopback, direct");
                assert_eq!(https.requests(), 1);

                // Off loopback in plain http: direct (the name does not resolve), never
                // through the proxy, which would read the secret.
                let e = builder("http://whmcs.invalid/")
                    .allow_insecure_http(true)
                    .build()
                    .expect("client")
                    .get_invoices()
                    .await
                    .expect_err("no such host");
                assert!(e.to_string().contains("could not connect"), "{e}");
                let refused = builder("http://whmcs.invalid/")
                    .allow_insecure_http(true)
                    .proxy(&proxy_url)
                    .build();
                assert!(refused.is_err(), "a proxy for plain http is refused");
            }
            "https-off-loopback" => {
                let _ = builder("https://whmcs.invalid/")
                    .build()
                    .expect("client")
                    .get_invoices()
                    .await;
            }
            "no-proxy-call" => {
                let _ = builder("https://whmcs.invalid/")
                    .no_proxy()
                    .build()
                    .expect("client")
                    .get_invoices()
                    .await;
            }
            "explicit-proxy" => {
                let p = std::env::var("WHMCS_TEST_PROXY").expect("variable");
                let _ = builder("https://whmcs.invalid/")
                    .proxy(p)
                    .build()
                    .expect("client")
                    .get_invoices()
                    .await;
            }
            other => panic!("unknown case {other}"),
        }
    });
    println!("CHILD-OK");
}
