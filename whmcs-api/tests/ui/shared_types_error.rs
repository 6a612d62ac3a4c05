pub mod types {
    whmcs_api::types!("tests/ui/specs/user_broken/types");
}

#[whmcs_api::action(spec = "tests/ui/specs/user_broken/addons/GetLicense.toml")]
pub struct GetLicense;

fn main() {}
