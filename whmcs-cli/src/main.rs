//! `whmcs`: call any WHMCS API action from a shell, list the actions, or run the mock server.
//!
//! Exit codes: 0 success, 1 WHMCS answered with an error, 2 bad input or a failed transport.

use std::io::Read as _;
use std::process::ExitCode;

use whmcs_cli::import;

use serde_json::{Map, Value};
use whmcs_api::{Client, Error, actions, find_action};
use whmcs_mock::{MockConfig, MockServer};

const USAGE: &str = "usage: whmcs [--url URL] [--identifier ID] [--secret S] [--access-key K] [-v] <ACTION> [--json JSON|-] [--<param> VALUE]...
       whmcs actions
       whmcs describe <ACTION>
       whmcs mock [--addr ADDR] [--identifier ID] [--secret S] [--state FILE]
       whmcs spec import PAGE.md... [--out DIR] [--category NAME] [--force]
       whmcs spec check SPEC.toml...

ACTION is a WHMCS action name (AddCancelRequest, any case) or its kebab-case form (add-cancel-request).
Parameters use wire names; repeat a flag for a list. Defaults come from WHMCS_URL,
WHMCS_API_IDENTIFIER, WHMCS_API_SECRET and WHMCS_ACCESS_KEY.";

/// A failure with its exit code and one line for stderr.
struct Fail(u8, String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(code, msg)) => {
            eprintln!("whmcs: {msg}");
            ExitCode::from(code)
        }
    }
}

fn usage(msg: impl std::fmt::Display) -> Fail {
    Fail(2, format!("{msg}\n{USAGE}"))
}

#[derive(Default)]
struct Global {
    url: Option<String>,
    identifier: Option<String>,
    secret: Option<String>,
    access_key: Option<String>,
    verbose: u8,
}

fn run(args: Vec<String>) -> Result<(), Fail> {
    let mut global = Global::default();
    let mut rest = args.into_iter().peekable();
    let command = loop {
        let Some(arg) = rest.next() else {
            return Err(usage("missing ACTION"));
        };
        let mut value = |name: &str| {
            rest.next()
                .ok_or_else(|| usage(format!("`{name}` needs a value")))
        };
        match arg.as_str() {
            "--url" => global.url = Some(value("--url")?),
            "--identifier" => global.identifier = Some(value("--identifier")?),
            "--secret" => global.secret = Some(value("--secret")?),
            "--access-key" => global.access_key = Some(value("--access-key")?),
            "-v" | "--verbose" => global.verbose += 1,
            "-vv" => global.verbose += 2,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => {
                return Err(usage(format!("unknown option `{s}` before the action")));
            }
            _ => break arg,
        }
    };
    let rest: Vec<String> = rest.collect();
    init_logging(global.verbose);
    match command.as_str() {
        "spec" => return spec(rest),
        "describe" => return describe(&rest),
        _ => {}
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Fail(2, format!("cannot start the async runtime: {e}")))?;
    match command.as_str() {
        "actions" => {
            for info in actions::ALL {
                println!("{}", info.name());
            }
            Ok(())
        }
        "mock" => runtime.block_on(mock(global, rest)),
        name => runtime.block_on(call(global, name, rest)),
    }
}

/// `-v` shows each call (action, attempt, status, time), `-vv` everything; `RUST_LOG` wins if set.
/// Logs go to stderr and never contain the request body or credentials.
fn init_logging(verbose: u8) {
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

fn describe(args: &[String]) -> Result<(), Fail> {
    let [name] = args else {
        return Err(usage("`describe` takes one action name"));
    };
    let info = find_action(name).ok_or_else(|| {
        usage(format!(
            "unknown action `{name}` (`whmcs actions` lists them)"
        ))
    })?;
    let value: Value = serde_json::from_str(info.describe())
        .map_err(|e| Fail(2, format!("internal: bad spec JSON: {e}")))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&value).map_err(|e| Fail(2, e.to_string()))?
    );
    Ok(())
}

fn spec(args: Vec<String>) -> Result<(), Fail> {
    let mut it = args.into_iter();
    match it.next().as_deref() {
        Some("import") => spec_import(it.collect()),
        Some("check") => spec_check(it.collect()),
        _ => Err(usage("`spec` takes `import` or `check`")),
    }
}

/// The category of each action, from the API index page next to the reference pages.
fn categories_near(page: &std::path::Path) -> Vec<(String, String)> {
    let index = page
        .parent()
        .and_then(std::path::Path::parent)
        .map(|d| d.join("api").join("api-index.md"));
    let Some(text) = index.and_then(|p| std::fs::read_to_string(p).ok()) else {
        return Vec::new();
    };
    import::index_entries(&text)
        .into_iter()
        .map(|(_, name, category)| (name, category))
        .collect()
}

fn spec_import(args: Vec<String>) -> Result<(), Fail> {
    let (mut out_dir, mut category, mut force, mut pages) = (None, None, false, Vec::new());
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--out" => {
                out_dir = Some(std::path::PathBuf::from(
                    it.next()
                        .ok_or_else(|| usage("`--out` needs a directory"))?,
                ))
            }
            "--category" => {
                category = Some(
                    it.next()
                        .ok_or_else(|| usage("`--category` needs a name"))?,
                )
            }
            "--force" => force = true,
            s if s.starts_with("--") => return Err(usage(format!("unknown option `{s}`"))),
            _ => pages.push(std::path::PathBuf::from(arg)),
        }
    }
    if pages.is_empty() {
        return Err(usage("`spec import` needs at least one reference page"));
    }
    let mut failed = 0;
    for page in &pages {
        let shown = page.display();
        let text = match std::fs::read_to_string(page) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("whmcs: {shown}: cannot read: {e}");
                failed += 1;
                continue;
            }
        };
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title = "))
            .map(|t| t.trim().trim_matches('"').to_string())
            .unwrap_or_default();
        let cat = category.clone().or_else(|| {
            categories_near(page)
                .into_iter()
                .find(|(n, _)| *n == title)
                .map(|(_, c)| c)
        });
        let Some(cat) = cat else {
            eprintln!("whmcs: {shown}: category unknown (no API index beside it); give --category");
            failed += 1;
            continue;
        };
        let draft = match import::draft(&text, &cat) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("whmcs: {shown}: {e}");
                failed += 1;
                continue;
            }
        };
        for note in &draft.notes {
            eprintln!("whmcs: {shown}: note: {note}");
        }
        let name = format!("{cat}/{}.toml", draft.action);
        let shared = out_dir
            .as_ref()
            .map(|d| whmcs_spec::shared_names(&d.join("types")))
            .unwrap_or_default();
        if let Err(problems) = whmcs_spec::action_from_source(&name, &draft.toml, &shared) {
            for p in problems {
                eprintln!("whmcs: draft {p}");
            }
            failed += 1;
        }
        match &out_dir {
            None => print!("{}", draft.toml),
            Some(dir) => {
                let path = dir.join(&name);
                if path.exists() && !force {
                    eprintln!(
                        "whmcs: {}: exists; not overwritten (use --force)",
                        path.display()
                    );
                    continue;
                }
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &draft.toml));
                match written {
                    Ok(()) => eprintln!("whmcs: wrote {}", path.display()),
                    Err(e) => {
                        eprintln!("whmcs: {}: cannot write: {e}", path.display());
                        failed += 1;
                    }
                }
            }
        }
    }
    if failed > 0 {
        Err(Fail(2, format!("{failed} of {} pages failed", pages.len())))
    } else {
        Ok(())
    }
}

fn spec_check(files: Vec<String>) -> Result<(), Fail> {
    if files.is_empty() {
        return Err(usage("`spec check` needs at least one spec file"));
    }
    let mut failed = 0;
    for file in &files {
        let path = std::path::Path::new(file);
        let types_dir = path
            .parent()
            .and_then(std::path::Path::parent)
            .map(|d| d.join("types"));
        let shared = types_dir
            .map(|d| whmcs_spec::shared_names(&d))
            .unwrap_or_default();
        let is_action = path
            .parent()
            .and_then(|p| p.file_name())
            .is_none_or(|n| n != "types");
        let base = "the current directory";
        let checked = if is_action {
            whmcs_spec::read_action(file, path, &shared, base).map(drop)
        } else {
            whmcs_spec::read_types(file, path, &shared, base).map(drop)
        };
        if let Err(problems) = checked {
            for p in problems {
                eprintln!("{p}");
            }
            failed += 1;
        }
    }
    if failed > 0 {
        Err(Fail(
            2,
            format!("{failed} of {} specs have problems", files.len()),
        ))
    } else {
        Ok(())
    }
}

async fn mock(global: Global, args: Vec<String>) -> Result<(), Fail> {
    let mut config = MockConfig::default();
    if let Some(id) = global.identifier {
        config.identifier = id;
    }
    if let Some(s) = global.secret {
        config.secret = s;
    }
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| usage(format!("`{arg}` needs a value")))
        };
        match arg.as_str() {
            "--addr" => {
                config.addr = value()?
                    .parse()
                    .map_err(|e| usage(format!("bad --addr: {e}")))?
            }
            "--identifier" => config.identifier = value()?,
            "--secret" => config.secret = value()?,
            "--state" => config.state_file = Some(value()?.into()),
            other => return Err(usage(format!("unknown mock option `{other}`"))),
        }
    }
    let server = MockServer::start_with(config)
        .await
        .map_err(|e| Fail(2, format!("cannot start the mock: {e}")))?;
    // Whoever started us may stop reading; that must not bring the server down.
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "WHMCS_URL={}", server.url());
        let _ = writeln!(out, "WHMCS_API_IDENTIFIER={}", server.identifier());
        let _ = writeln!(out, "WHMCS_API_SECRET={}", server.secret());
        let _ = out.flush();
    }
    eprintln!("mock WHMCS listening on {}; stop with Ctrl-C", server.url());
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Fail(2, format!("cannot wait for Ctrl-C: {e}")))?;
    Ok(())
}

/// Collects `--json` and `--<param> VALUE` flags into wire-form JSON.
fn params(args: Vec<String>) -> Result<Map<String, Value>, Fail> {
    let mut json = Map::new();
    let mut flags: Vec<(String, String)> = Vec::new();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let Some(name) = arg.strip_prefix("--") else {
            return Err(usage(format!(
                "unexpected argument `{arg}`: parameters are given as `--name value`"
            )));
        };
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (name.to_string(), None),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .ok_or_else(|| usage(format!("`--{name}` needs a value")))?,
        };
        if name == "json" {
            let text = if value == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| Fail(2, format!("cannot read --json from stdin: {e}")))?;
                s
            } else {
                value
            };
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => json.extend(m),
                Ok(_) => return Err(Fail(2, "--json must be a JSON object of parameters".into())),
                Err(e) => return Err(Fail(2, format!("--json is not valid JSON: {e}"))),
            }
        } else {
            flags.push((name, value));
        }
    }
    // Flags go through PHP's own parsing: `--pid 1 --pid 2` is `pid[]=1&pid[]=2`, and
    // `--attributes[0][label] x` nests as in a form body.
    let mut form = whmcs_api::Form::new();
    for (name, value) in &flags {
        let repeated = flags.iter().filter(|(n, _)| n == name).count() > 1;
        let key = if repeated && !name.ends_with("[]") {
            format!("{name}[]")
        } else {
            name.clone()
        };
        form.pair(&key, value);
    }
    json.extend(whmcs_php::parse_str(form.as_str()));
    Ok(json)
}

async fn call(global: Global, name: &str, args: Vec<String>) -> Result<(), Fail> {
    let info = find_action(name).ok_or_else(|| {
        usage(format!(
            "unknown action `{name}` (`whmcs actions` lists them)"
        ))
    })?;
    let params = params(args)?;
    let prepared = info
        .prepare(params)
        .map_err(|e| Fail(2, format!("invalid parameters for {}: {e}", info.name())))?;
    for key in prepared.unknown_params() {
        eprintln!(
            "whmcs: warning: `{key}` is not a documented parameter of {}; sending it as given",
            info.name()
        );
    }
    let mut builder = Client::builder();
    if let Some(url) = global.url {
        builder = builder.url(url);
    }
    if let (Some(id), Some(secret)) = (global.identifier.clone(), global.secret.clone()) {
        builder = builder.api_credentials(id, secret);
    } else if global.identifier.is_some() || global.secret.is_some() {
        let var = |n: &str| std::env::var(n).ok();
        let id = global
            .identifier
            .or_else(|| var("WHMCS_API_IDENTIFIER"))
            .unwrap_or_default();
        let secret = global
            .secret
            .or_else(|| var("WHMCS_API_SECRET"))
            .unwrap_or_default();
        builder = builder.api_credentials(id, secret);
    }
    if let Some(key) = global.access_key {
        builder = builder.access_key(key);
    }
    let builder = builder.from_env();
    let client = builder.build().map_err(|e| Fail(2, e.to_string()))?;
    match client.send_prepared(&prepared).await {
        Ok(answer) => {
            let text = serde_json::to_string_pretty(&answer).map_err(|e| Fail(2, e.to_string()))?;
            println!("{text}");
            Ok(())
        }
        Err(Error::Api { message, .. }) => Err(Fail(1, message)),
        Err(Error::Access(e)) => Err(Fail(1, e.to_string())),
        Err(e) => Err(Fail(2, e.to_string())),
    }
}
