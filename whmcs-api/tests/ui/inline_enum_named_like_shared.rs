pub mod types {
    whmcs_api::types!("tests/ui/specs/user/types");
}

#[whmcs_api::action(spec = "tests/ui/specs/user/addons/GetHosts.toml")]
pub struct GetHosts;

fn main() {}
