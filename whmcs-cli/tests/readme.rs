//! The README's CLI walkthrough, run line by line as it stands against a fresh `whmcs mock`
//! started here: each command must exit as its comment says (`# exit N`, else 0).
//!
//! The one change made to the text: the mock's address `127.0.0.1:8080` becomes a free port.

mod support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};

use support::{run, shell, text};

/// The `sh` block under `## The CLI`, its continued lines joined.
fn walkthrough() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let section = &readme[readme.find("\n## The CLI\n").expect("the CLI section")..];
    let block = &section[section.find("```sh\n").expect("a sh block") + 6..];
    let block = &block[..block.find("```").expect("the end of the block")];
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in block.lines() {
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    lines
}

struct Background(Child);

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_readme_walkthrough_works_verbatim_on_a_fresh_mock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let addr = format!("127.0.0.1:{port}");
    let mut env: Vec<(String, String)> = Vec::new();
    let mut mock = None;
    let mut ran = 0;
    for line in walkthrough() {
        let line = line.replace("127.0.0.1:8080", &addr);
        let (command, comment) = line.split_once(" # ").unwrap_or((&line, ""));
        let command = command.trim();
        let comment = comment.trim();
        let expected: i32 = comment
            .strip_prefix("exit ")
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        if command.starts_with("cargo install") {
            continue;
        }
        if command.starts_with("whmcs mock") {
            let mut child = shell(&format!("exec {command}"))
                .current_dir(dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start the mock");
            let mut first = String::new();
            let stdout = child.stdout.take().expect("stdout");
            let mut reader = BufReader::new(stdout);
            reader.read_line(&mut first).expect("the mock's first line");
            assert_eq!(first.trim(), format!("WHMCS_URL=http://{addr}/"));
            mock = Some((Background(child), reader));
            continue;
        }
        if let Some(assignments) = command.strip_prefix("export ") {
            for a in assignments.split_whitespace() {
                let (k, v) = a.split_once('=').expect("NAME=value");
                env.push((k.to_string(), v.to_string()));
            }
            continue;
        }
        let mut cmd = shell(command);
        cmd.current_dir(dir.path());
        for (k, v) in &env {
            cmd.env(k, v);
        }
        let out = run(&mut cmd);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(
            out.status.code(),
            Some(expected),
            "`{command}`\nstdout: {stdout}\nstderr: {stderr}"
        );
        if expected == 0 {
            assert!(!stdout.is_empty(), "`{command}` printed nothing");
        } else {
            // The comment quotes what the command says.
            let said = comment.split_once(": ").map_or("", |(_, s)| s);
            assert!(stderr.contains(said), "`{command}`: {stderr}");
        }
        assert!(
            !stdout.contains("mock-secret"),
            "`{command}` printed the secret"
        );
        ran += 1;
    }
    assert!(mock.is_some(), "the walkthrough starts `whmcs mock`");
    assert!(ran >= 10, "{ran} commands ran");
}
