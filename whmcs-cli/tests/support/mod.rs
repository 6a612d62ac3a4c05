//! Running the `whmcs` binary in a clean environment, against mock servers on loopback.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{Map, Value};
use whmcs_mock::{MockConfig, MockServer, Received, Reply, Request};

/// `whmcs` with no `WHMCS_*` setting from the environment of the test run and no config file.
pub fn whmcs() -> Command {
    clean(Command::new(env!("CARGO_BIN_EXE_whmcs")))
}

/// `sh -c LINE` in the same clean environment, with this build's `whmcs` first on `PATH`.
pub fn shell(line: &str) -> Command {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_whmcs"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = clean(Command::new("sh"));
    cmd.args(["-c", line]).env("PATH", path);
    cmd
}

fn clean(mut cmd: Command) -> Command {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("WHMCS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("WHMCS_CONFIG", "/nonexistent/whmcs-test-config.toml")
        .env_remove("WHMCS_PROFILE")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    cmd
}

/// Runs a command, failing the test if it cannot start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run whmcs")
}

/// The text of a stream.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A mock server with the runtime that serves it (the server is dropped first).
pub struct Mock {
    pub server: MockServer,
    runtime: tokio::runtime::Runtime,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

impl Mock {
    /// The stateful mock with its default credentials.
    pub fn start() -> Self {
        Self::with(MockConfig::default())
    }

    /// The stateful mock with these settings.
    pub fn with(config: MockConfig) -> Self {
        let runtime = runtime();
        let server = runtime
            .block_on(MockServer::start_with(config))
            .expect("start mock");
        Self { server, runtime }
    }

    /// A server answering every request with `handler`.
    pub fn scripted(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        let runtime = runtime();
        let server = runtime
            .block_on(MockServer::start_scripted(handler))
            .expect("start scripted mock");
        Self { server, runtime }
    }

    /// `whmcs` pointed at this server through the environment, with its credentials.
    pub fn whmcs(&self) -> Command {
        self.point(whmcs())
    }

    /// `sh -c LINE` with `whmcs` pointed at this server through the environment.
    pub fn shell(&self, line: &str) -> Command {
        self.point(shell(line))
    }

    fn point(&self, mut cmd: Command) -> Command {
        cmd.env("WHMCS_URL", self.server.url())
            .env("WHMCS_API_IDENTIFIER", self.server.identifier())
            .env("WHMCS_API_SECRET", self.server.secret());
        cmd
    }

    /// Runs `whmcs ARGS` against this server.
    pub fn run(&self, args: &[&str]) -> Output {
        run(self.whmcs().args(args))
    }

    /// What the server received.
    pub fn requests(&self) -> Vec<Received> {
        self.server.requests()
    }

    /// Runs a future on the server's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}

/// A scripted list action: `GetInvoices` answers pages of `total` invoices numbered from 1,
/// recording when each request arrived; the page at `slow_start` answers after `delay`.
pub struct Pager {
    pub mock: Mock,
    pub arrivals: Arc<Mutex<Vec<(u64, Instant)>>>,
}

pub fn pager(total: u64, slow_start: Option<(u64, std::time::Duration)>) -> Pager {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    let mock = Mock::scripted(move |req: &Request| {
        let num = |k: &str, d: u64| {
            req.params
                .get(k)
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .unwrap_or(d)
        };
        let (start, limit) = (num("limitstart", 0), num("limitnum", 25));
        seen.lock().expect("lock").push((start, Instant::now()));
        let items: Vec<Value> = (start + 1..=total.min(start + limit))
            .map(|id| serde_json::json!({"id": id, "userid": 1, "status": "Unpaid", "total": format!("{id}.00")}))
            .collect();
        let reply = Reply::json(&serde_json::json!({
            "result": "success", "totalresults": total, "startnumber": start,
            "numreturned": items.len(), "invoices": {"invoice": items},
        }));
        match slow_start {
            Some((s, delay)) if s == start => reply.after(delay),
            _ => reply,
        }
    });
    Pager { mock, arrivals }
}

/// A request's parameters without the credentials and envelope.
pub fn params(r: &Received) -> Map<String, Value> {
    let mut p = r.params.clone();
    for k in [
        "action",
        "identifier",
        "secret",
        "accesskey",
        "responsetype",
        "username",
        "password",
    ] {
        p.remove(k);
    }
    p
}

/// Writes `text` to `dir/name` with `mode`, returning the path.
pub fn write_file(dir: &Path, name: &str, text: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}
