//! The `whmcs` CLI against `whmcs mock`, both as separate processes on loopback.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

struct Mock {
    child: Child,
    url: String,
    /// Kept open so the server's later output has somewhere to go.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_mock() -> Mock {
    start_mock_with(&[])
}

fn start_mock_with(extra: &[&str]) -> Mock {
    let mut child = Command::new(env!("CARGO_BIN_EXE_whmcs"))
        .args([
            "mock",
            "--addr",
            "127.0.0.1:0",
            "--identifier",
            "cli-id",
            "--secret",
            "cli-secret",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start whmcs mock");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut line).expect("first line");
    let url = line
        .trim()
        .strip_prefix("WHMCS_URL=")
        .expect("WHMCS_URL=… first")
        .to_string();
    Mock {
        child,
        url,
        _stdout: reader,
    }
}

fn whmcs(mock: &Mock, secret: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whmcs"))
        .args([
            "--url",
            &mock.url,
            "--identifier",
            "cli-id",
            "--secret",
            secret,
        ])
        .args(args)
        .env_remove("WHMCS_ACCESS_KEY")
        .output()
        .expect("run whmcs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn the_core_flow_through_the_cli() {
    let mock = start_mock();
    let added = json(&whmcs(
        &mock,
        "cli-secret",
        &[
            "AddClient",
            "--firstname",
            "Mary",
            "--lastname",
            "Jackson",
            "--email",
            "mj@example.com",
            "--address1",
            "1 Wind Tunnel Rd",
            "--city",
            "Hampton",
            "--state",
            "VA",
            "--postcode",
            "23681",
            "--country",
            "US",
            "--phonenumber",
            "+1.7575550111",
        ],
    ));
    let client_id = added["clientid"].as_i64().expect("clientid");
    let details = json(&whmcs(
        &mock,
        "cli-secret",
        &["GetClientsDetails", "--clientid", &client_id.to_string()],
    ));
    assert_eq!(details["client"]["email"], "mj@example.com");
    assert_eq!(details["client"]["id"], client_id);

    let order = json(&whmcs(
        &mock,
        "cli-secret",
        &[
            "add-order",
            "--clientid",
            &client_id.to_string(),
            "--paymentmethod",
            "mailin",
            "--pid",
            "1",
        ],
    ));
    let service = order["serviceids"]
        .as_str()
        .expect("serviceids")
        .to_string();
    let products = json(&whmcs(
        &mock,
        "cli-secret",
        &["GetClientsProducts", "--clientid", &client_id.to_string()],
    ));
    assert_eq!(
        products["products"]["product"][0]["id"].to_string(),
        service
    );

    let first = whmcs(
        &mock,
        "cli-secret",
        &[
            "AddCancelRequest",
            "--serviceid",
            &service,
            "--type",
            "Immediate",
        ],
    );
    assert_eq!(json(&first)["serviceid"].to_string(), service);
    let second = whmcs(
        &mock,
        "cli-secret",
        &["AddCancelRequest", "--serviceid", &service],
    );
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&second.stderr).trim(),
        "whmcs: Existing Cancellation Request Exists"
    );

    let unknown = whmcs(
        &mock,
        "cli-secret",
        &["AddCancelRequest", "--serviceid", "987654"],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr).trim(),
        "whmcs: Service ID Not Found"
    );

    let denied = whmcs(&mock, "wrong", &["GetClients"]);
    assert_eq!(denied.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&denied.stderr).trim(),
        "whmcs: Authentication Failed"
    );
}

#[test]
fn the_mock_starts_from_a_seed_and_answers_late_when_asked() {
    // A state with one client, taken from a mock that created it.
    let first = start_mock();
    let out = whmcs(
        &first,
        "cli-secret",
        &[
            "add-client",
            "--firstname",
            "Seed",
            "--lastname",
            "Ed",
            "--email",
            "seed@example.com",
            "--address1",
            "1 Row",
            "--city",
            "X",
            "--state",
            "Y",
            "--postcode",
            "1",
            "--country",
            "GB",
            "--phonenumber",
            "1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = std::env::temp_dir().join(format!("whmcs-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let seed = dir.join("seed.json");
    let snapshot = whmcs_mock_snapshot(&first.url);
    std::fs::write(&seed, snapshot).expect("write seed");

    let mock = start_mock_with(&[
        "--seed",
        seed.to_str().expect("utf-8"),
        "--latency",
        "300ms",
    ]);
    let started = std::time::Instant::now();
    let out = whmcs(&mock, "cli-secret", &["GetClients", "--output", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(290));
    assert!(String::from_utf8_lossy(&out.stdout).contains("seed@example.com"));
    let bad = Command::new(env!("CARGO_BIN_EXE_whmcs"))
        .args(["mock", "--latency", "soon"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `GET /_mock/snapshot` of a mock started by `start_mock` (its secret is `cli-secret`).
fn whmcs_mock_snapshot(url: &str) -> Vec<u8> {
    use std::io::{Read as _, Write as _};
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /_mock/snapshot HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer cli-secret\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    answer[split + 4..].to_vec()
}
