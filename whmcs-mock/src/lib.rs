//! A WHMCS double for tests: the real API protocol on loopback (`POST /includes/api.php`, form
//! body, JSON answer), authentication as WHMCS does it, every request checked against the action
//! specs, and answers from a stateful model of WHMCS, so integration code can be tested without
//! a WHMCS licence.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = whmcs_mock::MockServer::start().await?;
//! let client = mock.client()?;
//! let order = client.add_order(1, "mailin").pid([1]).await?;
//! println!("service {:?}", order.serviceids);
//! assert_eq!(mock.requests().len(), 1);
//! # Ok(()) }
//! ```
//!
//! The server (transport, authentication, routing) knows nothing of clients or invoices: each
//! action is answered by a [`Handler`]. The built-in handlers keep the model's state; a test can
//! replace any of them ([`MockServer::on`]) to script an answer or inject a fault, and read what
//! was received ([`MockServer::requests`]).

#![deny(missing_docs)]

mod auth;
mod behaviour;
mod config;
mod control;
mod faults;
mod server;
mod shared;
mod store;
mod world;

pub use behaviour::{Handler, Received, Reply, Request};
pub use config::MockConfig;
pub use faults::{Fault, Times};
pub use server::MockServer;
pub use world::{Coverage, example_answer};

/// Locks `m`, going on after a panic elsewhere: every value the mock keeps behind a lock is
/// whole between statements, so a panicking request leaves nothing half-changed.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Actions given more than one rule (a mistake in the mock; the test suite checks it is empty).
#[doc(hidden)]
pub fn duplicate_rules() -> Vec<&'static str> {
    world::registry().duplicates().to_vec()
}

/// How the mock serves each action `whmcs-api` knows, in the order of `whmcs_api::actions::ALL`.
pub fn coverage() -> Vec<(&'static str, Coverage)> {
    whmcs_api::actions::ALL
        .iter()
        .map(|info| (info.name(), world::registry().coverage(info.name())))
        .collect()
}
