#[whmcs_api::action(spec = "tests/ui/specs/misspelt_keys.toml")]
pub struct GetWidgets;
fn main() {}
