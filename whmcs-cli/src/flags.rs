//! What every part of the command line shares: the global options and their values, and how a
//! documented parameter becomes a flag.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches};
use whmcs_api::ParamInfo;

use crate::output::Format;

/// Long flags every action has besides its parameters.
pub(crate) const ACTION_FLAGS: &[&str] = &["json", "param", "all", "concurrency", "help"];

/// The heading of the options every command takes.
const GLOBAL: &str = "Global options (before or after the action)";

/// The options every command takes, before or after the action.
pub(crate) fn global_args() -> Vec<Arg> {
    let value = |id: &'static str, name: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name(name)
            .help(help)
            .global(true)
            .help_heading(GLOBAL)
            .action(ArgAction::Set)
    };
    vec![
        value("url", "URL", "WHMCS installation URL [env: WHMCS_URL]"),
        value(
            "identifier",
            "ID",
            "API identifier [env: WHMCS_API_IDENTIFIER]",
        ),
        value(
            "secret",
            "SECRET",
            "API secret (`ps` shows it: prefer --secret-file) [env: WHMCS_API_SECRET]",
        ),
        value("secret-file", "FILE", "Read the API secret from FILE")
            .value_parser(clap::value_parser!(PathBuf)),
        value(
            "access-key",
            "KEY",
            "API access key [env: WHMCS_ACCESS_KEY]",
        ),
        value(
            "access-key-file",
            "FILE",
            "Read the API access key from FILE",
        )
        .value_parser(clap::value_parser!(PathBuf)),
        value(
            "profile",
            "NAME",
            "Use [profiles.NAME] of the config file [env: WHMCS_PROFILE]",
        ),
        value(
            "timeout",
            "SECS",
            "Longest a call may take (default 30; 0.5 works)",
        )
        .value_parser(parse_secs),
        value(
            "cacert",
            "FILE",
            "Also trust the CA certificates in this PEM file",
        )
        .value_parser(clap::value_parser!(PathBuf)),
        value(
            "proxy",
            "URL",
            "Send https calls through this proxy (default: HTTPS_PROXY unless NO_PROXY)",
        ),
        Arg::new("no-proxy")
            .long("no-proxy")
            .help("Connect directly, whatever the environment says")
            .global(true)
            .help_heading(GLOBAL)
            .conflicts_with("proxy")
            .action(ArgAction::SetTrue),
        Arg::new("dry-run")
            .long("dry-run")
            .help("Print the request that would be sent; send nothing")
            .global(true)
            .help_heading(GLOBAL)
            .action(ArgAction::SetTrue),
        value(
            "output",
            "json|jsonl|table",
            "Pretty JSON on a terminal, else compact; jsonl: a line per item",
        )
        .value_parser(["json", "jsonl", "table"])
        .hide_possible_values(true),
        Arg::new("verbose")
            .short('v')
            .long("verbose")
            .help("Log each call (-vv: everything; RUST_LOG overrides)")
            .global(true)
            .help_heading(GLOBAL)
            .action(ArgAction::Count),
    ]
}

/// The longest `--timeout`, in seconds.
pub(crate) const MAX_TIMEOUT: f64 = 86_400.0;

/// Parses `--timeout`: seconds, fractions allowed.
fn parse_secs(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if secs.is_nan() || secs <= 0.0 {
        return Err("the timeout must be more than 0 seconds".into());
    }
    if secs > MAX_TIMEOUT {
        return Err(format!(
            "the timeout is at most {MAX_TIMEOUT} seconds (a day)"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Whether `name` is taken by a global option or a flag every action has.
fn reserved(name: &str) -> bool {
    ACTION_FLAGS.contains(&name)
        || global_args().iter().any(|a| a.get_long() == Some(name))
        || name == "version"
}

/// The flag of a documented parameter, if it has one: numbered parameters are given as their
/// numbered keys, and a parameter named like a global option only through `--param`.
pub(crate) fn flag_of(p: &ParamInfo) -> Option<&'static str> {
    let name = p.name();
    let plain = !name.is_empty()
        && !name.starts_with('-')
        && !name.contains(['{', '[', '=', ' '])
        && !p.ty().starts_with("numbered<");
    (plain && !reserved(name)).then_some(name)
}

/// How a parameter's flag is written in help: the brackets PHP-array types take.
pub(crate) fn shape_of(p: &ParamInfo) -> &'static str {
    let ty = p.ty();
    let upper = |t: &str| t.starts_with(|c: char| c.is_ascii_uppercase());
    if !p.values().is_empty() {
        ""
    } else if ty.starts_with("map<map<") {
        "[KEY][KEY]"
    } else if ty.starts_with("map<") || upper(ty) {
        "[KEY]"
    } else if ty.strip_prefix("list<").is_some_and(upper) {
        "[N][KEY]"
    } else {
        ""
    }
}

/// `AddCancelRequest` → `add-cancel-request`.
pub(crate) fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The options every command shares, resolved from wherever they were given.
#[derive(Debug, Default)]
pub(crate) struct Globals {
    pub url: Option<String>,
    pub identifier: Option<String>,
    pub secret: Option<String>,
    pub secret_file: Option<PathBuf>,
    pub access_key: Option<String>,
    pub access_key_file: Option<PathBuf>,
    pub profile: Option<String>,
    pub timeout: Option<Duration>,
    pub cacert: Option<PathBuf>,
    pub proxy: Option<String>,
    pub no_proxy: bool,
    pub dry_run: bool,
    pub output: Option<Format>,
    pub verbose: u8,
}

/// A value clap holds for `id`, if the command has that argument and it was given.
pub(crate) fn value<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Option<T> {
    m.try_get_one::<T>(id).ok().flatten().cloned()
}

impl Globals {
    pub(crate) fn from_matches(m: &ArgMatches) -> Self {
        Self {
            url: value(m, "url"),
            identifier: value(m, "identifier"),
            secret: value(m, "secret"),
            secret_file: value(m, "secret-file"),
            access_key: value(m, "access-key"),
            access_key_file: value(m, "access-key-file"),
            profile: value(m, "profile"),
            timeout: value(m, "timeout"),
            cacert: value(m, "cacert"),
            proxy: value(m, "proxy"),
            no_proxy: value(m, "no-proxy").unwrap_or(false),
            dry_run: value(m, "dry-run").unwrap_or(false),
            output: value::<String>(m, "output").and_then(|s| Format::parse(&s)),
            verbose: value(m, "verbose").unwrap_or(0),
        }
    }
}
