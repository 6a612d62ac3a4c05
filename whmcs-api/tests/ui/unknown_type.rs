#[whmcs_api::action(spec = "tests/ui/specs/unknown_type.toml")]
pub struct GetWidgets;
fn main() {}
