#[whmcs_api::action(spec = "tests/ui/specs/unknown_key.toml")]
pub struct GetWidgets;
fn main() {}
