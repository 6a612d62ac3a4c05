//! Arbitrary bytes as the answer of any action: the first byte picks the action, the rest is the
//! body. Decoding must return a value or an error, never panic, and a value must serialize.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whmcs_api::actions::ALL;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let info = ALL[usize::from(pick) % ALL.len()];
    if let Ok(value) = info.decode(body) {
        let _ = serde_json::to_vec(&value);
    }
});
