//! The encodings WHMCS wraps some parameters in: base64, the JSON list of attached files
//! (`attachments`), and PHP's `serialize()` (`customvars`, `customfields`, `configoptions`).
//! Malformed input gives `None`, never a panic. Also the text helpers that entity families share: the hex MD5 the mock derives its
//! tokens from, and the check that an email address looks like one.

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Decodes base64 (standard or URL-safe alphabet, padding optional, whitespace ignored).
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        })
    };
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let body = clean
        .iter()
        .rposition(|b| *b != b'=')
        .map_or(&clean[..0], |end| &clean[..=end]);
    if clean.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 3);
    for chunk in body.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// A file attached to a ticket, reply or note.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Attachment {
    /// The name it was uploaded with.
    pub(crate) filename: String,
    /// Its contents, base64-encoded as they were sent.
    pub(crate) data: String,
}

/// The files of an `attachments` parameter: base64 of a JSON list of `{name, data}` (or
/// `filename`) objects, `data` being base64 itself. `None` when it is not that.
pub(crate) fn attachments(param: Option<&str>) -> Option<Vec<Attachment>> {
    let Some(text) = param.filter(|t| !t.trim().is_empty()) else {
        return Some(Vec::new());
    };
    let json: Value = serde_json::from_slice(&base64_decode(text)?).ok()?;
    let files = match json {
        Value::Array(files) => files,
        Value::Object(one) => vec![Value::Object(one)],
        _ => return None,
    };
    files
        .iter()
        .map(|f| {
            let name = f
                .get("name")
                .or_else(|| f.get("filename"))
                .and_then(Value::as_str)?;
            let data = f.get("data").and_then(Value::as_str)?;
            base64_decode(data)?;
            Some(Attachment {
                filename: name.to_string(),
                data: data.to_string(),
            })
        })
        .collect()
}

/// The top-level entries of a base64 PHP `serialize()`d array, as text (`customvars`). Nested
/// arrays read as `Array`, as PHP prints them. `None` when it is not such an array.
pub(crate) fn php_array(base64: &str) -> Option<Vec<(String, String)>> {
    let entries = php_entries(base64)?;
    Some(
        entries
            .into_iter()
            .map(|(key, item)| match item {
                PhpItem::Text(t) => (key, t),
                PhpItem::Array(_) => (key, "Array".to_string()),
            })
            .collect(),
    )
}

/// The entries of a base64 PHP `serialize()`d array, nested arrays kept (`configoptions`, whose
/// values may be `array('optionid' => …, 'qty' => …)`). `None` when it is not such an array.
pub(crate) fn php_entries(base64: &str) -> Option<Vec<(String, PhpItem)>> {
    let bytes = base64_decode(base64)?;
    let mut reader = Reader {
        s: &bytes,
        at: 0,
        depth: 0,
    };
    let PhpItem::Array(entries) = reader.value()? else {
        return None;
    };
    (reader.at == bytes.len()).then_some(entries)
}

/// How deeply serialized arrays may nest. The parameters that carry them hold an array of
/// scalars or of arrays (`configoptions`' `optionid`/`qty`), so a few levels are all WHMCS reads;
/// deeper input is refused rather than read by a recursion as deep as the request is long.
const MAX_NESTING: usize = 32;

/// A reader of PHP's serialization format.
struct Reader<'a> {
    s: &'a [u8],
    at: usize,
    /// Arrays open around the value being read.
    depth: usize,
}

/// A value PHP serialized: text for scalars (as PHP prints them), entries for arrays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PhpItem {
    Text(String),
    Array(Vec<(String, PhpItem)>),
}

impl Reader<'_> {
    /// Consumes byte `b`, which must come next.
    fn eat(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.at) == Some(&b)).then(|| self.at += 1)
    }

    /// Bytes up to (not including) `end`, which is consumed.
    fn until(&mut self, end: u8) -> Option<&[u8]> {
        let rest = self.s.get(self.at..)?;
        let n = rest.iter().position(|b| *b == end)?;
        self.at += n + 1;
        rest.get(..n)
    }

    /// A decimal integer ending at `end`, which is consumed.
    fn int(&mut self, end: u8) -> Option<i64> {
        std::str::from_utf8(self.until(end)?).ok()?.parse().ok()
    }

    /// The next serialized value.
    fn value(&mut self) -> Option<PhpItem> {
        let kind = *self.s.get(self.at)?;
        self.at += 1;
        if kind == b'N' {
            self.eat(b';')?;
            return Some(PhpItem::Text(String::new()));
        }
        self.eat(b':')?;
        match kind {
            b'i' | b'b' => Some(PhpItem::Text(self.int(b';')?.to_string())),
            b'd' => {
                let text = std::str::from_utf8(self.until(b';')?).ok()?;
                text.parse::<f64>().ok()?;
                Some(PhpItem::Text(text.to_string()))
            }
            b's' => {
                let len = usize::try_from(self.int(b':')?).ok()?;
                self.eat(b'"')?;
                let end = self.at.checked_add(len)?;
                let text = String::from_utf8_lossy(self.s.get(self.at..end)?).into_owned();
                self.at = end;
                self.eat(b'"')?;
                self.eat(b';')?;
                Some(PhpItem::Text(text))
            }
            b'a' => {
                if self.depth == MAX_NESTING {
                    return None;
                }
                let n = usize::try_from(self.int(b':')?).ok()?;
                self.eat(b'{')?;
                self.depth += 1;
                let mut entries = Vec::new();
                for _ in 0..n {
                    let PhpItem::Text(key) = self.value()? else {
                        return None;
                    };
                    entries.push((key, self.value()?));
                }
                self.depth -= 1;
                self.eat(b'}')?;
                Some(PhpItem::Array(entries))
            }
            _ => None,
        }
    }
}

/// Bytes as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hex MD5 of `text`: the mock's source of tokens and identifiers, reproducible from the
/// state so answers are too.
pub(crate) fn md5_hex(text: &str) -> String {
    hex(&Md5::digest(text.as_bytes()))
}

/// Whether `email` looks like an address: one `@`, something before it, a dotted domain after.
pub(crate) fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("a*=="), None);
        assert_eq!(base64_decode("===="), None);
    }

    #[test]
    fn attachment_lists() {
        // The reference's example: one text file.
        let files = attachments(Some(
            "W3sibmFtZSI6InNhbXBsZV90ZXh0X2ZpbGUudHh0IiwiZGF0YSI6IlZHaHBjeUJwY3lCaElITmhiWEJzWlNCMFpYaDBJR1pwYkdVZ1kyOXVkR1Z1ZEhNPSJ9XQ==",
        ))
        .expect("valid");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].filename, "sample_text_file.txt");
        assert!(attachments(None).is_some_and(|f| f.is_empty()));
        assert!(attachments(Some("bm90IGpzb24=")).is_none());
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed_into() {
        let depth = 200_000;
        let mut text = "a:1:{i:0;".repeat(depth);
        text.push_str("i:1;");
        text.push_str(&"}".repeat(depth));
        let encoded = whmcs_php::PhpArray::new()
            .with(0, text.as_str())
            .to_base64();
        // The text above is a string inside a valid array: read as one value.
        assert!(php_entries(&encoded).is_some());
        let encode = |t: &str| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(t)
        };
        assert_eq!(php_entries(&encode(&text)), None);
        // Nesting within the limit still reads.
        let ok = format!("{}i:1;{}", "a:1:{i:0;".repeat(3), "}".repeat(3));
        assert!(php_entries(&encode(&ok)).is_some());
    }

    #[test]
    fn php_arrays() {
        let text = whmcs_php::PhpArray::new()
            .with("name", "Ada")
            .with(7, 3)
            .to_base64();
        assert_eq!(
            php_array(&text),
            Some(vec![
                ("name".into(), "Ada".into()),
                ("7".into(), "3".into())
            ])
        );
        assert_eq!(
            php_array("YToxOntpOjE7czo2OiJHb29nbGUiO30="),
            Some(vec![("1".into(), "Google".into())])
        );
        for bad in [
            "",
            "czozOiJhYmMiOw==",
            "YToxOntpOjE7czo5OiJHb29nbGUiO30=",
            "!!",
        ] {
            assert_eq!(php_array(bad), None, "{bad}");
        }
    }

    #[test]
    fn nested_php_arrays() {
        // UpdateClientProduct's reference example: array(5 => 12, 7 => array('optionid' => 3,
        // 'qty' => 2)).
        let entries = php_entries(
            "YToyOntpOjU7aToxMjtpOjc7YToyOntzOjg6Im9wdGlvbmlkIjtpOjM7czozOiJxdHkiO2k6Mjt9fQ==",
        )
        .expect("valid");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], ("5".into(), PhpItem::Text("12".into())));
        assert_eq!(
            entries[1],
            (
                "7".into(),
                PhpItem::Array(vec![
                    ("optionid".into(), PhpItem::Text("3".into())),
                    ("qty".into(), PhpItem::Text("2".into())),
                ])
            )
        );
        assert_eq!(
            php_array(
                "YToyOntpOjU7aToxMjtpOjc7YToyOntzOjg6Im9wdGlvbmlkIjtpOjM7czozOiJxdHkiO2k6Mjt9fQ=="
            ),
            Some(vec![
                ("5".into(), "12".into()),
                ("7".into(), "Array".into())
            ])
        );
    }
}
