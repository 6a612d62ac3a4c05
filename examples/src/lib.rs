//! A user crate of `whmcs-api`: it declares its own actions (a licensing addon's custom API
//! commands) from specs, and sends them through the same client as the built-in actions.
//!
//! The shapes both actions use (`LicenseHost`, `LicenseStatus`) are written once, in
//! `specs/types/licensing.toml`, and generated once, in [`types`]; the actions refer to them
//! there.
//!
//! ```no_run
//! # async fn run(client: whmcs_api::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use whmcs_examples::GetLicenseUsage;
//! let usage = client.execute(GetLicenseUsage::new("LIC-1234-ABCD").include_hosts(true)).await?;
//! println!("{:?} of {:?} activations used", usage.activations, usage.max_activations);
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

/// The shapes this crate's specs share, from `specs/types/*.toml`.
pub mod types {
    whmcs_api::types!("specs/types");
}

/// Reports a licence's activations: a custom action of a licensing addon.
#[whmcs_api::action(spec = "specs/addons/GetLicenseUsage.toml")]
pub struct GetLicenseUsage;

/// Lists the hosts holding a licence's activations: another action of the same addon.
#[whmcs_api::action(spec = "specs/addons/GetLicenseHosts.toml", types = crate::types)]
pub struct GetLicenseHosts;
