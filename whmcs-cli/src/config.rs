//! Where the settings of a call come from: flags first, then the `WHMCS_*` environment, then a
//! profile of the config file; secrets read from files; the client built from the result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use whmcs_api::Client;

use crate::Fail;
use crate::flags::Globals;

/// The config file: named profiles.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// One `[profiles.NAME]` table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    url: Option<String>,
    identifier: Option<String>,
    secret: Option<String>,
    secret_file: Option<PathBuf>,
    access_key: Option<String>,
    access_key_file: Option<PathBuf>,
    timeout: Option<f64>,
    cacert: Option<PathBuf>,
    proxy: Option<String>,
    #[serde(default)]
    read_only: bool,
}

/// The settings of a call, wherever each came from.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    pub url: Option<String>,
    pub identifier: Option<String>,
    pub secret: Option<String>,
    pub access_key: Option<String>,
    pub timeout: Option<Duration>,
    pub cacert: Option<PathBuf>,
    /// How to reach the server: through this proxy, directly, or as the environment says.
    pub proxy: Proxy,
    /// The name of the profile in use when it is read-only.
    pub read_only: Option<String>,
}

/// Whether calls go through a proxy.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) enum Proxy {
    /// As the client decides from `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`.
    #[default]
    Environment,
    /// Through this one.
    Url(String),
    /// Never.
    Direct,
}

/// An environment variable, unset when empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `WHMCS_CONFIG`, else `$XDG_CONFIG_HOME/whmcs/config.toml`, else `~/.config/whmcs/config.toml`.
pub(crate) fn config_path() -> Option<PathBuf> {
    if let Some(path) = env("WHMCS_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("whmcs").join("config.toml"))
}

/// Warns when a file holding a secret can be read by others than its owner.
fn warn_if_shared(path: &Path, what: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o044 != 0 {
                note!(
                    "whmcs: warning: {} holds {what} and others can read it (mode {mode:03o}); `chmod 600` it",
                    path.display()
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, what);
}

/// Reads a secret from a file: the whole file, less one trailing newline.
pub(crate) fn read_secret(path: &Path, what: &str) -> Result<String, Fail> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::usage(format!("cannot read {what} from {}: {e}", path.display())))?;
    warn_if_shared(path, what);
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.is_empty() {
        return Err(Fail::usage(format!("{} is empty", path.display())));
    }
    Ok(text.to_string())
}

/// The profile named by `--profile` or `WHMCS_PROFILE`, with the directory its relative paths
/// start from.
fn load_profile(name: &str) -> Result<(Profile, PathBuf), Fail> {
    let path = config_path().ok_or_else(|| {
        Fail::usage(format!(
            "profile `{name}` asked for, but there is no config file: set WHMCS_CONFIG or HOME"
        ))
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Fail::usage(format!(
            "profile `{name}` asked for, but {} cannot be read: {e}",
            path.display()
        ))
    })?;
    let file: ConfigFile = toml::from_str(&text)
        .map_err(|e| Fail::usage(format!("{}: {}", path.display(), e.to_string().trim_end())))?;
    if file
        .profiles
        .values()
        .any(|p| p.secret.is_some() || p.access_key.is_some())
    {
        warn_if_shared(&path, "a secret");
    }
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
    match file.profiles.get(name) {
        Some(p) => Ok((p.clone(), dir)),
        None => Err(Fail::usage(format!(
            "no profile `{name}` in {} (it has: {})",
            path.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))),
    }
}

/// One secret by precedence: the flag, the flag's file, the variable, the profile's value or file.
fn secret(
    what: &str,
    flag: (&Option<String>, &Option<PathBuf>, &str),
    var: &str,
    profile: (&Option<String>, &Option<PathBuf>, &str),
    dir: &Path,
) -> Result<Option<String>, Fail> {
    match flag {
        (Some(_), Some(_), name) => {
            return Err(Fail::usage(format!(
                "give --{name} or --{name}-file, not both"
            )));
        }
        (Some(value), None, _) => return Ok(Some(value.clone())),
        (None, Some(path), _) => return read_secret(path, what).map(Some),
        (None, None, _) => {}
    }
    if let Some(value) = env(var) {
        return Ok(Some(value));
    }
    match profile {
        (Some(_), Some(_), key) => Err(Fail::usage(format!(
            "the profile gives both `{key}` and `{key}_file`; keep one"
        ))),
        (Some(value), None, _) => Ok(Some(value.clone())),
        (None, Some(path), _) => read_secret(&dir.join(path), what).map(Some),
        (None, None, _) => Ok(None),
    }
}

/// Resolves every setting: flags beat the environment, which beats the profile.
pub(crate) fn resolve(g: &Globals) -> Result<Settings, Fail> {
    let name = g.profile.clone().or_else(|| env("WHMCS_PROFILE"));
    let (profile, dir) = match &name {
        Some(n) => load_profile(n)?,
        None => (Profile::default(), PathBuf::new()),
    };
    let timeout = match (g.timeout, profile.timeout) {
        (Some(t), _) => Some(t),
        (None, Some(secs)) => Some(
            Duration::try_from_secs_f64(secs)
                .ok()
                .filter(|d| !d.is_zero() && secs <= crate::flags::MAX_TIMEOUT)
                .ok_or_else(|| {
                    Fail::usage(format!(
                        "profile timeout `{secs}` is not a number of seconds from 0 to a day"
                    ))
                })?,
        ),
        (None, None) => None,
    };
    Ok(Settings {
        url: g.url.clone().or_else(|| env("WHMCS_URL")).or(profile.url),
        identifier: g
            .identifier
            .clone()
            .or_else(|| env("WHMCS_API_IDENTIFIER"))
            .or(profile.identifier),
        secret: secret(
            "the API secret",
            (&g.secret, &g.secret_file, "secret"),
            "WHMCS_API_SECRET",
            (&profile.secret, &profile.secret_file, "secret"),
            &dir,
        )?,
        access_key: secret(
            "the API access key",
            (&g.access_key, &g.access_key_file, "access-key"),
            "WHMCS_ACCESS_KEY",
            (&profile.access_key, &profile.access_key_file, "access_key"),
            &dir,
        )?,
        timeout,
        cacert: g.cacert.clone().or(profile.cacert.map(|p| dir.join(p))),
        proxy: match (&g.proxy, g.no_proxy, profile.proxy) {
            (_, true, _) => Proxy::Direct,
            (Some(url), false, _) => Proxy::Url(url.clone()),
            (None, false, Some(url)) if url.is_empty() => Proxy::Direct,
            (None, false, Some(url)) => Proxy::Url(url),
            (None, false, None) => Proxy::Environment,
        },
        read_only: name.filter(|_| profile.read_only),
    })
}

/// Builds the client for these settings.
pub(crate) fn client(s: &Settings) -> Result<Client, Fail> {
    let url = s.url.as_ref().ok_or_else(|| {
        Fail::usage("no WHMCS URL: give --url, set WHMCS_URL, or use a profile with `url`")
    })?;
    let mut b = Client::builder().url(url);
    match (&s.identifier, &s.secret) {
        (Some(id), Some(secret)) => b = b.api_credentials(id, secret),
        (None, None) => {}
        (Some(_), None) => {
            return Err(Fail::usage(
                "an API identifier is set but no secret (--secret-file, WHMCS_API_SECRET or the profile)",
            ));
        }
        (None, Some(_)) => {
            return Err(Fail::usage(
                "an API secret is set but no identifier (--identifier, WHMCS_API_IDENTIFIER or the profile)",
            ));
        }
    }
    if let Some(key) = &s.access_key {
        b = b.access_key(key);
    }
    if let Some(t) = s.timeout {
        b = b.timeout(t).connect_timeout(t.min(Duration::from_secs(10)));
    }
    if let Some(path) = &s.cacert {
        let pem = std::fs::read(path)
            .map_err(|e| Fail::usage(format!("cannot read the CA file {}: {e}", path.display())))?;
        b = b.add_root_certificate(pem);
    }
    match &s.proxy {
        Proxy::Environment => {}
        Proxy::Url(url) => b = b.proxy(url.as_str()),
        Proxy::Direct => b = b.no_proxy(),
    }
    b.build().map_err(|e| Fail::usage(e.to_string()))
}
