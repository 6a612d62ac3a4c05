#[whmcs_api::action(spec = "tests/ui/specs/enum_without_values.toml")]
pub struct GetWidgets;
fn main() {}
