//! The command line: a clap command built at run time with one hidden subcommand per action
//! (from the generated metadata), global options that work before or after the action, and the
//! dispatch to each command.
//! Before clap sees the arguments, [`crate::prepass`] does what clap cannot.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;
use whmcs_api::{ActionInfo, ParamInfo, actions, find_action};

use crate::Fail;
use crate::output::Format;
use crate::prepass::shown;

/// Long flags every action has besides its parameters.
pub(crate) const ACTION_FLAGS: &[&str] = &["json", "param", "all", "concurrency", "help"];

const ABOUT: &str = "Call any WHMCS API action from a shell, run a mock WHMCS, check action specs.";

const USAGE: &str =
    "whmcs [OPTIONS] <ACTION> [--<param> VALUE]... [--json JSON|-] [--param KEY=VALUE]...
       whmcs [OPTIONS] <COMMAND>";

const AFTER_HELP: &str = "\
ACTION is one of the {n} WHMCS API actions, by its documented name in any case (GetInvoices,
getinvoices) or in kebab-case (get-invoices); `whmcs actions` lists them, `whmcs ACTION --help`
shows its parameters. Parameters take wire names: repeat a flag for a list, `--name[key] VALUE`
for nested arrays. Options go before or after the action.

Settings: flags, then WHMCS_URL, WHMCS_API_IDENTIFIER, WHMCS_API_SECRET, WHMCS_ACCESS_KEY, then
the profile (--profile or WHMCS_PROFILE) in $XDG_CONFIG_HOME/whmcs/config.toml (or WHMCS_CONFIG).

Exit codes: 0 success, 1 WHMCS answered with an error, 2 invalid input or the call failed without
effect, 3 the request was sent and may have been applied (a write that timed out).";

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

/// The whole command line. `for_completion` makes the action subcommands visible, so that the
/// script for that shell offers them; `whmcs --help` keeps them out to fit on one screen.
pub(crate) fn command(for_completion: Option<clap_complete::Shell>) -> Command {
    let mut cmd = Command::new("whmcs")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .override_usage(USAGE)
        .after_help(AFTER_HELP.replace("{n}", &actions::ALL.len().to_string()))
        .subcommand_value_name("ACTION|COMMAND")
        .disable_help_subcommand(true)
        .arg_required_else_help(true)
        .args(global_args())
        .subcommand(Command::new("actions").about("List every action name, one per line"))
        .subcommand(
            Command::new("describe")
                .about("Print an action's spec as JSON: parameters, answer shape, errors")
                .arg(Arg::new("action").value_name("ACTION").required(true)),
        )
        .subcommand(crate::mock::command())
        .subcommand(crate::spec::command())
        .subcommand(
            Command::new("completions")
                .about("Print a completion script: whmcs completions bash|zsh|fish")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            Command::new("help")
                .about("Print help for a command or an action")
                .arg(
                    Arg::new("command")
                        .value_name("COMMAND|ACTION")
                        .num_args(0..)
                        .action(ArgAction::Append),
                ),
        );
    for info in actions::ALL {
        let action = action_command(info);
        cmd = cmd.subcommand(match for_completion {
            // Bash scripts name an alias in one line; zsh and fish repeat the whole action for
            // it, which would double their size, so they complete the documented names only.
            Some(clap_complete::Shell::Bash) => action.visible_alias(kebab(info.name())),
            Some(_) => action,
            None => action.alias(kebab(info.name())).hide(true),
        });
    }
    cmd
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

/// The subcommand of one action: its documented parameters as flags, and `--json`, `--param`,
/// and for list actions `--all` and `--concurrency`. Its help is rendered by [`crate::help`].
fn action_command(info: &'static ActionInfo) -> Command {
    let mut cmd = Command::new(info.name())
        .about(info.summary())
        .disable_help_flag(true)
        .allow_negative_numbers(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .help("Print this action's help")
                .action(ArgAction::SetTrue),
        );
    for p in info.params() {
        let Some(flag) = flag_of(p) else { continue };
        let mut arg = Arg::new(flag)
            .long(flag)
            .value_name(p.ty())
            .help(p.doc())
            .action(ArgAction::Append);
        if p.ty() == "bool" || p.ty() == "list<bool>" {
            arg = arg.num_args(0..=1).default_missing_value("1");
        }
        if !p.values().is_empty() {
            arg = arg.value_parser(clap::builder::PossibleValuesParser::new(
                p.values().iter().copied(),
            ));
        }
        cmd = cmd.arg(arg);
    }
    cmd = cmd
        .arg(
            Arg::new("json")
                .long("json")
                .value_name("JSON|-")
                .help("Parameters as a JSON object in wire form; - reads it from stdin")
                .allow_hyphen_values(true)
                .action(ArgAction::Append),
        )
        .arg(
            Arg::new("param")
                .long("param")
                .value_name("KEY=VALUE")
                .help("Send a parameter the reference leaves out (repeatable)")
                .action(ArgAction::Append),
        );
    if info.paged() {
        cmd = cmd
            .arg(
                Arg::new("all")
                    .long("all")
                    .help("Fetch every page; print one item per line")
                    .action(ArgAction::SetTrue),
            )
            .arg(
                Arg::new("concurrency")
                    .long("concurrency")
                    .value_name("K")
                    .help("With --all: keep up to K page requests in flight (default 1)")
                    .requires("all")
                    .value_parser(clap::value_parser!(u16).range(1..=64)),
            );
    }
    cmd
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
    pub dry_run: bool,
    pub output: Option<Format>,
    pub verbose: u8,
}

/// A value clap holds for `id`, if the command has that argument and it was given.
pub(crate) fn value<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Option<T> {
    m.try_get_one::<T>(id).ok().flatten().cloned()
}

impl Globals {
    fn from_matches(m: &ArgMatches) -> Self {
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
            dry_run: value(m, "dry-run").unwrap_or(false),
            output: value::<String>(m, "output").and_then(|s| Format::parse(&s)),
            verbose: value(m, "verbose").unwrap_or(0),
        }
    }
}

/// Parses the command line and runs the command.
pub(crate) fn run(argv: Vec<String>) -> Result<(), Fail> {
    let pre = crate::prepass::prepass(argv)?;
    let matches = command(None)
        .try_get_matches_from(std::iter::once("whmcs".to_string()).chain(pre.args))
        .map_err(|e| clap_failure(&e, pre.action))?;
    let globals = Globals::from_matches(&matches);
    crate::init_logging(globals.verbose);
    match matches.subcommand() {
        Some(("actions", _)) => {
            let mut out = std::io::stdout().lock();
            for info in actions::ALL {
                writeln!(out, "{}", info.name()).map_err(|e| Fail::from_io(&e))?;
            }
            out.flush().map_err(|e| Fail::from_io(&e))
        }
        Some(("describe", m)) => describe(&value::<String>(m, "action").unwrap_or_default()),
        Some(("mock", m)) => crate::mock::run(&globals, m),
        Some(("spec", m)) => crate::spec::run(m),
        Some(("completions", m)) => {
            let shell: clap_complete::Shell =
                value(m, "shell").ok_or_else(|| Fail::usage("`completions` needs a shell"))?;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(Some(shell)), "whmcs", &mut script);
            write_stdout(&script)
        }
        Some(("help", m)) => {
            let path: Vec<String> = m
                .get_many::<String>("command")
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            help(&path)
        }
        Some((name, m)) => {
            let info = find_action(name)
                .ok_or_else(|| Fail::usage(format!("unknown action `{}`", shown(name))))?;
            if value(m, "help").unwrap_or(false) {
                return write_stdout(crate::help::render(info).as_bytes());
            }
            crate::call::run(info, &globals, m)
        }
        None => Err(Fail::usage(
            "missing ACTION or COMMAND (`whmcs --help` shows the usage)",
        )),
    }
}

/// Writes to stdout, a closed pipe being a quiet exit.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Fail::from_io(&e))
}

/// `whmcs help [COMMAND|ACTION]…`.
fn help(path: &[String]) -> Result<(), Fail> {
    if let Some(info) = path.first().and_then(|n| find_action(n)) {
        return write_stdout(crate::help::render(info).as_bytes());
    }
    let args = std::iter::once("whmcs")
        .chain(path.iter().map(String::as_str))
        .chain(std::iter::once("--help"));
    match command(None).try_get_matches_from(args) {
        Err(e) if e.kind() == ErrorKind::DisplayHelp => {
            write_stdout(e.render().to_string().as_bytes())
        }
        Err(e) => Err(clap_failure(&e, None)),
        Ok(_) => Err(Fail::usage(format!(
            "no help for `{}`",
            shown(&path.join(" "))
        ))),
    }
}

/// `whmcs describe ACTION`: the spec as pretty JSON.
fn describe(name: &str) -> Result<(), Fail> {
    let info = find_action(name).ok_or_else(|| {
        Fail::usage(format!(
            "unknown action `{}` (`whmcs actions` lists them)",
            shown(name)
        ))
    })?;
    let value: Value = serde_json::from_str(info.describe())
        .map_err(|e| Fail::usage(format!("internal: bad spec JSON: {e}")))?;
    let text = serde_json::to_string_pretty(&value).map_err(|e| Fail::usage(e.to_string()))?;
    write_stdout(format!("{text}\n").as_bytes())
}

fn context_text(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.last().cloned(),
        _ => None,
    }
}

/// Turns clap's errors into ours: help and version go to stdout with exit 0, the rest become
/// one `whmcs: …` message with exit 2.
fn clap_failure(e: &clap::Error, action: Option<&'static ActionInfo>) -> Fail {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return match write_stdout(e.render().to_string().as_bytes()) {
                Ok(()) => Fail::closed_output(),
                Err(f) => f,
            };
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(std::io::stderr().lock(), "{}", e.render());
            return Fail {
                code: 2,
                message: String::new(),
            };
        }
        _ => {}
    }
    let invalid = context_text(e, ContextKind::InvalidArg).unwrap_or_default();
    match (e.kind(), action) {
        (ErrorKind::UnknownArgument, Some(info)) if invalid.starts_with("--") => {
            let name = invalid.trim_start_matches('-');
            let name = name.split_once('=').map_or(name, |(n, _)| n);
            let hint = match context_text(e, ContextKind::SuggestedArg) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => format!("; `whmcs {} --help` lists them", info.name()),
            };
            Fail::usage(format!(
                "{} has no parameter `--{}`{hint} (`--param {}=VALUE` sends it anyway)",
                info.name(),
                shown(name),
                shown(name),
            ))
        }
        (ErrorKind::InvalidSubcommand, _) => {
            let hint = match context_text(e, ContextKind::SuggestedSubcommand) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => String::new(),
            };
            Fail::usage(format!(
                "unknown action or command `{}`{hint} (`whmcs actions` lists the actions)",
                shown(&context_text(e, ContextKind::InvalidSubcommand).unwrap_or_default())
            ))
        }
        _ => {
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| {
                    !l.trim().is_empty()
                        && !l.starts_with("Usage:")
                        && !l.starts_with("For more information")
                        && !l.starts_with("  whmcs ")
                        && !l.starts_with("       whmcs ")
                })
                .collect();
            let mut message = kept.join("\n");
            if let Some(info) = action {
                message.push_str(&format!(
                    "\n(`whmcs {} --help` shows the usage)",
                    info.name()
                ));
            }
            Fail::usage(message)
        }
    }
}
