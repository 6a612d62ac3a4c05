//! Error message templates: `{name}` marks a part WHMCS fills in, so braces must pair up and
//! each name appear once (it becomes a field of the error variant).

use std::collections::BTreeSet;

use crate::naming;

/// The problems of error `variant`'s message, each with the byte offset it is at.
pub(crate) fn problems(message: &str, variant: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut names = BTreeSet::new();
    for (i, c) in message.char_indices() {
        match c {
            '{' => {
                if let Some(o) = open {
                    out.push((
                        o,
                        format!("unclosed `{{` in error `{variant}`: a placeholder is `{{name}}`, closed before the next `{{`"),
                    ));
                }
                open = Some(i);
            }
            '}' => match open.take() {
                None => out.push((
                    i,
                    format!("`}}` without an opening `{{` in error `{variant}`: a placeholder is written `{{name}}`"),
                )),
                Some(o) => {
                    let name = &message[o + 1..i];
                    if name.is_empty() {
                        out.push((
                            o,
                            format!("empty placeholder `{{}}` in error `{variant}`: name the part WHMCS fills in, e.g. `{{value}}`"),
                        ));
                    } else if !naming::is_snake_ident(name) {
                        out.push((o, format!("placeholder `{{{name}}}` in error `{variant}` must be a snake_case name, e.g. `{{service_id}}`")));
                    } else if !names.insert(name) {
                        out.push((
                            o,
                            format!("placeholder `{{{name}}}` appears twice in error `{variant}`: each filled-in part needs its own name, e.g. `{{{name}2}}`"),
                        ));
                    }
                }
            },
            _ => {}
        }
    }
    if let Some(o) = open {
        out.push((
            o,
            format!("unclosed `{{` in error `{variant}`: end the placeholder with `}}`, e.g. `{{value}}`"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn finds_every_brace_problem() {
        assert!(problems("Service {id} can not be renewed", "E").is_empty());
        assert_eq!(problems("Bad {id} and {id}", "E")[0].0, 13);
        assert_eq!(problems("Bad {id", "E")[0].0, 4);
        assert_eq!(problems("Bad id}", "E")[0].0, 6);
        assert_eq!(problems("Bad {}", "E").len(), 1);
        assert_eq!(problems("Bad {a {b}", "E")[0].0, 4);
    }
}
