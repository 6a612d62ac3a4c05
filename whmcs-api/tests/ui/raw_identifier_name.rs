#[whmcs_api::action(spec = "tests/ui/specs/raw_identifier_name.toml")]
pub struct GetWidgets;
fn main() {}
