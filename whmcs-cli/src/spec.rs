//! `whmcs spec import` (a draft spec from each reference page) and `whmcs spec check` (the
//! macro's checks on spec files, without a build).

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command};
use whmcs_cli::import;

use crate::Fail;
use crate::flags::value;

/// The `spec` subcommand and its two subcommands.
pub(crate) fn command() -> Command {
    Command::new("spec")
        .about("Import reference pages as draft specs, check spec files")
        .subcommand_required(true)
        .subcommand(
            Command::new("import")
                .about("Draft a spec from each WHMCS reference page")
                .arg(
                    Arg::new("pages")
                        .value_name("PAGE.md")
                        .required(true)
                        .num_args(1..)
                        .value_parser(clap::value_parser!(PathBuf)),
                )
                .arg(
                    Arg::new("out")
                        .long("out")
                        .value_name("DIR")
                        .help("Write specs/<category>/<Action>.toml under DIR instead of printing")
                        .value_parser(clap::value_parser!(PathBuf)),
                )
                .arg(
                    Arg::new("category")
                        .long("category")
                        .value_name("NAME")
                        .help("The category, when no API index lies beside the pages"),
                )
                .arg(
                    Arg::new("force")
                        .long("force")
                        .help("Overwrite existing specs")
                        .action(ArgAction::SetTrue),
                ),
        )
        .subcommand(
            Command::new("check")
                .about("Run the macro's checks on spec files, without a build")
                .arg(
                    Arg::new("specs")
                        .value_name("SPEC.toml")
                        .required(true)
                        .num_args(1..),
                ),
        )
}

/// Runs `spec import` or `spec check`.
pub(crate) fn run(m: &ArgMatches) -> Result<(), Fail> {
    match m.subcommand() {
        Some(("import", m)) => spec_import(m),
        Some(("check", m)) => spec_check(m),
        _ => Err(Fail::usage("`spec` takes `import` or `check`")),
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

fn spec_import(m: &ArgMatches) -> Result<(), Fail> {
    let out_dir: Option<PathBuf> = value(m, "out");
    let category: Option<String> = value(m, "category");
    let force = value(m, "force").unwrap_or(false);
    let pages: Vec<PathBuf> = m
        .get_many::<PathBuf>("pages")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    let mut failed = 0;
    for page in &pages {
        let shown = page.display();
        let text = match std::fs::read_to_string(page) {
            Ok(t) => t,
            Err(e) => {
                note!("whmcs: {shown}: cannot read: {e}");
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
            note!("whmcs: {shown}: category unknown (no API index beside it); give --category");
            failed += 1;
            continue;
        };
        let shared = out_dir
            .as_ref()
            .map(|d| whmcs_spec::shared_names(&d.join("types")))
            .unwrap_or_default();
        let draft = match import::draft_with(&text, &cat, &shared) {
            Ok(d) => d,
            Err(e) => {
                note!("whmcs: {shown}: {e}");
                failed += 1;
                continue;
            }
        };
        for note in &draft.notes {
            note!("whmcs: {shown}: note: {note}");
        }
        let name = format!("{cat}/{}.toml", draft.action);
        if let Err(problems) = whmcs_spec::action_from_source(&name, &draft.toml, &shared) {
            for p in problems {
                note!("whmcs: draft {p}");
            }
            failed += 1;
        }
        match &out_dir {
            None => print!("{}", draft.toml),
            Some(dir) => {
                let path = dir.join(&name);
                if path.exists() && !force {
                    note!(
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
                    Ok(()) => note!("whmcs: wrote {}", path.display()),
                    Err(e) => {
                        note!("whmcs: {}: cannot write: {e}", path.display());
                        failed += 1;
                    }
                }
            }
        }
    }
    if failed > 0 {
        Err(Fail::usage(format!(
            "{failed} of {} pages failed",
            pages.len()
        )))
    } else {
        Ok(())
    }
}

fn spec_check(m: &ArgMatches) -> Result<(), Fail> {
    let files: Vec<String> = m
        .get_many::<String>("specs")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    let mut failed = 0;
    for file in &files {
        // The same checks as the macros, wherever it is run from; a directory is a tree.
        let report = whmcs_spec::check_path(std::path::Path::new(file));
        for message in &report.messages {
            note!("{message}");
        }
        if report.has_errors() {
            failed += 1;
        }
    }
    if failed > 0 {
        Err(Fail::usage(format!(
            "{failed} of {} paths have problems",
            files.len()
        )))
    } else {
        Ok(())
    }
}
