//! `whmcs`: call any WHMCS API action from a shell, list and describe the actions, run the mock
//! server, import and check action specs.
//!
//! The stages, one file each: `prepass` reads what clap cannot (any-case action names, PHP-array
//! flags), `args` builds the command line from the action metadata and parses it, `help` renders an action's help, `config` resolves profiles, secrets and the environment
//! into a client, `call` turns flags into a checked request and sends it, `pages` fetches every
//! page of a list, `output` prints answers, `mock` and `spec` are the other commands.
//!
//! Exit codes: 0 success; 1 WHMCS answered with an error; 2 invalid input, or the call failed
//! without effect; 3 the request was sent and may have been applied.

/// `eprintln!` that cannot panic: a closed or broken stderr loses the line, nothing more.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod args;
mod call;
mod config;
mod flags;
mod help;
mod mock;
mod outcome;
mod output;
mod pages;
mod prepass;
mod spec;

use std::process::ExitCode;

/// A failure with its exit code and the text for stderr (empty for a quiet exit).
#[derive(Debug)]
pub(crate) struct Fail {
    code: u8,
    message: String,
}

impl Fail {
    /// Exit 1: WHMCS answered with an error.
    pub(crate) fn whmcs(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }

    /// Exit 2: invalid input, or the call failed without effect.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// Exit 3: the request was sent and may have been applied.
    pub(crate) fn maybe_applied(message: impl Into<String>) -> Self {
        Self {
            code: 3,
            message: message.into(),
        }
    }

    /// Whoever reads our output went away (`whmcs actions | head -1`): stop without a word.
    pub(crate) fn closed_output() -> Self {
        Self {
            code: 0,
            message: String::new(),
        }
    }

    /// Maps a failed write to stdout: a closed pipe is a quiet exit, anything else exit 2.
    pub(crate) fn from_io(e: &std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::closed_output()
        } else {
            Self::usage(format!("cannot write the output: {e}"))
        }
    }
}

fn main() -> ExitCode {
    let mut argv = Vec::new();
    for (i, arg) in std::env::args_os().enumerate().skip(1) {
        match arg.into_string() {
            Ok(s) => argv.push(s),
            Err(_) => {
                note!("whmcs: argument {i} is not valid UTF-8");
                return ExitCode::from(2);
            }
        }
    }
    match args::run(argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail { code, message }) => {
            if !message.is_empty() {
                note!("whmcs: {message}");
            }
            ExitCode::from(code)
        }
    }
}

/// `-v` shows each call (action, attempt, status, time), `-vv` everything; `RUST_LOG` wins if set.
/// Logs go to stderr and never contain the request body or credentials.
pub(crate) fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "warn,whmcs_api=debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// A runtime for the commands that talk HTTP.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Fail> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Fail::usage(format!("cannot start the async runtime: {e}")))
}
