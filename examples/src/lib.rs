//! A user crate of `whmcs-api`: it declares its own action (a licensing addon's custom API
//! command) from a spec, and sends it through the same client as the built-in actions.
//!
//! ```no_run
//! # async fn run(client: whmcs_api::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use whmcs_examples::GetLicenseUsage;
//! let usage = client.execute(GetLicenseUsage::new("LIC-1234-ABCD").include_hosts(true)).await?;
//! println!("{:?} of {:?} activations used", usage.activations, usage.max_activations);
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

/// Reports a licence's activations: a custom action of a licensing addon.
#[whmcs_api::action(spec = "specs/addons/GetLicenseUsage.toml")]
pub struct GetLicenseUsage;
