//! What a mock server is started with: address, credentials, state, limits, latency.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use whmcs_api::{Action, ActionInfo};
use whmcs_php::Limits;

/// Address, credentials and behaviour of a mock server.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub addr: SocketAddr,
    /// The API identifier it accepts.
    pub identifier: String,
    /// The API secret it accepts.
    pub secret: String,
    /// An admin login (`username`, plain password) it accepts with the MD5 of the password.
    pub admin: Option<(String, String)>,
    /// The access key it requires, if any.
    pub access_key: Option<String>,
    /// Actions declared outside `whmcs-api` that it answers too (see [`MockConfig::with_action`]).
    pub custom_actions: Vec<ActionInfo>,
    /// Where to keep the state across restarts; `None` keeps it in memory only.
    ///
    /// The file holds the state as JSON (a snapshot); each change accepted since is appended to
    /// `<file>.journal` and flushed to disk before it is acknowledged (a change that cannot be
    /// saved answers an error with HTTP 500 and is undone). At start the snapshot is read and the
    /// journal replayed; when the journal outgrows the snapshot, and when the server stops, the
    /// state is written as a new snapshot and the journal removed. Edit the file only while no
    /// mock runs on it: a journal that does not continue the file as it is then is ignored.
    pub state_file: Option<PathBuf>,
    /// PHP's input limits applied to request bodies (`max_input_vars`,
    /// `max_input_nesting_level`).
    pub limits: Limits,
    /// A state to start from (the JSON of [`MockServer::snapshot`]), used when there is no
    /// state file yet.
    pub seed: Option<Value>,
    /// How long every answer waits, as a slow WHMCS would (default none).
    pub latency: Option<Duration>,
}

impl MockConfig {
    /// Also answers action `A`, declared in your own crate, from its spec's example.
    #[must_use]
    pub fn with_action<A: Action>(mut self) -> Self {
        self.custom_actions.push(A::INFO);
        self
    }
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            identifier: "mock-identifier".into(),
            secret: "mock-secret".into(),
            admin: None,
            access_key: None,
            custom_actions: Vec::new(),
            state_file: None,
            limits: Limits::default(),
            seed: None,
            latency: None,
        }
    }
}
