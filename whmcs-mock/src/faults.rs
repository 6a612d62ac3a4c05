//! Faults a test injects into the mock's answers: a documented error, an HTTP status, a delay,
//! a dropped connection or a malformed body, once, a number of times, or at random with a seed.

use std::time::Duration;

use serde::Deserialize;
use whmcs_api::Action;

use crate::behaviour::Reply;

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// WHMCS answers `result: error` with this message.
    Error(String),
    /// The answer has this HTTP status and an HTML body, as a proxy or PHP error page gives.
    Status(u16),
    /// The usual answer, this many milliseconds late.
    DelayMs(u64),
    /// The connection is closed without an answer.
    Drop,
    /// A body that is not JSON (a truncated answer).
    Malformed,
}

impl Fault {
    /// The error `variant` documented for action `A`, with its message as WHMCS writes it
    /// (placeholders left as written). `None` when `A` documents no such variant.
    ///
    /// ```
    /// use whmcs_mock::Fault;
    /// let f = Fault::documented::<whmcs_api::actions::AddCancelRequest>("ExistingCancellationRequestExists");
    /// assert_eq!(f, Some(Fault::Error("Existing Cancellation Request Exists".into())));
    /// ```
    pub fn documented<A: Action>(variant: &str) -> Option<Fault> {
        A::INFO
            .errors()
            .iter()
            .find(|e| e.variant() == variant)
            .map(|e| Fault::Error(e.message().to_string()))
    }

    /// The reply this fault makes of `usual` (the answer the mock would have given).
    pub(crate) async fn apply(&self, usual: impl Future<Output = Reply>) -> Reply {
        match self {
            Fault::Error(message) => Reply::error(message),
            Fault::Status(status) => Reply::raw(
                *status,
                format!("<html><body><h1>{status}</h1></body></html>"),
            )
            .with_header("content-type", "text/html"),
            Fault::DelayMs(ms) => usual.await.after(Duration::from_millis(*ms)),
            Fault::Drop => Reply::dropped(),
            Fault::Malformed => Reply::raw(200, &br#"{"result":"success","#[..]),
        }
    }
}

/// How often a fault strikes.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Times {
    /// Every call until cleared.
    Always,
    /// The next `n` calls.
    Next(u32),
    /// Each call with probability `p` (0 to 1), drawn from a generator seeded with `seed`, so a
    /// test run is repeatable.
    Random {
        /// The chance of each call.
        p: f64,
        /// The generator's seed.
        seed: u64,
    },
}

/// A fault armed for one action.
#[derive(Clone, Debug)]
pub(crate) struct Armed {
    pub(crate) fault: Fault,
    times: Times,
    /// The state of the random draws (splitmix64).
    rng: u64,
}

impl Armed {
    pub(crate) fn new(fault: Fault, times: Times) -> Self {
        let rng = match &times {
            Times::Random { seed, .. } => *seed,
            _ => 0,
        };
        Self { fault, times, rng }
    }

    /// Whether it strikes this call; `None` once it is spent.
    pub(crate) fn strike(&mut self) -> Option<bool> {
        match &mut self.times {
            Times::Always => Some(true),
            Times::Next(0) => None,
            Times::Next(n) => {
                *n -= 1;
                Some(true)
            }
            Times::Random { p, .. } => {
                let p = *p;
                self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = self.rng;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                let draw = (z >> 11) as f64 / (1u64 << 53) as f64;
                Some(draw < p)
            }
        }
    }
}
