#[whmcs_api::action(spec = "tests/ui/specs/missing_action.toml")]
pub struct GetWidgets;
fn main() {}
