//! Collects every problem found in a spec, each located as `path:line:col`.

use std::fmt;
use std::ops::Range;

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec cannot be used as it is.
    Error,
    /// The spec works, but something is left for a person to do (e.g. a placeholder summary).
    Warning,
}

/// One located message: `path:line:col: text`, or `path: text` when it has no place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Error or warning.
    pub severity: Severity,
    /// `path:line:col` (or `path`).
    pub location: String,
    /// What is wrong and what would be right.
    pub text: String,
}

impl Message {
    /// `path:line:col: text`, the same for errors and warnings (the form the macro reports).
    pub fn plain(&self) -> String {
        format!("{}: {}", self.location, self.text)
    }
}

impl fmt::Display for Message {
    /// `path:line:col: text` for an error, `path:line:col: warning: text` for a warning.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}: {}", self.location, self.text),
            Severity::Warning => write!(f, "{}: warning: {}", self.location, self.text),
        }
    }
}

/// The problems of one spec file, reported together.
#[derive(Debug)]
pub struct Diag<'a> {
    path: &'a str,
    src: &'a str,
    /// Each problem with its position, so they can be listed in file order.
    entries: Vec<((usize, usize), Message)>,
}

impl<'a> Diag<'a> {
    /// Starts collecting the problems of the spec at `path` whose text is `src`.
    pub fn new(path: &'a str, src: &'a str) -> Self {
        Self {
            path,
            src,
            entries: Vec::new(),
        }
    }

    /// The spec source positions refer to.
    pub fn src(&self) -> &'a str {
        self.src
    }

    /// How messages name the file.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Records a problem at the given byte range of the spec source.
    pub fn at(&mut self, span: &Range<usize>, msg: impl AsRef<str>) {
        self.push(Severity::Error, span, msg.as_ref());
    }

    /// Records a warning at the given byte range of the spec source.
    pub fn warn_at(&mut self, span: &Range<usize>, msg: impl AsRef<str>) {
        self.push(Severity::Warning, span, msg.as_ref());
    }

    /// Records a problem of the given severity.
    pub fn push(&mut self, severity: Severity, span: &Range<usize>, msg: &str) {
        let (line, col) = line_col(self.src, span.start);
        self.entries.push((
            (line, col),
            Message {
                severity,
                location: format!("{}:{line}:{col}", self.path),
                text: msg.to_string(),
            },
        ));
    }

    /// Records a problem that has no place in the file (e.g. it cannot be read).
    pub fn whole(&mut self, msg: impl AsRef<str>) {
        self.entries.push((
            (0, 0),
            Message {
                severity: Severity::Error,
                location: self.path.to_string(),
                text: msg.as_ref().to_string(),
            },
        ));
    }

    /// `path:line:col` of a byte offset of the source.
    pub fn location(&self, offset: usize) -> String {
        let (line, col) = line_col(self.src, offset);
        format!("{}:{line}:{col}", self.path)
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.entries
            .iter()
            .any(|(_, m)| m.severity == Severity::Error)
    }

    /// The errors in file order (those without a position first), as `path:line:col: text`.
    pub fn into_errors(self) -> Vec<String> {
        self.into_messages()
            .into_iter()
            .filter(|m| m.severity == Severity::Error)
            .map(|m| m.plain())
            .collect()
    }

    /// Every message in file order (those without a position first).
    pub fn into_messages(mut self) -> Vec<Message> {
        self.entries.sort_by_key(|(pos, _)| *pos);
        self.entries.into_iter().map(|(_, m)| m).collect()
    }
}

fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..floor_char_boundary(src, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Suggests the closest candidate, for "did you mean" hints.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance where swapping two neighbouring letters counts once (`tyep` → `type`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let same = |x: char, y: char| x.eq_ignore_ascii_case(&y);
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(!same(a[i - 1], b[j - 1]));
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        assert_eq!(line_col("a\nbc", 3), (2, 2));
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    #[test]
    fn suggests_near_words() {
        assert_eq!(closest("integer", ["int", "string", "bool"]), None);
        assert_eq!(closest("strng", ["int", "string", "bool"]), Some("string"));
        assert_eq!(closest("Int", ["int", "string"]), Some("int"));
        assert_eq!(closest("tyep", ["type", "rust"]), Some("type"));
    }
}
