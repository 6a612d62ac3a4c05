//! PHP's own formats, as WHMCS speaks them: `http_build_query()` for request bodies,
//! `parse_str()` / `$_POST` for reading them (with PHP's input limits), `serialize()` for the
//! arrays WHMCS takes base64-encoded, and PHP 8's float printing.
//!
//! Each function gives, byte for byte, what PHP 8 gives for the same input; the tests hold it
//! against outputs recorded from a real PHP (`scripts/php-goldens.php` in the repository).
//! Hand-written because no maintained crate reproduces PHP's rules exactly.
//!
//! ```
//! use whmcs_php::{build_query, parse_str, PhpArray};
//! let fields = PhpArray::new().with(1, "Google");
//! assert_eq!(fields.serialize(), r#"a:1:{i:1;s:6:"Google";}"#);
//! let body = build_query(&parse_str("pid[]=1&pid[]=2"));
//! assert_eq!(body, "pid%5B0%5D=1&pid%5B1%5D=2");
//! ```

#![deny(missing_docs)]

mod float;
mod parse;
mod query;
mod value;

pub use float::format_float;
pub use parse::{Limits, Parsed, parse_post, parse_str, parse_str_with, urldecode};
pub use query::{Form, build_query, urlencode};
pub use value::{PhpArray, PhpKey, PhpValue};
