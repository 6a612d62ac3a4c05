//! Credentials scrubbed out of any text an answer brings (error messages, snippets of bodies,
//! warnings, redirect targets) before it reaches an error, a log or the caller's output: a
//! firewall or an error page may echo the request body, and with it the secret.
//!
//! Hand-written because what has to be found is not one string but every form the credential
//! travels or comes back in: as typed, form-encoded as it was sent (`+` or `%20` for a space,
//! either hex case), HTML-escaped by a page that shows it, JSON-escaped by an API that echoes it,
//! and the MD5 of a login password, which is what WHMCS receives.

use std::fmt;

use crate::secret::Secret;

/// What replaces a credential.
const MARK: &[u8] = b"[redacted]";

/// Removes a client's credentials from text taken from an answer. Every error the client
/// returns has already been through it; [`Client::redact`](crate::Client::redact) applies it to
/// text of your own (a response printed as a whole, for instance).
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every form of every credential, longest first (so a longer form wins where two overlap).
    needles: Vec<Secret>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("forms", &self.needles.len())
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// A redactor that removes nothing (for decoding without a client).
    pub fn none() -> Self {
        Self::default()
    }

    /// A redactor for these credentials (secret, password, access key, password hash); empty
    /// ones are skipped.
    pub(crate) fn new<'a>(credentials: impl IntoIterator<Item = &'a str>) -> Self {
        let mut needles: Vec<String> = Vec::new();
        for c in credentials.into_iter().filter(|c| !c.is_empty()) {
            let form = whmcs_php::urlencode(c);
            let raw = raw_urlencode(c);
            needles.extend([
                c.to_string(),
                form.clone(),
                lower_hex(&form),
                raw.clone(),
                lower_hex(&raw),
                html_escape(c),
                html_escape_numeric(c),
            ]);
            let json = serde_json::to_string(c).unwrap_or_default();
            let json = json
                .strip_prefix('"')
                .and_then(|j| j.strip_suffix('"'))
                .unwrap_or(&json);
            // PHP's json_encode also escapes `/` and every non-ASCII character.
            needles.extend([json.to_string(), json.replace('/', "\\/"), php_json(c)]);
            if c.bytes().all(|b| b.is_ascii_hexdigit()) {
                needles.extend([c.to_ascii_lowercase(), c.to_ascii_uppercase()]);
            }
        }
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self {
            needles: needles.into_iter().map(Secret::new).collect(),
        }
    }

    /// Whether there is nothing to remove.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `text` with every credential replaced by `[redacted]`.
    pub fn redact(&self, text: &str) -> String {
        if self.needles.is_empty() {
            return text.to_string();
        }
        String::from_utf8_lossy(&self.redact_bytes(text.as_bytes())).into_owned()
    }

    /// `bytes` with every credential replaced by `[redacted]`.
    pub(crate) fn redact_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match self.match_at(bytes, i) {
                Some(len) => {
                    out.extend_from_slice(MARK);
                    i += len;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        out
    }

    /// The length of the longest credential form found at `bytes[at..]`.
    fn match_at(&self, bytes: &[u8], at: usize) -> Option<usize> {
        let rest = &bytes[at..];
        self.needles
            .iter()
            .map(|n| n.expose().as_bytes())
            .find(|n| rest.starts_with(n))
            .map(<[u8]>::len)
    }

    /// The first `max` bytes of `body`, redacted, cut so that no credential is split: a
    /// credential that crosses the cut would otherwise leave its beginning behind.
    pub(crate) fn head(&self, body: &[u8], max: usize) -> Vec<u8> {
        let longest = self.needles.first().map_or(0, |n| n.expose().len());
        let mut cut = body.len().min(max);
        // Back before any credential that crosses the cut, until none does.
        while let Some(p) = (cut.saturating_sub(longest)..cut)
            .find(|&p| self.match_at(body, p).is_some_and(|len| p + len > cut))
        {
            cut = p;
        }
        self.redact_bytes(&body[..cut])
    }
}

fn raw_urlencode(s: &str) -> String {
    whmcs_php::urlencode(s)
        .replace('+', "%20")
        .replace("%7E", "~")
}

/// The same percent-encoding with lowercase hex digits.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `htmlspecialchars` with PHP 8's defaults (`ENT_QUOTES`: `'` as `&#039;`).
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

/// HTML-escaped with numeric references, as other servers write them (`&#38;`, `&#39;`).
fn html_escape_numeric(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '<' | '>' | '"' | '\'' => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// `json_encode` with PHP's defaults: `/` escaped and non-ASCII as `\uXXXX`.
fn php_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_is_removed() {
        let r = Redactor::new(["p@ss w/rd&é'~"]);
        for form in [
            "p@ss w/rd&é'~",
            "p%40ss+w%2Frd%26%C3%A9%27%7E",
            "p%40ss%20w%2frd%26%c3%a9%27~",
            "p@ss w/rd&amp;é&#039;~",
            "p@ss w/rd&#38;é&#39;~",
            "p@ss w\\/rd&\\u00e9'~",
        ] {
            let text = format!("before {form} after");
            assert_eq!(r.redact(&text), "before [redacted] after", "{form}");
        }
    }

    #[test]
    fn a_credential_crossing_the_cut_is_cut_off_whole() {
        let r = Redactor::new(["SECRET"]);
        assert_eq!(r.head(b"abcSECRETdef", 5), b"abc");
        assert_eq!(r.head(b"abcSECRETdef", 9), b"abc[redacted]");
        assert_eq!(r.head(b"SECRETSECRET", 8), b"[redacted]");
        assert_eq!(Redactor::none().head(b"abcdef", 3), b"abc");
    }
}
