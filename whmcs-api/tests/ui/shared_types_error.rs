pub mod types {
    whmcs_api::types!("tests/ui/specs/user_broken/types");
}

#[whmcs_api::action(spec = "tests/ui/specs/user_broken/addons/GetLicense.toml")]
pub struct GetLicense;

// Code naming a type of the broken file gets the file's error, not one of its own.
pub fn hosts(_: &[types::LicenseHost]) {}

fn main() {}
