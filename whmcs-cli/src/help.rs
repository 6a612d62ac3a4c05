//! The help of one action (`whmcs GetInvoices --help`, `whmcs help GetInvoices`), rendered from
//! its metadata: summary, effect, every parameter with its wire name, type, whether it is
//! required, its allowed values and deprecation, and an example command built from the
//! reference's example request.

use std::fmt::Write as _;

use serde_json::Value;
use whmcs_api::{ActionInfo, Effect, ParamInfo};

use crate::flags::{flag_of, shape_of};
use crate::prepass::{is_numbered, numbered_fields};

/// Lines are wrapped to this width.
const WIDTH: usize = 100;
/// The widest flag column; longer flags push their description along.
const FLAG_COLUMN: usize = 34;

fn effect_text(effect: Effect) -> &'static str {
    match effect {
        Effect::Read => "read (changes nothing; safe to repeat)",
        Effect::Write => "write (creates or changes records)",
        Effect::Destructive => "destructive (deletes or terminates)",
        Effect::Financial => "financial (moves money)",
    }
}

/// One parameter as `(flag, description)`.
fn param_row(p: &ParamInfo) -> (String, String) {
    let mut desc = p.doc().to_string();
    let flag = match flag_of(p) {
        Some(flag) => format!("--{flag}{} <{}>", shape_of(p), p.ty()),
        None => {
            desc.push_str(&format!(" (`--{}` is a global option)", p.name()));
            format!("--param {}=<{}>", p.name(), p.ty())
        }
    };
    let mut tag = |t: String| {
        if !desc.is_empty() {
            desc.push(' ');
        }
        desc.push_str(&t);
    };
    if p.required() {
        tag("[required]".into());
    }
    if !p.values().is_empty() {
        tag(format!("[values: {}]", p.values().join(", ")));
    }
    if let Some(since) = p.since() {
        tag(format!("[since {since}]"));
    }
    if let Some(note) = p.deprecated() {
        tag(if note.is_empty() {
            "[deprecated]".to_string()
        } else {
            format!("[deprecated: {note}]")
        });
    }
    (flag, desc)
}

/// Appends `rows` as two columns, wrapping descriptions to [`WIDTH`].
fn columns(out: &mut String, rows: &[(String, String)]) {
    let col = rows
        .iter()
        .map(|(f, _)| f.chars().count())
        .filter(|w| *w <= FLAG_COLUMN)
        .max()
        .unwrap_or(0);
    for (flag, desc) in rows {
        let mut line = format!("  {flag}");
        let start = (col + 4).max(line.chars().count() + 2);
        let mut words = desc.split(' ').filter(|w| !w.is_empty()).peekable();
        if words.peek().is_none() {
            let _ = writeln!(out, "{line}");
            continue;
        }
        line.extend(std::iter::repeat_n(' ', start - line.chars().count()));
        let mut used = start;
        let mut first = true;
        for word in words {
            let w = word.chars().count();
            if !first && used + 1 + w > WIDTH {
                let _ = writeln!(out, "{}", line.trim_end());
                line = " ".repeat(col + 4);
                used = col + 4;
                first = true;
            }
            if !first {
                line.push(' ');
                used += 1;
            }
            line.push_str(word);
            used += w;
            first = false;
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The help text of an action.
pub(crate) fn render(info: &'static ActionInfo) -> String {
    let name = info.name();
    let mut out = String::new();
    let _ = writeln!(out, "{name}: {}", info.summary());
    let _ = writeln!(out);
    let mut facts = format!(
        "Effect: {} · category {}",
        effect_text(info.effect()),
        info.category()
    );
    if let Some(since) = info.since() {
        let _ = write!(facts, " · since WHMCS {since}");
    }
    let _ = writeln!(out, "{facts}");
    if !info.reference().is_empty() {
        let _ = writeln!(out, "Reference: {}", info.reference());
    }
    let _ = writeln!(out);
    let paging = if info.paged() {
        " [--all [--concurrency K]]"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "Usage: whmcs {name} [--<param> VALUE]... [--json JSON|-] [--param KEY=VALUE]...{paging}"
    );
    let _ = writeln!(out);

    let mut rows: Vec<(String, String)> = Vec::new();
    for p in info.params() {
        if p.ty().starts_with("numbered<") || p.name().ends_with("{n}") {
            continue;
        }
        rows.push(param_row(p));
    }
    for (prefix, ty, doc) in numbered_fields(info) {
        rows.push((
            format!("--{prefix}N <{ty}>"),
            format!("{doc} [N = 1, 2, …]").trim_start().to_string(),
        ));
    }
    if rows.is_empty() {
        let _ = writeln!(out, "Parameters: none.");
    } else {
        let _ = writeln!(
            out,
            "Parameters (wire names; repeat a flag for a list, --name[KEY] VALUE for arrays):"
        );
        columns(&mut out, &rows);
    }
    for rule in info.require_any() {
        let names: Vec<String> = rule.params().iter().map(|p| format!("--{p}")).collect();
        let _ = writeln!(out, "  At least one of {} is needed.", names.join(", "));
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "Options:");
    let mut options = vec![
        (
            "--json <JSON|->".to_string(),
            "Parameters as a JSON object in wire form; - reads stdin".to_string(),
        ),
        (
            "--param <KEY=VALUE>".to_string(),
            "Send a parameter the reference leaves out (repeatable)".to_string(),
        ),
    ];
    if info.paged() {
        options.push((
            "--all".into(),
            "Fetch every page (limitstart/limitnum); one item per line".into(),
        ));
        options.push((
            "--concurrency <K>".into(),
            "With --all: up to K page requests in flight".into(),
        ));
    }
    options.push(("-h, --help".into(), "Print this help".into()));
    columns(&mut out, &options);
    let _ = writeln!(out);

    let _ = writeln!(out, "Example:");
    let _ = writeln!(out, "  {}", example(info));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Global options (--url, --profile, --dry-run, --output, -v, …) work here too: whmcs --help"
    );
    out
}

/// A word for `sh`: as it is when safe, else in single quotes.
fn quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The flags that send `value` under `key`, as `--json` would: scalars as `--key VALUE`, lists of
/// scalars as a repeated flag, other arrays as `--key[sub] VALUE` pairs, and keys without a flag
/// of their own through `--param`.
fn flags_for(info: &ActionInfo, numbered: bool, key: &str, value: &Value, units: &mut Vec<String>) {
    let param = info.params().iter().find(|p| p.name() == key);
    let flag = param.and_then(flag_of);
    let scalar = |v: &Value| !v.is_array() && !v.is_object() && !v.is_null();
    if let (Some(flag), Value::Array(items)) = (flag, value)
        && items.len() >= 2
        && items.iter().all(scalar)
    {
        let mut form = whmcs_php::Form::new();
        for item in items {
            form.json("x", item);
        }
        for pair in form.as_str().split('&') {
            let v = pair.split_once('=').map_or("", |(_, v)| v);
            units.push(format!("--{flag} {}", quote(&whmcs_php::urldecode(v))));
        }
        return;
    }
    let mut form = whmcs_php::Form::new();
    form.json(key, value);
    for pair in form.as_str().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (whmcs_php::urldecode(k), whmcs_php::urldecode(v));
        let flat = k == key;
        if (flat && (flag.is_some() || numbered)) || (!flat && param.is_some()) {
            units.push(format!("{} {}", quote(&format!("--{k}")), quote(&v)));
        } else {
            units.push(format!("--param {}", quote(&format!("{k}={v}"))));
        }
    }
}

/// An example command: the reference's example request as flags, else the required parameters.
pub(crate) fn example(info: &ActionInfo) -> String {
    let mut units = vec![format!("whmcs {}", info.name())];
    let request = info
        .example_request()
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    match request {
        Some(Value::Object(map)) => {
            let fields = numbered_fields(info);
            for (k, v) in &map {
                flags_for(info, is_numbered(k, &fields), k, v, &mut units);
            }
        }
        _ => {
            for p in info.params().iter().filter(|p| p.required()) {
                units.push(format!("--{} <{}>", p.name(), p.ty()));
            }
        }
    }
    let mut out = String::new();
    let mut used = 2;
    for (i, unit) in units.iter().enumerate() {
        let w = unit.chars().count();
        if i > 0 && used + 1 + w > WIDTH - 2 {
            out.push_str(" \\\n    ");
            used = 4;
        } else if i > 0 {
            out.push(' ');
            used += 1;
        }
        out.push_str(unit);
        used += w;
    }
    out
}
