//! The version history: which WHMCS release added the action, a parameter or an answer field.

/// The version that added the action, from "Initial Version" in the history (`None` for 1.0).
pub(super) fn action_since(versions: &[(String, String)]) -> Option<String> {
    versions
        .iter()
        .find(|(_, log)| log.to_ascii_lowercase().contains("initial version"))
        .map(|(v, _)| normalize_version(v))
        .filter(|v| v != "1.0")
}

/// `7.10.0` → `7.10`, `7.0.0-beta.1` → `7.0`, `8.1.1` stays.
fn normalize_version(v: &str) -> String {
    let v = v.trim();
    let v = v.split('-').next().unwrap_or(v);
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() == 3 && parts[2] == "0" {
        format!("{}.{}", parts[0], parts[1])
    } else {
        v.to_string()
    }
}

/// The version that added parameter or field `name`, from the version history: "Added `x`
/// parameter", "Added new return parameters `a`, `b`", "Added users parameter", "Renamed `a`
/// parameter to `b`" (for `b`).
pub(super) fn since(versions: &[(String, String)], name: &str) -> Option<String> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let wanted = squash(name);
    for (v, log) in versions {
        for sentence in log.split(". ") {
            let lower = sentence.trim().to_ascii_lowercase();
            let quoted: Vec<String> = sentence
                .split(['`', '\'', '"'])
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, q)| squash(q))
                .collect();
            let added = lower.starts_with("added")
                || lower.starts_with("add ")
                || lower.starts_with("implement");
            let found = || Some(normalize_version(v)).filter(|v| v != "1.0");
            if added {
                if quoted.contains(&wanted) {
                    return found();
                }
                let phrase = lower
                    .trim_start_matches("added")
                    .trim_start_matches("add")
                    .trim_start_matches(" new")
                    .trim_start_matches(" optional")
                    .trim_start_matches(" support for")
                    .trim_start_matches(" the")
                    .trim()
                    .trim_end_matches('.');
                let phrase = phrase
                    .strip_suffix(" parameters")
                    .or_else(|| phrase.strip_suffix(" parameter"))
                    .unwrap_or(phrase);
                if squash(phrase) == wanted {
                    return found();
                }
            }
            // `$name` in a note about what changed, unless it was renamed or removed.
            let gone = ["renamed", "removed", "deprecated"]
                .iter()
                .any(|w| lower.starts_with(w));
            if !gone
                && sentence
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                    .any(|w| w.strip_prefix('$').is_some_and(|n| squash(n) == wanted))
            {
                return found();
            }
            if lower.starts_with("renamed")
                && let Some((_, to)) = sentence.split_once(" to ")
                && to
                    .split(['`', '\'', '"'])
                    .nth(1)
                    .is_some_and(|t| squash(t) == wanted)
            {
                return found();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_the_history() {
        let history = vec![
            ("7.1.0-beta.1".to_string(), "Initial Version".to_string()),
            (
                "7.10".to_string(),
                "Added `relatedId` parameter. Added `addon` serviceType".to_string(),
            ),
            ("8.0".to_string(), "Added users parameter".to_string()),
            (
                "8.5".to_string(),
                "Renamed `userid` parameter to `clientid`.".to_string(),
            ),
            (
                "9.0".to_string(),
                "Counts only unless $ignoreAll is set".to_string(),
            ),
        ];
        assert_eq!(action_since(&history).as_deref(), Some("7.1"));
        assert_eq!(since(&history, "relatedId").as_deref(), Some("7.10"));
        assert_eq!(since(&history, "users").as_deref(), Some("8.0"));
        assert_eq!(since(&history, "clientid").as_deref(), Some("8.5"));
        assert_eq!(since(&history, "userid"), None);
        assert_eq!(since(&history, "ignoreAll").as_deref(), Some("9.0"));
    }
}
