#[whmcs_api::action(spec = "tests/ui/specs/missing_type.toml")]
pub struct GetWidgets;
fn main() {}
