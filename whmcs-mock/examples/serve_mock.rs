//! Serves the mock on a given address, keeping its state in a given file, until killed.
//!
//! ```sh
//! cargo run -p whmcs-mock --example serve_mock -- 127.0.0.1:8080 mock-state.json
//! ```
//!
//! Prints `URL http://…/` once it listens, then the credentials to use. Stop it with Ctrl-C (or
//! kill it): every change it acknowledged is in the state file's journal, replayed at the next
//! start.

use std::net::SocketAddr;
use std::path::PathBuf;

use whmcs_mock::{MockConfig, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:0".to_string())
        .parse()?;
    let state_file = args.next().map(PathBuf::from);
    let mock = MockServer::start_with(MockConfig {
        addr,
        state_file,
        ..MockConfig::default()
    })
    .await?;
    println!("URL {}", mock.url());
    println!(
        "WHMCS_API_IDENTIFIER={} WHMCS_API_SECRET={}",
        mock.identifier(),
        mock.secret()
    );
    std::future::pending::<()>().await;
    drop(mock);
    Ok(())
}
