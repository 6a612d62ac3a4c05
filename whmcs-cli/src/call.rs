//! Calling an action: flags and `--json` become wire-form parameters (through PHP's own
//! `parse_str`), the spec checks them, and the call is sent, shown (`--dry-run`) or refused
//! (a read-only profile).

use std::io::Read as _;

use clap::ArgMatches;
use serde_json::{Map, Value};
use whmcs_api::{ActionInfo, Effect, Prepared};
use whmcs_php::Limits;

use crate::Fail;
use crate::config::{self, Settings};
use crate::flags::{Globals, flag_of, value};
use crate::outcome::{failure, prepare};
use crate::output::Printer;

/// The parameters of a call as given on the command line.
#[derive(Debug, Default)]
struct Input {
    /// Everything `--json` gave, merged.
    json: Map<String, Value>,
    /// `(wire key, value)` from parameter flags, `--param` and PHP-array flags, in argv order.
    flags: Vec<(String, String)>,
}

impl Input {
    fn read(info: &ActionInfo, m: &ArgMatches) -> Result<Self, Fail> {
        let mut flags: Vec<(usize, String, String)> = Vec::new();
        for p in info.params() {
            let Some(flag) = flag_of(p) else { continue };
            let id = flag;
            if let (Some(indices), Some(values)) = (
                m.indices_of(id),
                m.try_get_many::<String>(id).ok().flatten(),
            ) {
                for (i, v) in indices.zip(values) {
                    flags.push((i, flag.to_string(), v.clone()));
                }
            }
        }
        if let (Some(indices), Some(values)) = (
            m.indices_of("param"),
            m.try_get_many::<String>("param").ok().flatten(),
        ) {
            for (i, pair) in indices.zip(values) {
                let (k, v) = pair
                    .split_once('=')
                    .filter(|(k, _)| !k.is_empty())
                    .ok_or_else(|| {
                        Fail::usage(format!("`--param {pair}`: give it as KEY=VALUE"))
                    })?;
                flags.push((i, k.to_string(), v.to_string()));
            }
        }
        flags.sort_by_key(|(i, _, _)| *i);
        let mut json = Map::new();
        let mut stdin_read = false;
        for text in m
            .try_get_many::<String>("json")
            .ok()
            .flatten()
            .into_iter()
            .flatten()
        {
            let text = if text == "-" {
                if stdin_read {
                    return Err(Fail::usage("`--json -` can read stdin only once"));
                }
                stdin_read = true;
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| Fail::usage(format!("cannot read --json from stdin: {e}")))?;
                s
            } else {
                text.clone()
            };
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => json.extend(m),
                Ok(_) => return Err(Fail::usage("--json must be a JSON object of parameters")),
                Err(e) => return Err(Fail::usage(format!("--json is not valid JSON: {e}"))),
            }
        }
        Ok(Self {
            json,
            flags: flags.into_iter().map(|(_, k, v)| (k, v)).collect(),
        })
    }

    /// The parameters in wire form: `--json` first, then the flags. Flags go through PHP's own
    /// parsing: `--pid 1 --pid 2` is `pid[]=1&pid[]=2`, and `--attributes[0][label] x` nests as in
    /// a form body. Flags PHP would drop (past its nesting or variable limits) are refused.
    fn params(&self) -> Result<Map<String, Value>, Fail> {
        let mut form = whmcs_api::Form::new();
        for (name, value) in &self.flags {
            let repeated = self.flags.iter().filter(|(n, _)| n == name).count() > 1;
            let key = if repeated && !name.ends_with("[]") {
                format!("{name}[]")
            } else {
                name.clone()
            };
            form.pair(&key, value);
        }
        let parsed = whmcs_php::parse_str_with(form.as_str().as_bytes(), Limits::default());
        if parsed.too_deep > 0 {
            return Err(Fail::usage(format!(
                "a parameter nests deeper than PHP's {} levels; PHP would drop it",
                Limits::default().max_input_nesting_level
            )));
        }
        if parsed.vars_exceeded {
            return Err(Fail::usage(format!(
                "more than {} parameters; PHP would drop the rest",
                Limits::default().max_input_vars
            )));
        }
        let mut params = self.json.clone();
        params.extend(parsed.params);
        Ok(params)
    }

    /// Whether `key` (a top-level wire key) was given by a flag rather than by `--json`.
    fn given_by_flag(&self, key: &str) -> bool {
        let base = |k: &str| k.split('[').next().unwrap_or(k).to_string();
        let key = base(key);
        self.flags.iter().any(|(k, _)| base(k) == key)
    }
}

/// Runs one action.
pub(crate) fn run(info: &'static ActionInfo, g: &Globals, m: &ArgMatches) -> Result<(), Fail> {
    let input = Input::read(info, m)?;
    let settings = config::resolve(g)?;
    if let Some(profile) = &settings.read_only
        && info.effect() != Effect::Read
    {
        return Err(Fail::usage(format!(
            "refused: {} is a {} action and profile `{profile}` is read-only (read_only = true); nothing was sent",
            info.name(),
            info.effect().as_str()
        )));
    }
    let params = input.params()?;
    let prepared = prepare(info, params.clone())?;
    for key in prepared.unknown_params() {
        if !input.given_by_flag(key) {
            note!(
                "whmcs: warning: `{key}` is not a documented parameter of {}; sending it as given",
                info.name()
            );
        }
    }
    let all = value(m, "all").unwrap_or(false);
    if g.dry_run {
        return dry_run(info, &settings, &prepared, all);
    }
    let client = config::client(&settings)?;
    let runtime = crate::runtime()?;
    if all {
        let mut printer = Printer::new(g.output.or(Some(crate::output::Format::Jsonl)));
        let concurrency = value::<u16>(m, "concurrency").unwrap_or(1);
        return runtime.block_on(crate::pages::fetch_all(
            &client,
            info,
            params,
            usize::from(concurrency),
            &mut printer,
        ));
    }
    let answer = runtime
        .block_on(client.send_prepared(&prepared))
        .map_err(|e| failure(info, e))?;
    Printer::new(g.output)
        .answer(info, &answer)
        .map_err(|e| Fail::from_io(&e))
}

/// `--dry-run`: the request as it would be sent, credentials redacted; nothing is sent.
fn dry_run(info: &ActionInfo, s: &Settings, prepared: &Prepared, all: bool) -> Result<(), Fail> {
    let endpoint = match config::client(s) {
        Ok(client) => without_userinfo(client.endpoint()),
        Err(f) => {
            note!("whmcs: warning: this call could not be sent: {}", f.message);
            "(no usable URL)".to_string()
        }
    };
    let mut form = whmcs_api::Form::new();
    form.pair("action", info.name());
    let mut text = format!("POST {endpoint}\n{}\n", form.as_str());
    const REDACTED: &str = "[redacted]";
    if s.identifier.is_some() {
        text.push_str(&format!("identifier={REDACTED}\n"));
    }
    if s.secret.is_some() {
        text.push_str(&format!("secret={REDACTED}\n"));
    }
    if s.access_key.is_some() {
        text.push_str(&format!("accesskey={REDACTED}\n"));
    }
    for pair in prepared.params().split('&').filter(|p| !p.is_empty()) {
        text.push_str(pair);
        text.push('\n');
    }
    text.push_str("responsetype=json\n");
    if all {
        text.push_str("# --all: sent once per page, with limitstart and limitnum set\n");
    }
    crate::output::write_stdout(text.as_bytes())
}

/// A URL with any `user:password@` replaced by `[redacted]@`.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://[redacted]{}", &rest[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_userinfo;

    #[test]
    fn userinfo_is_redacted() {
        assert_eq!(
            without_userinfo("https://u:p@x.test/includes/api.php"),
            "https://[redacted]@x.test/includes/api.php"
        );
        assert_eq!(without_userinfo("https://x.test/a@b"), "https://x.test/a@b");
    }
}
