//! What clap cannot do, done before it sees the arguments: the action name is accepted in any
//! case, and PHP-array flags (`--domainrenewals[example.com] 2`) and numbered flags
//! (`--itemdescription1 Hosting`) become `--param KEY=VALUE`, after checking that the action
//! documents their base name. Flag names too long to be anything are refused here, before clap
//! would compare them with every flag it knows.

use serde_json::Value;
use whmcs_api::{ActionInfo, find_action};

use crate::Fail;
use crate::flags::global_args;

/// The commands that are not actions.
const COMMANDS: &[&str] = &["actions", "describe", "mock", "spec", "completions", "help"];

/// A flag name longer than this is refused without looking for a similar one.
const LONGEST_FLAG: usize = 256;

/// The numbered fields of an action: `(prefix, type, doc)` for each field of a `numbered<T>`
/// parameter (`itemdescription` of CreateInvoice's items) and each `name{n}` parameter.
pub(crate) fn numbered_fields(info: &ActionInfo) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let spec: Value = serde_json::from_str(info.describe()).unwrap_or(Value::Null);
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for p in info.params() {
        if let Some(prefix) = p.name().strip_suffix("{n}") {
            out.push((prefix.to_string(), p.ty().to_string(), p.doc().to_string()));
        } else if let Some(ty) = p
            .ty()
            .strip_prefix("numbered<")
            .and_then(|t| t.strip_suffix('>'))
        {
            let fields = spec["types"][ty].as_array().cloned().unwrap_or_default();
            for f in &fields {
                out.push((text(f, "name"), text(f, "type"), text(f, "doc")));
            }
        }
    }
    out
}

/// Whether `name` is a numbered key of this action (`itemamount2`), by the prefixes it has.
pub(crate) fn is_numbered(name: &str, prefixes: &[(String, String, String)]) -> bool {
    prefixes.iter().any(|(prefix, _, _)| {
        name.strip_prefix(prefix.as_str())
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The documented name most like `wrong`, for "did you mean".
pub(crate) fn similar<'a>(
    wrong: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    names
        .into_iter()
        .map(|n| (strsim::jaro(wrong, n), n))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// A flag for a message: long ones are cut, so that an error stays one line.
pub(crate) fn shown(flag: &str) -> String {
    match flag.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &flag[..i]),
        None => flag.to_string(),
    }
}

/// What the pre-pass found out.
#[derive(Debug, Default)]
pub(crate) struct Prepassed {
    /// The arguments for clap.
    pub args: Vec<String>,
    /// The action called, if any.
    pub action: Option<&'static ActionInfo>,
}

/// Normalises the action name and rewrites PHP-array and numbered flags as `--param`.
pub(crate) fn prepass(mut args: Vec<String>) -> Result<Prepassed, Fail> {
    let takes_value: Vec<String> = global_args()
        .iter()
        .filter(|a| a.get_action().takes_values())
        .filter_map(|a| a.get_long().map(str::to_string))
        .collect();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let name = long.split_once('=').map_or(long, |(n, _)| n);
            if name.len() > LONGEST_FLAG {
                return Err(Fail::usage(format!("unknown option `--{}`", shown(name))));
            }
            if !long.contains('=') && takes_value.iter().any(|t| t == long) {
                i += 1;
            }
            i += 1;
            continue;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            i += 1;
            continue;
        }
        if arg == "help" {
            // `whmcs help getinvoices` names the action as the action itself would.
            if let Some(next) = args.get_mut(i + 1)
                && let Some(info) = find_action(next)
            {
                *next = info.name().to_string();
            }
            return Ok(Prepassed { args, action: None });
        }
        if COMMANDS.contains(&arg.as_str()) {
            return Ok(Prepassed { args, action: None });
        }
        let Some(info) = find_action(arg) else {
            return Ok(Prepassed { args, action: None });
        };
        args[i] = info.name().to_string();
        let rest = args.split_off(i + 1);
        args.extend(rewrite_action_flags(info, rest)?);
        return Ok(Prepassed {
            args,
            action: Some(info),
        });
    }
    Ok(Prepassed { args, action: None })
}

/// Rewrites the flags after an action that clap cannot declare: `--base[…]` of a documented
/// parameter, and numbered keys.
fn rewrite_action_flags(info: &'static ActionInfo, rest: Vec<String>) -> Result<Vec<String>, Fail> {
    let numbered = numbered_fields(info);
    let mut out = Vec::with_capacity(rest.len());
    let mut it = rest.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            out.push(arg);
            out.extend(it.by_ref());
            break;
        }
        let Some(long) = arg.strip_prefix("--") else {
            out.push(arg);
            continue;
        };
        let name = long.split_once('=').map_or(long, |(n, _)| n);
        let bracket = name.find('[');
        let base = bracket.map_or(name, |b| &name[..b]);
        let nested = bracket.is_some() && info.params().iter().any(|p| p.name() == base);
        if bracket.is_some() && !nested {
            let names = info.params().iter().map(|p| p.name());
            let hint = match similar(base, names) {
                Some(s) => format!("; did you mean `--{s}[…]`?"),
                None => String::new(),
            };
            return Err(Fail::usage(format!(
                "{} has no parameter `{}`{hint} (`--param '{}=VALUE'` sends it anyway)",
                info.name(),
                shown(base),
                shown(name),
            )));
        }
        if !nested && !is_numbered(name, &numbered) {
            if name.len() > LONGEST_FLAG {
                return Err(Fail::usage(format!(
                    "{} has no parameter `--{}`",
                    info.name(),
                    shown(name)
                )));
            }
            out.push(arg);
            continue;
        }
        let pair = match long.split_once('=') {
            Some(_) => long.to_string(),
            None => {
                let value = it
                    .next()
                    .ok_or_else(|| Fail::usage(format!("`--{}` needs a value", shown(name))))?;
                format!("{name}={value}")
            }
        };
        out.push("--param".into());
        out.push(pair);
    }
    Ok(out)
}
