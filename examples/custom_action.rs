//! Declares a custom action in this crate (see `src/lib.rs` and its spec) and calls it like a
//! built-in one. Runs against the embedded mock unless WHMCS_URL is set.

use whmcs_api::{Client, Error};
use whmcs_examples::{GetLicenseUsage, GetLicenseUsageError};
use whmcs_mock::{MockConfig, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = match std::env::var("WHMCS_URL") {
        Ok(_) => (Client::from_env()?, None),
        Err(_) => {
            let mock =
                MockServer::start_with(MockConfig::default().with_action::<GetLicenseUsage>())
                    .await?;
            (mock.client()?, Some(mock))
        }
    };
    match client
        .execute(GetLicenseUsage::new("LIC-1234-ABCD").include_hosts(true))
        .await
    {
        Ok(usage) => {
            println!(
                "licence status: {}",
                usage.status.as_ref().map_or("unknown", |s| s.as_str())
            );
            println!(
                "activations:    {} of {}",
                usage.activations.unwrap_or(0),
                usage
                    .max_activations
                    .map_or("unlimited".into(), |n| n.to_string())
            );
            println!(
                "expires:        {}",
                usage.expires.map_or("never".into(), |d| d.to_string())
            );
            for host in &usage.hosts {
                let seen = host
                    .last_seen
                    .map_or("never".to_string(), |t| t.to_string());
                println!(
                    "  {:<20} {:<15} last seen {seen}",
                    host.hostname.as_deref().unwrap_or("?"),
                    host.ip.as_deref().unwrap_or("?")
                );
            }
        }
        Err(Error::Api {
            error: GetLicenseUsageError::LicenseNotFound,
            ..
        }) => println!("no such licence"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
