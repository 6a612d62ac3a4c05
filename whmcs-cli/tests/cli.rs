//! The `whmcs` binary against a PHP-style endpoint on loopback: every action round-trips its
//! documented example request and answer, and the exit codes follow the contract.

#[path = "../../whmcs-api/tests/common/mod.rs"]
mod common;

use std::process::{Command, Output};

use common::server::{PhpServer, json};
use serde_json::{Map, Value};
use whmcs_api::actions;
use whmcs_mock::Reply;

const ID: &str = "test-identifier";
const SECRET: &str = "test-secret";

fn whmcs(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whmcs"));
    cmd.args(args)
        .env("WHMCS_URL", url)
        .env("WHMCS_API_IDENTIFIER", ID)
        .env("WHMCS_API_SECRET", SECRET)
        .env_remove("WHMCS_ACCESS_KEY");
    match stdin {
        None => cmd.output().expect("run whmcs"),
        Some(input) => {
            use std::io::Write as _;
            let mut child = cmd
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn whmcs");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
            child.wait_with_output().expect("wait whmcs")
        }
    }
}

/// Answers every action with its documented example, after checking the credentials.
async fn example_server() -> PhpServer {
    PhpServer::start(|p: &Map<String, Value>| {
        if p.get("identifier").and_then(Value::as_str) != Some(ID)
            || p.get("secret").and_then(Value::as_str) != Some(SECRET)
        {
            return Reply::raw(
                403,
                br#"{"result":"error","message":"Authentication Failed"}"#.to_vec(),
            );
        }
        let name = p.get("action").and_then(Value::as_str).unwrap_or_default();
        match actions::ALL.iter().find(|i| i.name() == name) {
            Some(info) => json(info.example_response().unwrap_or("{}")),
            None => json(r#"{"result":"error","message":"Command Not Found"}"#),
        }
    })
    .await
}

fn without_envelope(mut p: Map<String, Value>) -> Map<String, Value> {
    for k in ["action", "identifier", "secret", "responsetype"] {
        p.remove(k);
    }
    p
}

fn run_async<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn every_action_round_trips_its_example() {
    run_async(async {
        let server = example_server().await;
        let url = server.url();
        for info in actions::ALL {
            let request = info.example_request().expect("example request");
            let php = common::golden_example(info.name()).expect("golden");
            let kebab: String = info
                .name()
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let dash = (i > 0 && c.is_ascii_uppercase()).then_some('-');
                    dash.into_iter()
                        .chain(std::iter::once(c.to_ascii_lowercase()))
                })
                .collect();
            for name in [info.name().to_string(), kebab] {
                let (u, r, n) = (url.clone(), request.to_string(), name.clone());
                let out = tokio::task::spawn_blocking(move || whmcs(&u, &[&n, "--json", &r], None))
                    .await
                    .expect("join");
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    out.status.success(),
                    "{name}: exit {:?}: {stderr}",
                    out.status.code()
                );
                assert!(stderr.is_empty(), "{name}: unexpected stderr: {stderr}");
                // What arrived is what PHP's http_build_query of the example would have sent.
                assert_eq!(
                    without_envelope(server.last()),
                    whmcs_php::parse_str(&php),
                    "{name}: request"
                );
                assert_eq!(
                    server.last().get("action").and_then(Value::as_str),
                    Some(info.name())
                );
                let printed: Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("{name}: stdout is not JSON: {e}"));
                let example: Value =
                    serde_json::from_str(info.example_response().expect("example"))
                        .expect("example JSON");
                if let Err(e) = common::same_answer(&example, &printed, &name) {
                    panic!("{name}: printed answer differs: {e}");
                }
            }
        }
    });
}

#[test]
fn flags_stdin_and_exit_codes_follow_the_contract() {
    run_async(async {
        let server = example_server().await;
        let url = server.url();
        let run = |args: Vec<&'static str>, stdin: Option<&'static str>| {
            let u = url.clone();
            tokio::task::spawn_blocking(move || whmcs(&u, &args, stdin))
        };

        // Flags in wire names, repeated for lists, brackets for nested arrays.
        let out = run(
            vec![
                "AddOrder",
                "--clientid",
                "1",
                "--paymentmethod",
                "mailin",
                "--pid",
                "1",
                "--pid",
                "2",
                "--domainrenewals[example.com]",
                "2",
            ],
            None,
        )
        .await
        .expect("join");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            server.last().get("pid"),
            Some(&serde_json::json!(["1", "2"]))
        );
        assert_eq!(
            server.last().get("domainrenewals"),
            Some(&serde_json::json!({"example.com": "2"}))
        );

        // --json - reads stdin.
        let out = run(
            vec!["getclientsdetails", "--json", "-"],
            Some(r#"{"clientid": 1, "stats": true}"#),
        )
        .await
        .expect("join");
        assert!(out.status.success());
        assert_eq!(server.last().get("stats"), Some(&Value::String("1".into())));

        // Unknown keys: sent as given, one warning line.
        let out = run(
            vec![
                "AddOrder",
                "--json",
                r#"{"clientid": "1", "paymentmethod": "mailin", "notes": "rush"}"#,
            ],
            None,
        )
        .await
        .expect("join");
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("notes"), "{stderr}");
        assert_eq!(
            server.last().get("notes"),
            Some(&Value::String("rush".into()))
        );

        // Missing required parameter, mistyped value, disallowed enum value: refused, exit 2, nothing sent.
        let before = server.count();
        for args in [
            vec!["AddCancelRequest"],
            vec!["AddCancelRequest", "--serviceid", "abc"],
            vec!["AddCancelRequest", "--serviceid", "1", "--type", "Tomorrow"],
            vec!["NoSuchAction"],
            vec!["AddCancelRequest", "--json", "{not json"],
        ] {
            let out = run(args.clone(), None).await.expect("join");
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.starts_with("whmcs: "), "{args:?}: {stderr}");
        }
        assert_eq!(server.count(), before);

        // A WHMCS error answer: exit 1 with the message.
        let out = run(
            vec!["--secret", "wrong", "AddCancelRequest", "--serviceid", "1"],
            None,
        )
        .await
        .expect("join");
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("Authentication Failed"));

        // `actions` lists every action, one per line.
        let out = run(vec!["actions"], None).await.expect("join");
        let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(listed.len(), actions::ALL.len());
        assert!(listed.iter().any(|l| l == "AddCancelRequest"));
    });
}

#[test]
fn actions_lists_exactly_the_documented_names() {
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/whmcs-docs/api/api-index.md"
    ))
    .expect("api-index.md beside the repository");
    let mut documented: Vec<String> = whmcs_cli::import::index_entries(&index)
        .into_iter()
        .map(|(_, name, _)| name)
        .collect();
    documented.sort();
    let out = whmcs("http://127.0.0.1:9/", &["actions"], None);
    let mut listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    listed.sort();
    assert_eq!(listed, documented);
    assert_eq!(listed.len(), 162);
}

#[test]
fn plain_http_is_refused_for_remote_hosts() {
    let out = whmcs(
        "http://example.com/",
        &["AddCancelRequest", "--serviceid", "1"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("http://"));
}

#[test]
fn transport_failures_exit_2() {
    // Nothing listens on this port: a clean one-line error, exit 2.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    drop(listener);
    let out = whmcs(&url, &["GetInvoices"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("GetInvoices"), "{stderr}");
}

/// A one-shot proxy on loopback: the first line it is sent (`CONNECT host:port …`), if any
/// arrives within a few seconds; it answers 502 so the call ends.
fn proxy_listener() -> (String, std::thread::JoinHandle<Option<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            if let Ok((mut stream, _)) = listener.accept() {
                stream.set_nonblocking(false).ok()?;
                let mut line = String::new();
                BufReader::new(stream.try_clone().ok()?)
                    .read_line(&mut line)
                    .ok()?;
                let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                return Some(line.trim_end().to_string());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    });
    (url, seen)
}

#[test]
fn proxy_flags_choose_the_route() {
    // --proxy: an https call tunnels through it.
    let (proxy, seen) = proxy_listener();
    let out = whmcs(
        "https://whmcs.example.invalid/",
        &["GetCurrencies", "--proxy", &proxy, "--timeout", "5"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "the proxy refuses the tunnel");
    assert_eq!(
        seen.join()
            .expect("proxy thread")
            .as_deref()
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>()),
        Some(vec!["CONNECT", "whmcs.example.invalid:443"])
    );

    // --no-proxy: the environment's proxy is not used.
    let (proxy, seen) = proxy_listener();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whmcs"));
    let out = cmd
        .args(["GetCurrencies", "--no-proxy", "--timeout", "5"])
        .env("WHMCS_URL", "https://whmcs.example.invalid/")
        .env("WHMCS_API_IDENTIFIER", ID)
        .env("WHMCS_API_SECRET", SECRET)
        .env("HTTPS_PROXY", &proxy)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .expect("run whmcs");
    assert_eq!(out.status.code(), Some(2), "the name does not resolve");
    assert_eq!(
        seen.join().expect("proxy thread"),
        None,
        "nothing went through the proxy"
    );

    // Both at once is a usage error.
    let out = whmcs(
        "https://whmcs.example.invalid/",
        &[
            "GetCurrencies",
            "--proxy",
            "http://127.0.0.1:9",
            "--no-proxy",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-proxy"));
}
