//! System actions: settings, logs, and what holds no state at all.

use whmcs_api::actions::{
    DecryptPassword, DecryptPasswordError, DecryptPasswordResponse, EncryptPassword,
    EncryptPasswordError, EncryptPasswordResponse,
};

use super::State;
use super::registry::Registry;

pub(crate) fn register(r: &mut Registry) {
    r.stateless::<EncryptPassword>(
        "a pure function of its input; the mock's cipher is a reversible encoding",
        encrypt_password,
    );
    r.stateless::<DecryptPassword>(
        "a pure function of its input; reverses the mock's EncryptPassword",
        decrypt_password,
    );
}

/// What the mock's EncryptPassword puts before its output, so DecryptPassword knows its own.
const CIPHER_PREFIX: &str = "mock:";

fn encrypt_password(
    _: &State,
    r: EncryptPassword,
) -> Result<EncryptPasswordResponse, EncryptPasswordError> {
    let hex: String = r
        .password2
        .expose()
        .bytes()
        .rev()
        .map(|b| format!("{:02x}", b ^ 0x5a))
        .collect();
    Ok(EncryptPasswordResponse {
        password: Some(format!("{CIPHER_PREFIX}{hex}")),
        ..Default::default()
    })
}

fn decrypt_password(
    _: &State,
    r: DecryptPassword,
) -> Result<DecryptPasswordResponse, DecryptPasswordError> {
    let text = r.password2.expose();
    let plain = text
        .strip_prefix(CIPHER_PREFIX)
        .filter(|hex| hex.len() % 2 == 0 && hex.is_ascii())
        .and_then(|hex| {
            (0..hex.len())
                .step_by(2)
                .map(|i| {
                    u8::from_str_radix(&hex[i..i + 2], 16)
                        .ok()
                        .map(|b| b ^ 0x5a)
                })
                .rev()
                .collect::<Option<Vec<u8>>>()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    Ok(DecryptPasswordResponse {
        password: Some(plain.into()),
        ..Default::default()
    })
}
