//! `whmcs mock`: a mock WHMCS on loopback, printing its URL and credentials as `VAR=value`
//! lines for `export`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use whmcs_mock::{MockConfig, MockServer};

use crate::Fail;
use crate::config::read_secret;
use crate::flags::{Globals, value};

/// The `mock` subcommand; `--identifier`, `--secret` and `--secret-file` are the global options.
pub(crate) fn command() -> Command {
    Command::new("mock")
        .about("Run a mock WHMCS on loopback; prints its URL and credentials")
        .after_help(
            "The credentials it accepts are --identifier and --secret (or --secret-file),\n\
             by default mock-identifier and mock-secret.",
        )
        .arg(
            Arg::new("addr")
                .long("addr")
                .value_name("ADDR")
                .help("Where to listen [default: 127.0.0.1:0, a free port]")
                .value_parser(clap::value_parser!(SocketAddr)),
        )
        .arg(
            Arg::new("state")
                .long("state")
                .value_name("FILE")
                .help("Keep the state in FILE across restarts")
                .value_parser(clap::value_parser!(PathBuf)),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .value_name("FILE")
                .help("Start from the state in FILE (JSON, as GET /_mock/snapshot gives)")
                .value_parser(clap::value_parser!(PathBuf)),
        )
        .arg(
            Arg::new("latency")
                .long("latency")
                .value_name("DURATION")
                .help("Make every answer wait this long, e.g. 100ms or 1.5s")
                .value_parser(parse_duration),
        )
}

/// `100ms`, `1.5s` or a number of seconds.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let t = text.trim();
    let (number, scale) = match t.strip_suffix("ms") {
        Some(n) => (n, 0.001),
        None => (t.strip_suffix('s').unwrap_or(t), 1.0),
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0 && *n * scale <= 3600.0)
        .map(|n| std::time::Duration::from_secs_f64(n * scale))
        .ok_or_else(|| format!("`{text}` is not a duration such as 100ms or 2s (at most an hour)"))
}

/// Runs the mock until Ctrl-C.
pub(crate) fn run(g: &Globals, m: &ArgMatches) -> Result<(), Fail> {
    let mut config = MockConfig::default();
    if let Some(addr) = value(m, "addr") {
        config.addr = addr;
    }
    config.state_file = value(m, "state");
    config.latency = value(m, "latency");
    if let Some(path) = value::<PathBuf>(m, "seed") {
        let text = std::fs::read(&path)
            .map_err(|e| Fail::usage(format!("cannot read {}: {e}", path.display())))?;
        let seed = serde_json::from_slice(&text)
            .map_err(|e| Fail::usage(format!("{} is not JSON: {e}", path.display())))?;
        config.seed = Some(seed);
    }
    if let Some(id) = &g.identifier {
        config.identifier.clone_from(id);
    }
    match (&g.secret, &g.secret_file) {
        (Some(_), Some(_)) => return Err(Fail::usage("give --secret or --secret-file, not both")),
        (Some(s), None) => config.secret.clone_from(s),
        (None, Some(path)) => config.secret = read_secret(path, "the API secret")?,
        (None, None) => {}
    }
    crate::runtime()?.block_on(async {
        let server = MockServer::start_with(config)
            .await
            .map_err(|e| Fail::usage(format!("cannot start the mock: {e}")))?;
        // Whoever started us may stop reading; that must not bring the server down.
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "WHMCS_URL={}", server.url());
            let _ = writeln!(out, "WHMCS_API_IDENTIFIER={}", server.identifier());
            let _ = writeln!(out, "WHMCS_API_SECRET={}", server.secret());
            let _ = out.flush();
        }
        note!("mock WHMCS listening on {}; stop with Ctrl-C", server.url());
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| Fail::usage(format!("cannot wait for Ctrl-C: {e}")))
    })
}
