//! The command line: a clap command built at run time with one hidden subcommand per action
//! (from the generated metadata), global options that work before or after the action, and the
//! dispatch to each command.
//! Before clap sees the arguments, [`crate::prepass`] does what clap cannot.

use std::io::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};
use serde_json::Value;
use whmcs_api::{ActionInfo, actions, find_action};

use crate::Fail;
use crate::flags::{Globals, flag_of, global_args, kebab, value};
use crate::output::write_stdout;
use crate::prepass::shown;

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
