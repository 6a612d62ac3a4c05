#[whmcs_api::action(spec = "tests/ui/specs/duplicate_toml_key.toml")]
pub struct GetWidgets;
fn main() {}
