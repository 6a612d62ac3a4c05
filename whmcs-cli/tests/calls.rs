//! Calling actions with `whmcs`, against servers on loopback that count what they receive:
//! options anywhere, strict flags, `--param`, `--dry-run`, secrets from files, profiles and
//! read-only mode, paging with `--all`, output formats, and the exit codes.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Mock, pager, params, run, text, whmcs, write_file};
use whmcs_mock::{MockConfig, Reply, Request};

fn ok_server() -> Mock {
    Mock::scripted(|_: &Request| Reply::json(&json!({"result": "success", "totalresults": 0})))
}

/// An address where nothing listens.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    drop(listener);
    url
}

#[test]
fn global_options_after_the_action_are_never_parameters() {
    let mock = ok_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = write_file(dir.path(), "secret", "from-file\n", 0o600);
    let out = run(whmcs()
        .env("WHMCS_URL", dead_url())
        .env("WHMCS_API_IDENTIFIER", "env-id")
        .env("WHMCS_API_SECRET", "env-secret")
        .args([
            "GetInvoices",
            "--limitnum",
            "2",
            "--url",
            &mock.server.url(),
        ])
        .args(["--identifier", "flag-id", "--secret-file"])
        .arg(&secret)
        .args([
            "--timeout",
            "5",
            "--output",
            "json",
            "-v",
            "--status",
            "Unpaid",
        ]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        Value::Object(params(&requests[0])),
        json!({"limitnum": "2", "status": "Unpaid"})
    );
    assert_eq!(requests[0].form["identifier"], "flag-id");
    assert_eq!(requests[0].form["secret"], "from-file");
    // -v logs the call, without the secret.
    let stderr = text(&out.stderr);
    assert!(stderr.contains("GetInvoices"), "{stderr}");
    assert!(!stderr.contains("from-file"), "{stderr}");

    // The same options before the action.
    let out = run(whmcs()
        .args([
            "--url",
            &mock.server.url(),
            "--identifier",
            "i",
            "--secret",
            "s",
        ])
        .args(["--output", "jsonl", "get-invoices", "--limitnum", "3"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        Value::Object(params(&mock.requests()[1])),
        json!({"limitnum": "3"})
    );
}

#[test]
fn a_misspelled_flag_is_refused_with_a_suggestion_and_nothing_sent() {
    let mock = ok_server();
    let refused = [
        (
            vec!["GetInvoices", "--limtnum", "5"],
            "GetInvoices has no parameter `--limtnum`; did you mean `--limitnum`?",
        ),
        (
            vec!["GetInvoices", "--limtnum=5"],
            "did you mean `--limitnum`?",
        ),
        (
            vec![
                "AddOrder",
                "--clientid",
                "1",
                "--domainrenewal[example.com]",
                "2",
            ],
            "did you mean `--domainrenewals[…]`?",
        ),
        (vec!["GetInvoices", "--xyzzy", "1"], "GetInvoices --help"),
        // `--dry-run=1` once deleted client 1: now a flag that takes no value.
        (
            vec!["DeleteClient", "--clientid", "1", "--dry-run=1"],
            "--dry-run",
        ),
        (vec!["GetInvoics"], "did you mean `GetInvoices`?"),
        (vec!["GetInvoices", "stray"], "stray"),
        (vec!["GetInvoices", "--status", "Unpayed"], "Unpaid"),
    ];
    for (args, expected) in refused {
        let out = mock.run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("whmcs: "), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

#[test]
fn param_sends_what_the_reference_leaves_out() {
    let mock = ok_server();
    let out = mock.run(&[
        "GetInvoices",
        "--param",
        "custom=1",
        "--param",
        "filter[a]=b",
        "--limitnum",
        "2",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "no warning: {}", text(&out.stderr));
    assert_eq!(
        Value::Object(params(&mock.requests()[0])),
        json!({"limitnum": "2", "custom": "1", "filter": {"a": "b"}})
    );
    // A parameter named like a global option goes through --param; --url stays the server.
    let out = mock.run(&[
        "TriggerNotificationEvent",
        "--notification_identifier",
        "x",
        "--param",
        "url=https://example.test/x",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mock.requests()[1].params["url"], "https://example.test/x");
    let out = mock.run(&["GetInvoices", "--param", "novalue"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn dry_run_sends_nothing_and_shows_no_secret() {
    let mock = ok_server();
    for args in [
        &["DeleteClient", "--clientid", "7", "--dry-run"][..],
        &["--dry-run", "delete-client", "--clientid", "7"],
    ] {
        let out = run(mock
            .whmcs()
            .env("WHMCS_API_IDENTIFIER", "ident-1234")
            .env("WHMCS_API_SECRET", "hunter2-secret")
            .env("WHMCS_ACCESS_KEY", "access-key-5678")
            .args(args));
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert_eq!(
            stdout,
            format!(
                "POST {}includes/api.php\naction=DeleteClient\nidentifier=[redacted]\nsecret=[redacted]\naccesskey=[redacted]\nclientid=7\nresponsetype=json\n",
                mock.server.url()
            )
        );
        for secret in ["ident-1234", "hunter2-secret", "access-key-5678"] {
            assert!(!stdout.contains(secret) && !text(&out.stderr).contains(secret));
        }
    }
    // The exact encoded form, nested arrays included.
    let out = mock.run(&[
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
        "--dry-run",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("\npid%5B0%5D=1\npid%5B1%5D=2\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\ndomainrenewals%5Bexample.com%5D=2\n"),
        "{stdout}"
    );
    assert!(mock.requests().is_empty());
}

#[test]
fn secrets_come_from_files_without_their_newline() {
    let mock = Mock::with(MockConfig {
        secret: "file-secret".into(),
        access_key: Some("file-key".into()),
        ..MockConfig::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = write_file(dir.path(), "secret", "file-secret\n", 0o600);
    let key = write_file(dir.path(), "key", "file-key\r\n", 0o600);
    let out = run(mock
        .whmcs()
        .env_remove("WHMCS_API_SECRET")
        .arg("--secret-file")
        .arg(&secret)
        .arg("GetClients")
        .arg("--access-key-file")
        .arg(&key));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let form = &mock.requests()[0].form;
    assert_eq!(
        (&form["secret"], &form["accesskey"]),
        (&json!("file-secret"), &json!("file-key"))
    );

    // Readable by others: still used, with a warning.
    let shared = write_file(dir.path(), "shared", "file-secret\n", 0o644);
    let out = run(mock
        .whmcs()
        .arg("GetClients")
        .arg("--secret-file")
        .arg(&shared)
        .arg("--access-key")
        .arg("file-key"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("others can read it"), "{stderr}");
    assert!(!stderr.contains("file-secret"), "{stderr}");

    // A missing file or both forms: exit 2, nothing sent.
    let before = mock.requests().len();
    let out = run(mock
        .whmcs()
        .args(["GetClients", "--secret-file", "/nonexistent/secret"]));
    assert_eq!(out.status.code(), Some(2));
    let out = run(mock
        .whmcs()
        .args(["GetClients", "--secret", "x", "--secret-file"])
        .arg(&secret));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(mock.requests().len(), before);
}

/// A config file with three profiles for `mock`.
fn config(mock: &Mock, dir: &std::path::Path) -> std::path::PathBuf {
    write_file(
        dir,
        "good.secret",
        &format!("{}\n", mock.server.secret()),
        0o600,
    );
    let text = format!(
        r#"
[profiles.good]
url = "{url}"
identifier = "{id}"
secret_file = "good.secret"
timeout = 5

[profiles.wrong]
url = "{url}"
identifier = "{id}"
secret = "not-the-secret"

[profiles.ro]
url = "{url}"
identifier = "{id}"
secret_file = "good.secret"
read_only = true
"#,
        url = mock.server.url(),
        id = mock.server.identifier()
    );
    write_file(dir, "config.toml", &text, 0o600)
}

#[test]
fn profiles_chosen_by_flag_or_environment_and_flags_win() {
    let mock = Mock::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(&mock, dir.path());
    let whmcs = || {
        let mut cmd = whmcs();
        cmd.env("WHMCS_CONFIG", &config);
        cmd
    };
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    };
    ok(run(whmcs().args(["--profile", "good", "GetClients"])));
    ok(run(whmcs().args(["GetClients", "--profile", "good"])));
    ok(run(whmcs().env("WHMCS_PROFILE", "good").arg("GetClients")));
    assert_eq!(mock.requests().len(), 3);

    let denied = run(whmcs().env("WHMCS_PROFILE", "wrong").arg("GetClients"));
    assert_eq!(denied.status.code(), Some(1));
    assert_eq!(text(&denied.stderr), "whmcs: Authentication Failed\n");
    // Flags beat the environment, which beats the profile.
    ok(run(whmcs().args([
        "--profile",
        "wrong",
        "GetClients",
        "--secret",
        mock.server.secret(),
    ])));
    ok(run(whmcs()
        .env("WHMCS_API_SECRET", mock.server.secret())
        .args(["--profile", "wrong", "GetClients"])));
    let out = run(whmcs().env("WHMCS_URL", dead_url()).args([
        "--profile",
        "good",
        "GetClients",
        "--timeout",
        "2",
    ]));
    assert_eq!(out.status.code(), Some(2), "the environment's URL wins");
    // --profile beats WHMCS_PROFILE.
    ok(run(whmcs().env("WHMCS_PROFILE", "wrong").args([
        "--profile",
        "good",
        "GetClients",
    ])));
    // A config file without the secret inline, but readable by all: no warning needed.
    // Problems with the profile itself: exit 2, nothing sent.
    let before = mock.requests().len();
    let out = run(whmcs().args(["--profile", "nosuch", "GetClients"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no profile `nosuch`"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("good, ro, wrong"),
        "{}",
        text(&out.stderr)
    );
    let typo = write_file(
        dir.path(),
        "typo.toml",
        "[profiles.x]\nreadonly = true\n",
        0o600,
    );
    let out = run(whmcs()
        .env("WHMCS_CONFIG", &typo)
        .args(["--profile", "x", "GetClients"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("readonly"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(mock.requests().len(), before);

    // XDG_CONFIG_HOME is where the file is looked for without WHMCS_CONFIG.
    let xdg = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(xdg.path().join("whmcs")).expect("mkdir");
    std::fs::copy(&config, xdg.path().join("whmcs/config.toml")).expect("copy");
    std::fs::copy(
        dir.path().join("good.secret"),
        xdg.path().join("whmcs/good.secret"),
    )
    .expect("copy");
    ok(run(support::whmcs()
        .env_remove("WHMCS_CONFIG")
        .env("XDG_CONFIG_HOME", xdg.path())
        .args(["--profile", "good", "GetClients"])));
    // A config file holding a secret that others can read gets a warning.
    let shared = write_file(
        dir.path(),
        "shared.toml",
        &std::fs::read_to_string(&config).expect("read config"),
        0o644,
    );
    let out = run(whmcs()
        .env("WHMCS_CONFIG", &shared)
        .args(["--profile", "good", "GetClients"]));
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("others can read it"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_read_only_profile_refuses_writes_before_sending() {
    let mock = Mock::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(&mock, dir.path());
    for args in [
        &["AddCancelRequest", "--serviceid", "1"][..],
        &["DeleteClient", "--clientid", "1"],
        &[
            "AddInvoicePayment",
            "--invoiceid",
            "1",
            "--transid",
            "x",
            "--gateway",
            "mailin",
        ],
        &["DeleteClient", "--clientid", "1", "--dry-run"],
    ] {
        let out = run(whmcs()
            .env("WHMCS_CONFIG", &config)
            .env("WHMCS_PROFILE", "ro")
            .args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("profile `ro` is read-only") && stderr.contains("nothing was sent"),
            "{stderr}"
        );
    }
    assert!(mock.requests().is_empty());
    let out = run(whmcs()
        .env("WHMCS_CONFIG", &config)
        .args(["--profile", "ro", "GetClients"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mock.requests().len(), 1);
}

/// The invoice ids printed one per line.
fn ids(out: &std::process::Output) -> Vec<u64> {
    text(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("a JSON line")["id"]
                .as_u64()
                .expect("id")
        })
        .collect()
}

#[test]
fn all_fetches_every_page_in_order() {
    let p = pager(7, None);
    let out = p.mock.run(&[
        "GetInvoices",
        "--all",
        "--limitnum",
        "2",
        "--status",
        "Unpaid",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(ids(&out), (1..=7).collect::<Vec<_>>());
    let starts: Vec<(String, String, String)> = p
        .mock
        .requests()
        .iter()
        .map(|r| {
            let s = |k: &str| r.params[k].as_str().unwrap_or_default().to_string();
            (s("limitstart"), s("limitnum"), s("status"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = [0, 2, 4, 6]
        .iter()
        .map(|s| (s.to_string(), "2".to_string(), "Unpaid".to_string()))
        .collect();
    assert_eq!(starts, expected);

    // The default page size; a start of our own; --output json gives one array.
    let p = pager(150, None);
    let out = p.mock.run(&["GetInvoices", "--all"]);
    assert_eq!(ids(&out), (1..=150).collect::<Vec<_>>());
    assert_eq!(p.mock.requests().len(), 2);
    let out = p.mock.run(&[
        "GetInvoices",
        "--all",
        "--limitstart",
        "140",
        "--output",
        "json",
    ]);
    let all: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(all.as_array().map(Vec::len), Some(10));

    // --all is for list actions only.
    let out = p
        .mock
        .run(&["GetClientsDetails", "--clientid", "1", "--all"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn concurrent_pages_overlap_and_print_in_page_order() {
    let slow = Duration::from_millis(800);
    // Sequential: the page after the slow one is asked for only once it has answered.
    let p = pager(9, Some((2, slow)));
    let out = p.mock.run(&["GetInvoices", "--all", "--limitnum", "2"]);
    assert_eq!(ids(&out), (1..=9).collect::<Vec<_>>());
    let arrivals = p.arrivals.lock().expect("lock").clone();
    let at = |s: u64| {
        arrivals
            .iter()
            .find(|(start, _)| *start == s)
            .expect("page")
            .1
    };
    assert!(at(4).duration_since(at(2)) >= slow);

    // --concurrency 3: pages 4 and 6 are in flight while page 2 is still slow, and the items
    // still come out in page order.
    let p = pager(9, Some((2, slow)));
    let started = Instant::now();
    let out = p.mock.run(&[
        "GetInvoices",
        "--all",
        "--limitnum",
        "2",
        "--concurrency",
        "3",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(ids(&out), (1..=9).collect::<Vec<_>>());
    let arrivals = p.arrivals.lock().expect("lock").clone();
    let at = |s: u64| {
        arrivals
            .iter()
            .find(|(start, _)| *start == s)
            .expect("page")
            .1
    };
    assert!(
        at(4).duration_since(at(2)) < slow,
        "page 4 waited for page 2"
    );
    assert!(
        at(6).duration_since(at(2)) < slow,
        "page 6 waited for page 2"
    );
    assert_eq!(arrivals.len(), 5, "every page once");
    assert!(started.elapsed() >= slow);
    let out = p.mock.run(&["GetInvoices", "--concurrency", "3"]);
    assert_eq!(out.status.code(), Some(2), "--concurrency needs --all");
}

#[test]
fn table_output_aligns_columns() {
    let p = pager(3, None);
    let out = p
        .mock
        .run(&["GetInvoices", "--output", "table", "--limitnum", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "ID  USERID  TOTAL  STATUS\n1   1       1.00   Unpaid\n2   1       2.00   Unpaid\n"
    );
    assert_eq!(
        text(&out.stderr),
        "whmcs: 2 of 3 shown; --all fetches every page\n"
    );
    let out = p.mock.run(&[
        "GetInvoices",
        "--all",
        "--output",
        "table",
        "--limitnum",
        "2",
    ]);
    assert_eq!(text(&out.stdout).lines().count(), 4);
    assert!(out.stderr.is_empty());
    // An answer that is no list: its keys and values.
    let mock = Mock::scripted(|_: &Request| {
        Reply::json(&json!({"result": "success", "clientid": 12, "owner_id": 3}))
    });
    let out = mock.run(&[
        "AddClient",
        "--firstname",
        "A",
        "--lastname",
        "B",
        "--email",
        "a@b.test",
        "--address1",
        "x",
        "--city",
        "x",
        "--state",
        "x",
        "--postcode",
        "x",
        "--country",
        "GB",
        "--phonenumber",
        "1",
        "--output",
        "table",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("KEY       VALUE\n"), "{table}");
    assert!(table.contains("clientid  12\n"), "{table}");
    // Piped JSON is compact, one line.
    let out = p.mock.run(&["GetInvoices", "--limitnum", "1"]);
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn a_write_that_timed_out_after_sending_exits_3() {
    let mock = Mock::scripted(|_: &Request| {
        Reply::json(&json!({"result": "success", "serviceid": 1})).after(Duration::from_secs(3))
    });
    let out = mock.run(&["AddCancelRequest", "--serviceid", "1", "--timeout", "0.3"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("may have been applied"), "{stderr}");
    assert_eq!(mock.requests().len(), 1, "a write is not sent twice");

    // A read that timed out had no effect: exit 2 (after its retries).
    let out = mock.run(&["--timeout", "0.2", "GetClients"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // Nothing sent (no server): exit 2 for a write too.
    let out =
        run(whmcs()
            .env("WHMCS_URL", dead_url())
            .args(["AddCancelRequest", "--serviceid", "1"]));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // An answer that is not WHMCS's: a write may have been applied, a read had no effect.
    let mock = Mock::scripted(|_: &Request| Reply::raw(200, "<html>Fatal error</html>"));
    let out = mock.run(&["AddCancelRequest", "--serviceid", "1"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let out = mock.run(&["GetClients"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // WHMCS's own error: exit 1, its message verbatim.
    let mock = Mock::scripted(|_: &Request| Reply::error("Service ID Not Found"));
    let out = mock.run(&["AddCancelRequest", "--serviceid", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "whmcs: Service ID Not Found\n");
}

#[test]
fn no_input_makes_it_panic() {
    let mock = ok_server();
    let check = |out: std::process::Output, code: i32| {
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.lines().count() <= 2, "{stderr}");
    };
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let bad = std::ffi::OsStr::from_bytes(b"--status\xff");
        let out = run(mock.whmcs().arg("GetInvoices").arg(bad));
        assert_eq!(text(&out.stderr), "whmcs: argument 2 is not valid UTF-8\n");
        check(out, 2);
    }
    let deep = format!("--domainrenewals{}", "[a]".repeat(40_000));
    check(
        mock.run(&[
            "AddOrder",
            "--clientid",
            "1",
            "--paymentmethod",
            "x",
            "--pid",
            "1",
            &deep,
            "1",
        ]),
        2,
    );
    let deep_unknown = format!("--nosuch{}", "[a]".repeat(40_000));
    check(mock.run(&["AddOrder", &deep_unknown, "1"]), 2);
    let long = format!("--{}", "a".repeat(120_000));
    check(mock.run(&["GetInvoices", &long, "1"]), 2);
    check(mock.run(&[&long]), 2);
    check(
        mock.run(&[
            "GetInvoices",
            "--param",
            &format!("{}=1", "[".repeat(120_000)),
        ]),
        0,
    );
    check(
        mock.run(&["GetInvoices", "--json", &"[".repeat(120_000)]),
        2,
    );
    check(mock.run(&["GetInvoices", "--json", "-"]), 2);
    check(mock.run(&["GetInvoices", "--timeout", "1e300"]), 2);
    check(mock.run(&["GetInvoices", "--timeout", "NaN"]), 2);
    check(mock.run(&["--url", "x"]), 2);
    assert_eq!(mock.requests().len(), 1);

    // Linux takes no single argument past 128 KiB; stdin takes any size.
    let mut child = mock
        .whmcs()
        .args(["GetInvoices", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    std::thread::spawn(move || {
        use std::io::Write as _;
        let _ = stdin.write_all(format!("{{\"a\":{}", "[".repeat(4 << 20)).as_bytes());
    });
    check(child.wait_with_output().expect("wait"), 2);
    assert_eq!(mock.requests().len(), 1);

    // A reader that goes away: a quiet exit, however much was left to print.
    for args in [
        &["completions", "bash"][..],
        &["actions"],
        &["help", "AddOrder"],
    ] {
        let mut child = whmcs()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        check(out, 0);
    }
}

#[test]
fn cacert_must_be_a_readable_pem_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let not_pem = write_file(dir.path(), "ca.pem", "not a certificate\n", 0o644);
    for (file, expected) in [
        (not_pem.as_path(), "not a PEM certificate"),
        (
            std::path::Path::new("/nonexistent/ca.pem"),
            "cannot read the CA file",
        ),
    ] {
        let out = run(whmcs()
            .args([
                "GetClients",
                "--url",
                "https://billing.example.test",
                "--cacert",
            ])
            .arg(file));
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains(expected),
            "{}",
            text(&out.stderr)
        );
    }
    // A profile's `cacert` is found beside the config file.
    let config = write_file(
        dir.path(),
        "config.toml",
        "[profiles.p]\nurl = \"https://billing.example.test\"\ncacert = \"ca.pem\"\n",
        0o600,
    );
    let out = run(whmcs()
        .env("WHMCS_CONFIG", &config)
        .args(["--profile", "p", "GetClients"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not a PEM certificate"),
        "{}",
        text(&out.stderr)
    );
}
