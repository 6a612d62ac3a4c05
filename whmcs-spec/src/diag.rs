//! Collects every problem found in a spec, each located as `path:line:col`.

use std::ops::Range;

/// The problems of one spec file, reported together.
#[derive(Debug)]
pub struct Diag<'a> {
    path: &'a str,
    src: &'a str,
    /// Each problem with its position, so they can be listed in file order.
    errors: Vec<((usize, usize), String)>,
}

impl<'a> Diag<'a> {
    /// Starts collecting the problems of the spec at `path` whose text is `src`.
    pub fn new(path: &'a str, src: &'a str) -> Self {
        Self {
            path,
            src,
            errors: Vec::new(),
        }
    }

    /// Records a problem at the given byte range of the spec source.
    pub fn at(&mut self, span: &Range<usize>, msg: impl AsRef<str>) {
        let (line, col) = line_col(self.src, span.start);
        self.errors.push((
            (line, col),
            format!("{}:{line}:{col}: {}", self.path, msg.as_ref()),
        ));
    }

    /// Records a problem that has no place in the file (e.g. it cannot be read).
    pub fn whole(&mut self, msg: impl AsRef<str>) {
        self.errors
            .push(((0, 0), format!("{}: {}", self.path, msg.as_ref())));
    }

    /// Whether any problem was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The problems in file order (those without a position first).
    pub fn into_errors(mut self) -> Vec<String> {
        self.errors.sort_by_key(|(pos, _)| *pos);
        self.errors.into_iter().map(|(_, msg)| msg).collect()
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

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(!ca.eq_ignore_ascii_case(cb));
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
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
    }
}
