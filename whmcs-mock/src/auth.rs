//! Who may call: API credentials (also accepted as username/password, as WHMCS does), an admin
//! login with the MD5 of its password, and the access key when one is required.

use md5::{Digest, Md5};
use serde_json::{Map, Value};

use crate::config::MockConfig;

/// The form keys that carry credentials or protocol settings, not action parameters.
pub(crate) const RESERVED: &[&str] = &[
    "action",
    "identifier",
    "secret",
    "username",
    "password",
    "accesskey",
    "responsetype",
];

/// Whether the parameters carry credentials `config` accepts.
pub(crate) fn authenticated(config: &MockConfig, p: &Map<String, Value>) -> bool {
    let get = |k: &str| p.get(k).and_then(Value::as_str);
    if let Some(key) = &config.access_key
        && get("accesskey") != Some(key.as_str())
    {
        return false;
    }
    let api = |id: Option<&str>, secret: Option<&str>| {
        id == Some(config.identifier.as_str()) && secret == Some(config.secret.as_str())
    };
    if api(get("identifier"), get("secret")) || api(get("username"), get("password")) {
        return true;
    }
    match (&config.admin, get("username"), get("password")) {
        (Some((user, pass)), Some(u), Some(p)) => {
            let hex: String = Md5::digest(pass.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            u == user && p.eq_ignore_ascii_case(&hex)
        }
        _ => false,
    }
}
