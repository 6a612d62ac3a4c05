//! The mock under hostile requests and failing disks, over loopback: bodies nested 20,000 deep
//! or with 100,000 parameters while other callers are answered within a second, header and
//! idle timeouts, accept back-off, writes that cannot be saved answering HTTP 500 with the state
//! unchanged, and `kill -9` during a write burst losing no acknowledged write.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use whmcs_api::{Client, Error, RetryPolicy};
use whmcs_mock::{MockConfig, MockServer};

/// A fresh folder under the system's temporary one.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whmcs-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A raw HTTP/1.1 POST of `body` to the API; the status and the body of the answer.
async fn post_raw(addr: &str, body: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /includes/api.php HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn addr_of(mock: &MockServer) -> String {
    mock.addr().to_string()
}

fn credentials() -> String {
    "identifier=mock-identifier&secret=mock-secret&responsetype=json".to_string()
}

async fn add_client(
    client: &Client,
    email: &str,
) -> Result<i64, Error<whmcs_api::actions::AddClientError>> {
    client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email,
            address1: "1 St",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
        })
        .await
        .map(|r| r.clientid)
}

/// Every client's email and id, read with one call.
async fn all_clients(client: &Client) -> BTreeMap<String, i64> {
    let r = client
        .get_clients()
        .limitnum(1_000_000)
        .await
        .expect("GetClients");
    r.clients
        .iter()
        .filter_map(|c| Some((c.email.clone()?, c.id?)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Hostile requests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_and_wide_bodies_leave_other_callers_answered_within_a_second() {
    let mock = MockServer::start().await.expect("mock");
    let addr = addr_of(&mock);
    let deep = format!("a{}=1", "[a]".repeat(20_000));
    let wide = "a[]=1&".repeat(100_000);
    // As much of both as the body limit lets through.
    let deep_many = std::iter::repeat_n(deep.as_str(), 130)
        .collect::<Vec<_>>()
        .join("&");
    let wide_deep = std::iter::repeat_n(format!("b{}=1", "[b]".repeat(63)).as_str(), 40_000)
        .collect::<Vec<_>>()
        .join("&");
    let bodies: Vec<Vec<u8>> = [deep, wide, deep_many, wide_deep]
        .into_iter()
        .flat_map(|b| {
            [
                format!("action=GetClients&{}&{b}", credentials()).into_bytes(),
                b.into_bytes(),
            ]
        })
        .collect();
    for b in &bodies {
        assert!(b.len() < 8 << 20, "{} bytes", b.len());
    }
    let bodies = Arc::new(bodies);
    let stop = Instant::now() + Duration::from_secs(4);
    let mut attackers = Vec::new();
    for n in 0..4 {
        let (addr, bodies) = (addr.clone(), bodies.clone());
        attackers.push(tokio::spawn(async move {
            let mut answered = 0;
            let mut i = n;
            while Instant::now() < stop {
                let (status, _) = post_raw(&addr, &bodies[i % bodies.len()]).await;
                assert!(status != 0, "no answer to a hostile body");
                answered += 1;
                i += 1;
            }
            answered
        }));
    }
    let client = mock.client().expect("client");
    let mut slowest = Duration::ZERO;
    let mut calls = 0;
    while Instant::now() < stop {
        let t = Instant::now();
        client.get_clients().await.expect("GetClients");
        add_client(&client, &format!("c{calls}@example.com"))
            .await
            .expect("AddClient");
        slowest = slowest.max(t.elapsed());
        calls += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut hostile = 0;
    for a in attackers {
        hostile += a.await.expect("attacker");
    }
    println!("{hostile} hostile bodies served; {calls} calls, the slowest took {slowest:?}");
    assert!(hostile >= 8, "only {hostile} hostile bodies were answered");
    assert!(calls >= 10, "only {calls} calls");
    assert!(
        slowest < Duration::from_secs(1),
        "a caller waited {slowest:?} while {hostile} hostile bodies were served"
    );
    // PHP's limits applied.
    let journal = mock.requests();
    let widest = journal
        .iter()
        .filter_map(|r| r.form.get("a").and_then(Value::as_array).map(Vec::len))
        .max();
    // (PHP's `$_POST` reader keeps the variable that crosses `max_input_vars`.)
    assert_eq!(widest, Some(1001), "max_input_vars");
}

#[tokio::test]
async fn silent_slow_and_idle_connections_are_closed() {
    let mock = MockServer::start().await.expect("mock");
    let addr = addr_of(&mock);
    let started = Instant::now();
    // Sends nothing.
    let silent = tokio::spawn({
        let addr = addr.clone();
        async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let mut buf = [0u8; 64];
            let _ = s.read(&mut buf).await;
            started.elapsed()
        }
    });
    // Sends its headers one byte every half second (a slow loris).
    let slow = tokio::spawn({
        let addr = addr.clone();
        async move {
            let s = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let (mut r, mut w) = s.into_split();
            tokio::spawn(async move {
                for b in b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    .iter()
                    .chain(std::iter::repeat(&b'a'))
                {
                    if w.write_all(&[*b]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            });
            let mut buf = [0u8; 64];
            while let Ok(n) = r.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            started.elapsed()
        }
    });
    // One request answered, then idle on a kept-alive connection.
    let idle = tokio::spawn({
        let addr = addr.clone();
        async move {
            let mut s = tokio::net::TcpStream::connect(&addr)
                .await
                .expect("connect");
            let body = format!("action=GetClients&{}", credentials());
            let req = format!(
                "POST /includes/api.php HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            s.write_all(req.as_bytes()).await.expect("write");
            let mut buf = vec![0u8; 65536];
            let n = s.read(&mut buf).await.expect("answer");
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
            let answered = started.elapsed();
            while let Ok(n) = s.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            started.elapsed() - answered
        }
    });
    for (what, task) in [("silent", silent), ("slow", slow), ("idle", idle)] {
        let waited = tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .unwrap_or_else(|_| panic!("{what}: the connection was never closed"))
            .expect("task");
        assert!(
            waited >= Duration::from_secs(9) && waited < Duration::from_secs(13),
            "{what}: closed after {waited:?}, expected the 10 s header timeout"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Child processes: a mock serving a state file, or a mock short of file descriptors

/// Runs a mock in a child process (this test binary again) when asked to; see `MockChild`.
#[test]
fn serve_child() {
    let Some(state) = std::env::var_os("WHMCS_MOCK_CHILD_STATE") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let state = (!state.is_empty()).then(|| PathBuf::from(state));
        let mock = MockServer::start_with(MockConfig {
            state_file: state,
            ..MockConfig::default()
        })
        .await
        .expect("mock");
        println!("URL {}", mock.url());
        loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}

/// A mock in a child process; killed with SIGKILL when dropped.
struct MockChild {
    child: Child,
    url: String,
}

impl MockChild {
    /// `state`: the state file (`None`: in memory); `shell`: a `sh` prefix such as `ulimit -n 64`.
    fn start(state: Option<&Path>, shell: &str) -> Self {
        let exe = std::env::current_exe().expect("test binary");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("{shell} exec \"$0\" \"$@\""))
            .arg(exe)
            .args(["--exact", "serve_child", "--nocapture", "--test-threads=1"])
            .env(
                "WHMCS_MOCK_CHILD_STATE",
                state.map(|p| p.as_os_str().to_owned()).unwrap_or_default(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the mock");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    // libtest may have written `test serve_child ... ` on the same line.
                    if let Some((_, url)) = line.split_once("URL ") {
                        break url.trim().to_string();
                    }
                }
                _ => panic!("the mock child did not start"),
            }
        };
        Self { child, url }
    }

    fn client(&self) -> Client {
        Client::builder()
            .url(&self.url)
            .api_credentials("mock-identifier", "mock-secret")
            .retry(RetryPolicy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client")
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The child's CPU time so far (user + system), from /proc.
    fn cpu_time(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).expect("/proc stat");
        let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: u64 =
            fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
        // USER_HZ is 100 on Linux.
        Duration::from_millis(ticks * 10)
    }
}

impl Drop for MockChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn accept_failures_back_off_instead_of_spinning() {
    // 64 descriptors: the connections below exhaust them, and every accept fails (EMFILE).
    let child = MockChild::start(None, "ulimit -n 64 &&");
    let addr = child
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut held = Vec::new();
    for _ in 0..100 {
        match tokio::net::TcpStream::connect(&addr).await {
            Ok(s) => held.push(s),
            Err(_) => break,
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A spinning accept loop burns a whole core: most of the second; backing off, a few ticks.
    let before = child.cpu_time();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let used = child.cpu_time() - before;
    assert!(
        used < Duration::from_millis(200),
        "the mock used {used:?} of CPU in 1 s with accept failing: it spins"
    );
    drop(held);
    // Once descriptors are free again, it serves.
    let client = child.client();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match client.get_clients().await {
            Ok(_) => break,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("the mock did not recover: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_write_burst_loses_no_acknowledged_write() {
    let dir = temp_dir("kill9");
    let state = dir.join("state.json");
    let acked: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let orders: Arc<Mutex<Vec<i64>>> = Arc::default();
    for round in 0..3 {
        let child = MockChild::start(Some(&state), "");
        let mut writers = Vec::new();
        for w in 0..16 {
            let client = child.client();
            let (acked, orders) = (acked.clone(), orders.clone());
            writers.push(tokio::spawn(async move {
                for n in 0.. {
                    let email = format!("r{round}-w{w}-n{n}@example.com");
                    let Ok(id) = add_client(&client, &email).await else {
                        break;
                    };
                    acked.lock().expect("lock").push((email, id));
                    match client.add_order(id, "mailin").pid([1]).await {
                        Ok(o) => orders.lock().expect("lock").push(o.orderid),
                        Err(_) => break,
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
        child.kill();
        for w in writers {
            w.await.expect("writer");
        }
    }
    let child = MockChild::start(Some(&state), "");
    let client = child.client();
    let kept = all_clients(&client).await;
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked.len() >= 100,
        "only {} writes acknowledged",
        acked.len()
    );
    println!(
        "{} clients and {} orders acknowledged across 3 kills, all kept",
        acked.len(),
        orders.lock().expect("lock").len()
    );
    let lost: Vec<_> = acked
        .iter()
        .filter(|(email, id)| kept.get(email) != Some(id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged clients lost: {lost:?}",
        lost.len()
    );
    let kept_orders: std::collections::BTreeSet<i64> = client
        .get_orders()
        .limitnum(1_000_000)
        .await
        .expect("GetOrders")
        .orders
        .iter()
        .filter_map(|o| o.id)
        .collect();
    let orders = orders.lock().expect("lock").clone();
    let lost: Vec<_> = orders.iter().filter(|o| !kept_orders.contains(o)).collect();
    assert!(lost.is_empty(), "acknowledged orders lost: {lost:?}");
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// Writes that cannot be saved

/// Makes `dir` unwritable, even for root when possible (`chattr +i`); undone when dropped.
struct Unwritable {
    dir: PathBuf,
    immutable: bool,
}

impl Unwritable {
    fn new(dir: &Path) -> Option<Self> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        let mut guard = Self {
            dir: dir.to_path_buf(),
            immutable: false,
        };
        if guard.writable() {
            // Root ignores permissions; an immutable folder stops root as well.
            guard.immutable = Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
        }
        (!guard.writable()).then_some(guard)
    }

    fn writable(&self) -> bool {
        let probe = self.dir.join(".probe");
        let ok = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
    }
}

/// An AddClient over raw HTTP: the status and `result` of the answer.
async fn raw_add_client(addr: &str, email: &str) -> (u16, String) {
    let body = format!(
        "action=AddClient&{}&firstname=A&lastname=B&email={}&address1=a&city=b&state=c&postcode=d&country=GB&phonenumber=1",
        credentials(),
        whmcs_php::urlencode(email)
    );
    let (status, body) = post_raw(addr, body.as_bytes()).await;
    let result = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["result"].as_str().map(str::to_string))
        .unwrap_or_default();
    (status, result)
}

#[tokio::test]
async fn a_folder_that_cannot_be_written_fails_writes_with_500_and_keeps_the_state() {
    let dir = temp_dir("readonly");
    let file = dir.join("state.json");
    let config = || MockConfig {
        state_file: Some(file.clone()),
        ..MockConfig::default()
    };
    {
        let mock = MockServer::start_with(config()).await.expect("mock");
        add_client(&mock.client().expect("client"), "before@example.com")
            .await
            .expect("AddClient");
    }
    assert!(file.exists(), "the snapshot written when the mock stopped");

    let Some(guard) = Unwritable::new(&dir) else {
        eprintln!("SKIPPED: this process can write into any folder (root without chattr)");
        return;
    };
    let mock = MockServer::start_with(config())
        .await
        .expect("mock starts read-only");
    let client = mock.client().expect("client");
    let addr = addr_of(&mock);
    for n in 0..3 {
        let (status, result) = raw_add_client(&addr, &format!("lost{n}@example.com")).await;
        assert_eq!((status, result.as_str()), (500, "error"), "never `success`");
    }
    let e = add_client(&client, "typed@example.com")
        .await
        .expect_err("not saved");
    assert!(
        e.to_string().contains("Could not save the mock state"),
        "{e}"
    );
    let before = BTreeMap::from([("before@example.com".to_string(), 1)]);
    assert_eq!(all_clients(&client).await, before, "the state is unchanged");

    drop(guard);
    let id = add_client(&client, "after@example.com")
        .await
        .expect("writable again");
    drop(mock);
    let mock = MockServer::start_with(config()).await.expect("restart");
    let kept = all_clients(&mock.client().expect("client")).await;
    assert_eq!(
        kept,
        BTreeMap::from([
            ("before@example.com".to_string(), 1),
            ("after@example.com".to_string(), id)
        ])
    );
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_journal_that_cannot_be_written_fails_writes_with_500_and_keeps_the_state() {
    let dir = temp_dir("blocked");
    let file = dir.join("state.json");
    let journal = dir.join("state.json.journal");
    let config = MockConfig {
        state_file: Some(file.clone()),
        ..MockConfig::default()
    };
    let mock = MockServer::start_with(config.clone()).await.expect("mock");
    let client = mock.client().expect("client");
    // Nothing can be created where the journal goes (this stops root too).
    std::fs::create_dir(&journal).expect("block the journal");
    let addr = addr_of(&mock);
    let (status, result) = raw_add_client(&addr, "lost@example.com").await;
    assert_eq!((status, result.as_str()), (500, "error"));
    let order = client.add_order(1, "mailin").pid([1]).await;
    assert!(order.is_err(), "{order:?}");
    assert!(
        all_clients(&client).await.is_empty(),
        "the state is unchanged"
    );

    std::fs::remove_dir(&journal).expect("unblock");
    let id = add_client(&client, "kept@example.com")
        .await
        .expect("saved");
    drop(mock);
    let mock = MockServer::start_with(config).await.expect("restart");
    assert_eq!(
        all_clients(&mock.client().expect("client")).await,
        BTreeMap::from([("kept@example.com".to_string(), id)])
    );
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_state_is_one_snapshot_after_a_stop_and_a_journal_while_running() {
    let dir = temp_dir("files");
    // A name that ends like a temporary file's: nothing is ever written under it but the state.
    let file = dir.join("state.tmp");
    let config = MockConfig {
        state_file: Some(file.clone()),
        ..MockConfig::default()
    };
    let mock = MockServer::start_with(config.clone()).await.expect("mock");
    let client = mock.client().expect("client");
    let id = add_client(&client, "one@example.com")
        .await
        .expect("AddClient");
    let names = |dir: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names(&dir),
        ["state.tmp.journal"],
        "a change is appended, not a rewrite"
    );
    let journal = std::fs::read_to_string(dir.join("state.tmp.journal")).expect("journal");
    assert_eq!(
        journal.lines().count(),
        2,
        "a header and one line per change: {journal}"
    );
    drop(mock);
    assert_eq!(
        names(&dir),
        ["state.tmp"],
        "compacted when the mock stopped"
    );

    // A line cut short by a crash (never acknowledged) is ignored, and cut off.
    let mock = MockServer::start_with(config.clone()).await.expect("mock");
    add_client(&mock.client().expect("client"), "two@example.com")
        .await
        .expect("AddClient");
    std::mem::forget(mock); // as if killed: no compaction
    let journal_path = dir.join("state.tmp.journal");
    let mut text = std::fs::read(&journal_path).expect("journal");
    text.extend_from_slice(br#"{"action":"AddClient","params":{"firstname":"#);
    std::fs::write(&journal_path, &text).expect("torn line");
    let mock = MockServer::start_with(config.clone())
        .await
        .expect("restart");
    let client = mock.client().expect("client");
    let kept = all_clients(&client).await;
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(kept.get("one@example.com"), Some(&id));
    add_client(&client, "three@example.com")
        .await
        .expect("AddClient");
    drop(mock);
    let mock = MockServer::start_with(config).await.expect("restart");
    assert_eq!(all_clients(&mock.client().expect("client")).await.len(), 3);
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn seeds_resets_and_the_clock_are_journaled_like_calls() {
    let dir = temp_dir("control-journal");
    let file = dir.join("state.json");
    // A seed counts for a state file not written yet.
    let seeded = {
        let scratch = MockServer::start().await.expect("scratch");
        add_client(&scratch.client().expect("client"), "seeded@example.com")
            .await
            .expect("AddClient");
        scratch.snapshot()
    };
    let config = MockConfig {
        state_file: Some(file.clone()),
        seed: Some(seeded.clone()),
        ..MockConfig::default()
    };
    let mock = MockServer::start_with(config.clone()).await.expect("mock");
    let client = mock.client().expect("client");
    assert!(
        all_clients(&client)
            .await
            .contains_key("seeded@example.com")
    );
    mock.advance_days(40);
    let today = mock.today();
    add_client(&client, "after@example.com")
        .await
        .expect("AddClient");
    let before = mock.snapshot();
    std::mem::forget(mock); // as if killed: only the journal holds the changes
    let mock = MockServer::start_with(config.clone())
        .await
        .expect("restart");
    assert_eq!(mock.today(), today, "the clock's moves are replayed");
    assert_eq!(mock.snapshot(), before, "the same state after a restart");

    // A reset then a seed, replayed in order; the config's seed no longer counts.
    mock.reset();
    let empty = mock.snapshot();
    mock.seed(seeded.clone()).expect("seed");
    mock.reset();
    // A read waits for every change before it to be on disk.
    assert!(
        all_clients(&mock.client().expect("client"))
            .await
            .is_empty()
    );
    std::mem::forget(mock);
    let mock = MockServer::start_with(config).await.expect("restart");
    assert_eq!(
        mock.snapshot(),
        empty,
        "the last reset wins, not the config's seed"
    );
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}
