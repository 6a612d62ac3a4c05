//! What `whmcs` says about itself: per-action help (snapshots, one screen, runnable examples),
//! `whmcs --help`, `--version`, and completion scripts for bash, zsh and fish.

mod support;

use std::collections::BTreeSet;

use support::{Mock, params, run, text, whmcs};
use whmcs_api::actions;
use whmcs_mock::{Reply, Request};

fn help_of(args: &[&str]) -> String {
    let out = run(whmcs().args(args));
    assert!(
        out.status.success(),
        "{args:?}: exit {:?}: {}",
        out.status.code(),
        text(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn action_help_snapshots() {
    for name in [
        "GetInvoices",
        "AddCancelRequest",
        "CreateInvoice",
        "TriggerNotificationEvent",
        "UpdateClient",
    ] {
        let help = help_of(&[name, "--help"]);
        insta::assert_snapshot!(format!("action_help_{name}"), help);
    }
}

#[test]
fn every_way_of_asking_gives_the_same_help() {
    let expected = help_of(&["GetInvoices", "--help"]);
    for args in [
        &["getinvoices", "-h"][..],
        &["get-invoices", "--help"],
        &["help", "GetInvoices"],
        &["help", "get-invoices"],
        &["--url", "https://example.test", "GetINVOICES", "--help"],
    ] {
        assert_eq!(help_of(args), expected, "{args:?}");
    }
}

#[test]
fn top_level_help_fits_on_one_screen() {
    let help = help_of(&["--help"]);
    insta::assert_snapshot!("top_level_help", help);
    assert!(help.lines().count() <= 50, "{} lines", help.lines().count());
    assert!(
        !help.contains("UpdateClientAddon"),
        "actions are listed by `whmcs actions`, not in --help"
    );
    for option in [
        "--url",
        "--identifier",
        "--secret",
        "--secret-file",
        "--access-key",
        "--access-key-file",
        "--profile",
        "--timeout",
        "--cacert",
        "--dry-run",
        "--output",
        "--verbose",
        "--version",
    ] {
        assert!(help.contains(option), "{option} missing");
    }
    assert_eq!(help_of(&["help"]), help);
    assert!(help_of(&["help", "mock"]).contains("--state <FILE>"));
    assert!(help_of(&["help", "spec", "import"]).contains("--category <NAME>"));
}

/// The actions whose help is longer than a screen: they have 31 to 47 parameters.
const WIDEST: &[&str] = &[
    "AddClient",
    "AddOrder",
    "AddProduct",
    "UpdateClient",
    "UpdateClientProduct",
];

#[test]
fn every_action_help_fits_on_one_screen_but_the_widest() {
    let mut long = BTreeSet::new();
    for info in actions::ALL {
        let help = help_of(&[info.name(), "--help"]);
        let lines = help.lines().count();
        if lines > 50 {
            long.insert(info.name());
        }
        assert!(help.starts_with(&format!("{}: {}", info.name(), info.summary())));
        assert!(
            help.contains(&format!("Effect: {}", info.effect().as_str())),
            "{}",
            info.name()
        );
        for p in info.params() {
            let name = p.name().trim_end_matches("{n}");
            if p.ty().starts_with("numbered<") {
                continue;
            }
            assert!(
                help.contains(&format!("--{name}")) || help.contains(&format!("--param {name}=")),
                "{}: parameter {name} missing",
                info.name()
            );
            let entry = entry_of(&help, name)
                .unwrap_or_else(|| panic!("{}: no line for {name}", info.name()));
            assert!(entry.contains(&format!("<{}>", p.ty())), "{entry}");
            assert_eq!(entry.contains("[required]"), p.required(), "{entry}");
            if !p.values().is_empty() {
                let values = format!("[values: {}]", p.values().join(", "));
                assert!(entry.contains(&values), "{entry}");
            }
            assert_eq!(
                entry.contains("[deprecated"),
                p.deprecated().is_some(),
                "{entry}"
            );
        }
        assert!(
            help.contains(&format!("Example:\n  whmcs {}", info.name())),
            "{}",
            info.name()
        );
    }
    assert_eq!(long, WIDEST.iter().copied().collect::<BTreeSet<_>>());
}

/// The help entry of parameter `name`, its wrapped lines joined.
fn entry_of(help: &str, name: &str) -> Option<String> {
    let mut lines = help.lines().skip_while(|l| {
        let l = l.trim_start();
        !(l.starts_with(&format!("--{name} "))
            || l.starts_with(&format!("--{name}["))
            || l.starts_with(&format!("--param {name}=")))
    });
    let mut entry = lines.next()?.trim().to_string();
    for more in lines.take_while(|l| l.starts_with("      ")) {
        entry.push(' ');
        entry.push_str(more.trim());
    }
    Some(entry)
}

/// The example command of an action's help, joined from its continuation lines.
fn example_of(help: &str) -> String {
    let start = help.find("Example:\n").expect("an example") + "Example:\n".len();
    let mut command = String::new();
    for line in help[start..].lines() {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(part) => command.push_str(part),
            None => {
                command.push_str(line);
                break;
            }
        }
    }
    command
}

#[test]
fn every_help_example_sends_the_reference_example() {
    let mock = Mock::scripted(|req: &Request| {
        let info = actions::ALL.iter().find(|i| i.name() == req.action);
        Reply::raw(
            200,
            info.and_then(|i| i.example_response())
                .unwrap_or(r#"{"result":"success"}"#),
        )
    });
    for info in actions::ALL {
        let Some(request) = info.example_request() else {
            continue;
        };
        let example = example_of(&help_of(&[info.name(), "--help"]));
        let out = run(&mut mock.shell(&example));
        assert!(
            out.status.success(),
            "{}: `{example}`: {}",
            info.name(),
            text(&out.stderr)
        );
        let by_flags = params(mock.requests().last().expect("a request"));
        let out = mock.run(&[info.name(), "--json", request]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let by_json = params(mock.requests().last().expect("a request"));
        assert_eq!(by_flags, by_json, "{}: `{example}`", info.name());
    }
}

#[test]
fn version_is_the_crate_version() {
    assert_eq!(
        help_of(&["--version"]),
        format!("whmcs {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(help_of(&["-V"]), help_of(&["--version"]));
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bash = help_of(&["completions", "bash"]);
    let bash_file = dir.path().join("whmcs.bash");
    std::fs::write(&bash_file, &bash).expect("write script");
    let check = run(std::process::Command::new("bash").arg("-n").arg(&bash_file));
    assert!(check.status.success(), "{}", text(&check.stderr));
    // What bash offers after `whmcs get-invoices --lim` and `whmcs GetInv`.
    let offered = |words: &str, cword: usize| {
        let script = format!(
            "source '{}'\nCOMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; _whmcs whmcs \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            bash_file.display()
        );
        let out = run(std::process::Command::new("bash").args(["-c", &script]));
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect::<BTreeSet<_>>()
    };
    let flags = offered("whmcs get-invoices --lim", 2);
    assert_eq!(
        flags,
        ["--limitnum", "--limitstart"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    assert!(offered("whmcs GetInvoices --dry", 2).contains("--dry-run"));
    let names = offered("whmcs GetInv", 1);
    assert!(
        names.contains("GetInvoices") && names.contains("GetInvoice"),
        "{names:?}"
    );
    assert!(offered("whmcs comp", 1).contains("completions"));

    let zsh = help_of(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef whmcs"));
    for needle in ["GetInvoices", "--limitnum", "--secret-file", "completions"] {
        assert!(zsh.contains(needle), "zsh: {needle}");
    }
    let fish = help_of(&["completions", "fish"]);
    for needle in [
        "complete -c whmcs",
        "GetInvoices",
        "-l limitnum",
        "-l secret-file",
    ] {
        assert!(fish.contains(needle), "fish: {needle}");
    }
    for (shell, script) in [("zsh", &zsh), ("fish", &fish)] {
        // Checked by the shell itself where it is installed.
        let file = dir.path().join(format!("whmcs.{shell}"));
        std::fs::write(&file, script).expect("write script");
        if let Ok(out) = std::process::Command::new(shell)
            .arg("-n")
            .arg(&file)
            .output()
        {
            assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        }
    }
    let out = run(whmcs().args(["completions", "tcsh"]));
    assert_eq!(out.status.code(), Some(2));
}
